package dev.indexer.pipeline;

import dev.indexer.IndexerException;
import dev.indexer.state.FileRecord;
import dev.indexer.state.Manifest;
import dev.indexer.walk.FileWalker;
import dev.indexer.walk.SourceFile;
import dev.indexer.walk.WalkOptions;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The walk stage: walks the tree and compares each file with the manifest. Files with the recorded
 * size and modification time are not read; new and changed ones go on to be read
 * (all of them: {@code --max-files} bounds the embedding phase, not this one). Every file met is marked as seen by this run, so that once a walk has completed the
 * files it did not meet can be taken for deleted.
 */
final class ChangeDetection implements Stage {
    private static final int SEEN_BATCH = 512;

    private final Path root;
    private final WalkOptions options;
    private final Manifest manifest;
    private final long run;
    private final RunReport report;
    private final Cancellation cancellation;
    private final List<String> scope;
    private final BoundedQueue<Candidate> out;
    private volatile boolean completed;

    ChangeDetection(Path root, WalkOptions options, Manifest manifest, long run, RunReport report,
            Cancellation cancellation, List<String> scope, BoundedQueue<Candidate> out) {
        this.scope = scope;
        this.root = root;
        this.options = options;
        this.manifest = manifest;
        this.run = run;
        this.report = report;
        this.cancellation = cancellation;
        this.out = out;
    }

    @Override
    public void run() throws InterruptedException {
        FileWalker walker = new FileWalker(root, options, report);
        List<String> seen = new ArrayList<>();
        try (Stream<SourceFile> stream = walker.stream(scope)) {
            for (SourceFile file : (Iterable<SourceFile>) stream::iterator) {
                if (cancellation.isCancelled()) {
                    out.close();
                    return; // an incomplete walk: nothing is taken for deleted
                }
                report.fileFound();
                Optional<FileRecord> previous = manifest.get(file.relativePath());
                if (previous.isPresent()) {
                    seen.add(file.relativePath());
                    if (seen.size() >= SEEN_BATCH) {
                        manifest.markSeen(seen, run);
                        seen.clear();
                    }
                    if (previous.get().sameMetadata(file.size(), file.modifiedMillis())) {
                        report.fileUnchanged();
                        continue;
                    }
                }
                Candidate candidate = new Candidate(file, previous);
                out.put(candidate, candidate.weight());
                report.fileQueued(previous.isEmpty());
            }
        } catch (UncheckedIOException e) {
            throw new IndexerException("Could not walk " + root + " (" + e.getMessage() + ").", e);
        }
        manifest.markSeen(seen, run);
        completed = true;
        out.close();
    }

    /** Whether the walk met every file of the tree (so files it did not meet are gone). */
    boolean completed() {
        return completed;
    }
}
