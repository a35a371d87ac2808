package dev.indexer.pipeline;

import dev.indexer.config.Shard;
import dev.indexer.navigate.NavigationWriter;
import dev.indexer.state.Manifest;
import dev.indexer.store.StoreWriter;
import java.util.List;

/**
 * After a walk that met every file of the tree (or of the run's scope): the files the manifest has but the walk did not
 * meet were deleted (or are now ignored); their chunks and rows go, a thousand at a time, each
 * thousand committed store first. A worker of one part of the tree ({@link Shard}) takes only files
 * of its part for deleted: the others are another worker's to judge.
 */
final class DeletionSweep {
    private static final int STEP = 1000;

    private final StoreWriter store;
    private final NavigationWriter navigation;
    private final Manifest manifest;
    private final long run;
    private final RunReport report;
    /** What the walk covered: only files there can be taken for deleted; empty for the whole tree. */
    private final List<String> scope;
    private final Shard shard;

    DeletionSweep(StoreWriter store, NavigationWriter navigation, Manifest manifest, long run, RunReport report,
            List<String> scope, Shard shard) {
        this.shard = shard;
        this.store = store;
        this.navigation = navigation;
        this.manifest = manifest;
        this.run = run;
        this.report = report;
        this.scope = scope;
    }

    void run(Cancellation cancellation) {
        for (String part : scope.isEmpty() ? List.of("") : scope) {
            sweep(part, cancellation);
        }
    }

    private void sweep(String part, Cancellation cancellation) {
        for (List<String> gone = manifest.unseen(run, STEP, part); !gone.isEmpty() && !cancellation.isCancelled();
                gone = manifest.unseen(run, STEP, part)) {
            List<String> others = gone.stream().filter(path -> !shard.holds(path)).toList();
            if (!others.isEmpty()) {
                // Marked seen so the next page moves on; the next run looks at them again, and leaves them again.
                manifest.markSeen(others, run);
                gone = gone.stream().filter(shard::holds).toList();
                if (gone.isEmpty()) {
                    continue;
                }
            }
            for (String path : gone) {
                store.deleteFile(path);
                navigation.delete(path);
            }
            store.commit();
            navigation.commit();
            manifest.record(List.of(), gone, run);
            report.filesDeleted(gone.size());
        }
    }
}
