package dev.indexer.pipeline;

import dev.indexer.state.Manifest;
import dev.indexer.store.VectorStore;
import java.util.List;

/**
 * After a walk that met every file of the tree: the files the manifest has but the walk did not
 * meet were deleted (or are now ignored); their chunks and rows go, a thousand at a time, each
 * thousand committed store first.
 */
final class DeletionSweep {
    private static final int STEP = 1000;

    private final VectorStore store;
    private final Manifest manifest;
    private final long run;
    private final RunReport report;

    DeletionSweep(VectorStore store, Manifest manifest, long run, RunReport report) {
        this.store = store;
        this.manifest = manifest;
        this.run = run;
        this.report = report;
    }

    void run(Cancellation cancellation) {
        for (List<String> gone = manifest.unseen(run, STEP); !gone.isEmpty() && !cancellation.isCancelled();
                gone = manifest.unseen(run, STEP)) {
            for (String path : gone) {
                store.deleteFile(path);
            }
            store.commit();
            manifest.record(List.of(), gone, run);
            report.filesDeleted(gone.size());
        }
    }
}
