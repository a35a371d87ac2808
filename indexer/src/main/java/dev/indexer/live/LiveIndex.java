package dev.indexer.live;

import dev.indexer.IndexerException;
import dev.indexer.config.IndexOptions;
import dev.indexer.engine.CollectionReader;
import dev.indexer.navigate.NavigationReader;
import dev.indexer.engine.CollectionWriter;
import dev.indexer.engine.SearchQuery;
import dev.indexer.memory.MemoryReturn;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.pipeline.RunSummary;
import dev.indexer.state.Manifest;
import dev.indexer.walk.FileWalker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A collection kept up to date with its tree while it answers searches: what {@code indexer mcp}
 * and {@code indexer serve} run. It holds the collection's writer lock for its whole life; one
 * thread runs incremental index runs, one at a time, over the whole tree at the start and over
 * the changed paths after that; searches never wait for a run.
 *
 * <p>A change that arrives while a run is going stops that run (it keeps what it committed) unless
 * the run is the whole tree's and so is the change: the edit is indexed first, then the stopped
 * run's work is taken up again, so an edit is searchable in a second or two even while a large
 * tree's first run, or its embedding, has hours to go.
 */
public final class LiveIndex implements AutoCloseable {
    /** What the index is doing. */
    public enum State {
        /** A run is going (the first, or one for changes). */
        INDEXING,
        /** Up to date with every change seen; waiting for the next. */
        WATCHING,
        /** The last run failed; the next change (or a reindex) tries again. */
        ERROR
    }

    /**
     * What {@code index_status} says.
     *
     * @param state what the index is doing
     * @param filesIndexed files whose chunks the collection holds
     * @param filesWaitingForVectors files searchable by words whose vectors are still being made
     * @param changesQueued changed paths seen and not yet indexed (-1: the whole tree is to be checked)
     * @param chunks chunks the collection holds
     * @param chunksEmbedded chunks with their vectors
     * @param chunksWordsOnly chunks of data that get no vector ({@link dev.indexer.chunk.Chunk#isData()})
     * @param lastUpdate when a run last ended with everything it was asked for indexed, or empty
     * @param lastError the last run's failure, if it failed
     * @param watching how the tree is watched, or {@link #NOT_WATCHING}
     * @param run the run going now, if one is: its phase and counts
     */
    public record Status(State state, long filesIndexed, long filesWaitingForVectors, long changesQueued,
            long chunks, long chunksEmbedded, long chunksWordsOnly, Optional<Instant> lastUpdate,
            Optional<String> lastError,
            String watching, Optional<RunSummary> run) {}

    /** Whether the tree is watched for changes, or indexed only at the start and when asked. */
    public enum Watch {
        /** Changes are indexed as files are saved. */
        CHANGES,
        /** The tree is indexed once at the start, then only on {@link #reindex}. */
        NOTHING
    }

    /** How long the tree must be still before changes are indexed, and the longest they wait. */
    static final Duration QUIET = Duration.ofMillis(200);
    static final Duration LONGEST = Duration.ofSeconds(1);
    private static final String LOST = "the index's files were deleted; it is being built again";
    /** {@link Status#watching} of a server started with no watcher ({@code --no-watch}). */
    public static final String NOT_WATCHING = "not watching";
    /** How often an idle index checks that its files are still there (someone may delete them). */
    static final Duration LOST_CHECK = Duration.ofSeconds(2);
    /** Paths queued beyond this make the next run the whole tree's. */
    static final int MAX_QUEUED = TreeWatcher.MAX_PATHS;

    private final CollectionWriter writer;
    private final CollectionReader reader;
    private final Path root;
    private final IndexOptions options;
    private final Consumer<String> log;
    private final Thread runner;
    private final Object lock = new Object();
    /** Gives back what searches and runs left, while the server waits for changes. */
    private final MemoryReturn memoryReturn = MemoryReturn.forThisProcess();
    // Guarded by lock:
    private final Set<String> queued = new TreeSet<>();
    private boolean wholeTreeQueued;
    private Cancellation current;
    private boolean currentIsWholeTree;
    private boolean closing;
    private State state = State.INDEXING;
    private Instant lastUpdate;
    private String lastError;
    private RunSummary progress;
    /** Incremented when a run ends, so a caller can wait for the runs its change started. */
    private long runsEnded;

    private volatile TreeWatcher watcher;

    private LiveIndex(CollectionWriter collection, Path root, IndexOptions options, Consumer<String> log) {
        this.writer = collection;
        this.reader = collection.reader();
        this.root = root;
        this.options = options.withScope(List.of());
        this.log = log;
        this.runner = new Thread(this::runs, "indexer-live");
    }

    /**
     * Starts keeping {@code collection} up to date with {@code root}: a run over the whole tree
     * begins at once, and the tree is watched for changes if {@code watch} says so.
     *
     * @param walker the walker whose rules say which directories to watch (the one index runs use)
     * @param log told of what an operator should know (a failed run, a degraded watch), one line each
     * @throws IndexerException if the tree cannot be watched at all
     */
    public static LiveIndex start(CollectionWriter collection, Path root, IndexOptions options, FileWalker walker,
            Watch watch, Consumer<String> log) {
        LiveIndex live = new LiveIndex(collection, root, options, log);
        live.writer.markServed();
        live.wholeTreeQueued = true;
        live.runner.start();
        if (watch == Watch.CHANGES) {
            try {
                live.watcher = TreeWatcher.start(root, walker, QUIET, LONGEST, live::changed, log);
            } catch (IOException e) {
                live.close();
                throw new IndexerException("Could not watch " + root + " for changes (" + e.getMessage() + ").", e);
            }
        }
        return live;
    }

    /** The tree it follows. */
    public Path root() {
        return root;
    }

    /** Searches what is indexed now; never waits for a run. */
    public CollectionReader.Results search(SearchQuery query) {
        CollectionReader.Results results = reader.search(query);
        if (writer.lost()) {
            results = results.withNote("the index's files were deleted; answers come from what was indexed before,"
                    + " until it is built again from " + root);
        }
        if (results.hits().isEmpty()) {
            Status status = status();
            // No run has ended yet, so "no matches" may only mean "not indexed yet": say so (an MCP
            // client's first call, made as the server starts, got a bare "No matches" otherwise).
            if (status.state() == State.INDEXING && status.lastUpdate().isEmpty()) {
                return results.withNote(status.filesIndexed() == 0
                        ? "nothing is indexed yet: the first run over " + root + " is in progress; ask again shortly"
                        : "the first run over " + root + " is in progress (" + status.filesIndexed()
                                + " files searchable so far); ask again when it has ended");
            }
        }
        return results;
    }

    /** The definitions, outlines and references of what is indexed now. */
    public NavigationReader navigation() {
        return reader.navigation();
    }

    /** Asks for a run over {@code paths} (relative to the root; empty: the whole tree), as a watcher's change would. */
    public void reindex(Collection<String> paths) {
        changed(Set.copyOf(paths));
    }

    /**
     * Waits until every change asked for so far has been indexed (or the index fails or closes).
     *
     * @return whether it caught up within {@code timeout}
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!closing && (current != null || wholeTreeQueued || !queued.isEmpty())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return !closing;
        }
    }

    private void changed(Set<String> paths) {
        synchronized (lock) {
            if (closing) {
                return;
            }
            if (paths.isEmpty() || queued.size() + paths.size() > MAX_QUEUED) {
                wholeTreeQueued = true;
                queued.clear();
            } else if (!wholeTreeQueued) {
                queued.addAll(paths);
            }
            // A change stops a run in progress, unless both are the whole tree's: the change goes first.
            if (current != null && !(currentIsWholeTree && wholeTreeQueued)) {
                current.cancel();
            }
            lock.notifyAll();
        }
    }

    public Status status() {
        Manifest.Totals t = new Manifest.Totals(0, 0, 0, 0, 0, 0);
        try {
            t = reader.totals().orElse(t);
        } catch (IndexerException e) {
            // no totals to show: zeros
        }
        // Said at once, not at the next check: what a client sees should not claim all is well.
        Optional<String> lost = writer.lost() ? Optional.of(LOST) : Optional.empty();
        synchronized (lock) {
            TreeWatcher w = watcher;
            return new Status(lost.isPresent() ? State.INDEXING : state, t.indexedFiles(), t.pendingFiles(),
                    wholeTreeQueued || lost.isPresent() ? -1 : queued.size(), t.chunks(), t.embeddedChunks(), t.wordsOnlyChunks(),
                    Optional.ofNullable(lastUpdate), lost.or(() -> Optional.ofNullable(lastError)),
                    w == null ? NOT_WATCHING : w.mode(),
                    current != null ? Optional.ofNullable(progress) : Optional.empty());
        }
    }

    private void runs() {
        while (true) {
            Set<String> scope;
            boolean wholeTree;
            Cancellation cancellation;
            boolean idle;
            synchronized (lock) {
                if (!closing && !wholeTreeQueued && queued.isEmpty()) {
                    try {
                        lock.wait(LOST_CHECK.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (!closing && writer.lost()) {
                        // Deleted under the server: the tree is here, so it is built again (by words first).
                        log.accept(LOST + " from " + root);
                        wholeTreeQueued = true;
                    }
                }
                if (closing) {
                    return;
                }
                idle = !wholeTreeQueued && queued.isEmpty();
            }
            if (idle) {
                // Between runs only searches and merges allocate; what they leave is given back here,
                // outside the lock, so that a change seen meanwhile is not held up by a collection.
                memoryReturn.check();
                continue;
            }
            synchronized (lock) {
                if (closing) {
                    return;
                }
                wholeTree = wholeTreeQueued;
                scope = wholeTree ? Set.of() : Set.copyOf(queued);
                wholeTreeQueued = false;
                queued.clear();
                cancellation = new Cancellation();
                current = cancellation;
                currentIsWholeTree = wholeTree;
                state = State.INDEXING;
                progress = null;
            }
            boolean failed = false;
            boolean finished = false;
            try {
                RunSummary summary = writer.index(root, options.withScope(scope), listener(), cancellation);
                finished = summary.outcome() != RunSummary.Outcome.INTERRUPTED;
            } catch (RuntimeException e) {
                failed = true;
                String error = e instanceof IndexerException ? e.getMessage() : "internal error: " + e;
                log.accept("indexing failed" + (e instanceof IndexerException ? ": " : " on an ") + error);
                synchronized (lock) {
                    lastError = error;
                }
            }
            synchronized (lock) {
                current = null;
                runsEnded++;
                if (!finished && !failed && !closing) {
                    // Stopped for a newer change: its work is owed, after the change.
                    if (wholeTree) {
                        wholeTreeQueued = true;
                        queued.clear();
                    } else if (!wholeTreeQueued) {
                        queued.addAll(scope);
                    }
                }
                if (finished) {
                    lastError = null;
                    lastUpdate = Instant.now();
                }
                boolean more = wholeTreeQueued || !queued.isEmpty();
                state = more ? State.INDEXING : failed ? State.ERROR : State.WATCHING;
                lock.notifyAll();
            }
            if (finished) {
                settle();
            }
            // Under steady edits the server may never wait a whole idle check between runs, so what
            // the runs leave is looked at here too; the checks limit themselves (a trim only after
            // growth: at most every 30 s, or every second after a jump of 32 MB).
            memoryReturn.check();
        }
    }

    /**
     * Merges the segments the run left, while nothing waits: searches then visit fewer of them. A
     * change that arrives meanwhile, or closing, stops it; what merged is kept.
     */
    private void settle() {
        try {
            writer.settle(() -> {
                synchronized (lock) {
                    return closing || wholeTreeQueued || !queued.isEmpty();
                }
            });
        } catch (RuntimeException e) {
            log.accept("tidying the index failed" + (e instanceof IndexerException ? ": " + e.getMessage()
                    : " on an internal error: " + e));
        }
    }

    private ProgressListener listener() {
        return new ProgressListener() {
            @Override
            public void update(RunSummary summary) {
                synchronized (lock) {
                    progress = summary;
                }
            }

            @Override
            public void finish(RunSummary summary) {
                update(summary);
            }

            @Override
            public void note(String message) {
                log.accept(message);
            }
        };
    }

    /**
     * Stops watching, stops the run in progress (what it committed is kept), and waits for it to
     * end. The collection stays open: its owner closes it.
     */
    @Override
    public void close() {
        TreeWatcher w = watcher;
        if (w != null) {
            w.close();
        }
        synchronized (lock) {
            closing = true;
            if (current != null) {
                current.cancel();
            }
            lock.notifyAll();
        }
        try {
            runner.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
