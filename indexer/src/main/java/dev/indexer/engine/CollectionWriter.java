package dev.indexer.engine;

import dev.indexer.IndexerException;
import dev.indexer.chunk.FileChunker;
import dev.indexer.chunk.SourceReader;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.Defaults;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.ModelSpec;
import dev.indexer.config.Rebuild;
import dev.indexer.config.Shard;
import dev.indexer.embed.Embedder;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.pipeline.IndexPipeline;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.pipeline.RunSummary;
import dev.indexer.state.CollectionFiles;
import dev.indexer.state.Manifest;
import dev.indexer.state.VectorCache;
import dev.indexer.store.RepoScope;
import dev.indexer.store.StoreReader;
import dev.indexer.walk.ContentSniffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Writes one collection: holds its writer lock from open to close (one writer per collection,
 * whatever the process), and keeps its manifest, store and model open between runs, so a
 * long-lived caller (the MCP server) runs index after index without paying for them again. Runs
 * and settling take turns; {@link #reader()} searches what they commit, at any time.
 *
 * <p>Two locks, one per kind of waiting: {@code runs} lets one run (or settle) go at a time and
 * makes closing wait for it; {@code session}'s read lock is held for moments by readers of the
 * manifest and its write lock while the manifest and store are opened or closed.
 */
public final class CollectionWriter implements AutoCloseable {
    private final Workspace workspace;
    private final String name;
    /** The repository of the collection this writer writes. */
    private final String repo;
    private final Path dir;
    private final CollectionSpec spec;
    private final Rebuild rebuild;
    /** Taken again when the collection's directory was deleted under this writer (its file went with it). */
    private volatile CollectionLock lock;
    private volatile boolean served;
    private final boolean createdDir;
    private final Models models;
    private final CollectionReader reader;
    private final Lock runs = new ReentrantLock();
    private final ReentrantReadWriteLock sessionLock = new ReentrantReadWriteLock();
    // Guarded by runs:
    private VectorCache cache;
    private long cacheBytes;
    // Written under both locks (runs, then the session's write lock), read under either:
    private WriteSession session;
    /** Whether a session ever opened: if not, a directory this writer made is removed again on close. */
    private boolean storeOpened;
    private volatile boolean closed;

    /** Takes the lock now. */
    CollectionWriter(Workspace workspace, String name, String repo, CollectionSpec spec, Rebuild rebuild) {
        this.workspace = workspace;
        this.name = name;
        this.repo = repo;
        this.dir = workspace.home().repoDir(name, repo);
        this.spec = spec;
        this.rebuild = rebuild;
        this.createdDir = !Files.isDirectory(dir);
        try {
            workspace.home().claimRepoDir(name, repo);
        } catch (IOException e) {
            throw new IndexerException("Could not create " + dir + " (" + e.getMessage() + "); check that the index"
                    + " home is writable, or choose another with --index-dir.", e);
        }
        this.lock = CollectionLock.acquire(dir, name);
        this.models = new Models(workspace);
        RepoScope own = RepoScope.of(repo);
        this.reader = new CollectionReader(workspace, name, Optional.of(repo),
                new Committed(new StoredState(workspace, name, own, Optional.of(repo))));
    }

    /** The repository this writer writes. */
    public String repo() {
        return repo;
    }

    /** Tells any other process that tries to write this collection that a server keeps it up to date. */
    public void markServed() {
        served = true;
        lock.markServer();
    }

    /** A reader of what this writer commits, sharing its store, manifest and model; closed with the writer. */
    public CollectionReader reader() {
        return reader;
    }

    /**
     * Indexes the tree at {@code root}: new and changed files are read and embedded, deleted ones
     * leave the collection. Returns when the run has ended; a {@code cancellation} from another
     * thread ends it early, keeping what was done.
     *
     * @throws IndexerException for a fatal problem (the message says what to do); what was
     *     committed before it is kept
     */
    public RunSummary index(Path root, IndexOptions options, ProgressListener progress, Cancellation cancellation) {
        runs.lock();
        try {
            WriteSession current = session(root.toAbsolutePath().normalize(), options.shard(), progress);
            current.manifest().putMeta(Map.of("root", current.root().toString(),
                    "max_file_size", Long.toString(options.maxFileSize()),
                    "follow_symlinks", Boolean.toString(options.followSymlinks()),
                    "shard", options.shard().toString()));
            Embedder model = models.embedder(spec.model());
            SourceReader sourceReader = new SourceReader(new ContentSniffer(Defaults.MAX_LINE_LENGTH),
                    new FileChunker(workspace.chunking(spec), model.tokenCounter()));
            IndexPipeline.Parts parts = new IndexPipeline.Parts(current.root(), workspace.walkOptions(options),
                    sourceReader, model, current.store(), current.navigation(), current.manifest(), cache(options.vectorCache()),
                    options.scope());
            return new IndexPipeline(parts, IndexPipeline.Settings.of(options, workspace.memory()), progress,
                    cancellation).run();
        } finally {
            runs.unlock();
        }
    }

    /**
     * Tidies the collection's store between runs (see {@link dev.indexer.store.StoreWriter#settle}):
     * a server calls this when it is idle. Returns at once, keeping what is done, when {@code stop}
     * says so.
     *
     * @return whether the store was left settled
     */
    public boolean settle(BooleanSupplier stop) {
        runs.lock();
        try {
            checkOpen();
            return session == null || session.store().settle(stop);
        } finally {
            runs.unlock();
        }
    }

    /**
     * Settles the store after a completed run, as {@code indexer index} does: the merges it left
     * are run and committed, so searches find a collection in the shape they want without waiting
     * for a server's idle time. At most {@code budget} (or until {@code cancellation}); what merged
     * by then is kept, and the rest is left to a server or the next run.
     *
     * @return whether the store was left settled
     */
    public boolean settle(Duration budget, Cancellation cancellation) {
        long deadline = System.nanoTime() + budget.toNanos();
        return settle(() -> cancellation.isCancelled() || System.nanoTime() - deadline > 0);
    }

    /**
     * Whether the collection's files were deleted from under this writer (its directory, manifest or
     * index removed by hand): then the next run builds it again from the tree.
     */
    public boolean lost() {
        WriteSession open = session;
        return open != null && (!Files.isRegularFile(dir.resolve(Manifest.FILE_NAME))
                || open.store().localDirectory().map(d -> !Files.isDirectory(d)).orElse(false));
    }

    /**
     * The session for a run over {@code root}: the one open, or a new one (again if the tree moved,
     * and from scratch if the collection's files were deleted).
     */
    private WriteSession session(Path root, Shard shard, ProgressListener progress) {
        checkOpen();
        boolean lost = lost();
        if (session != null && session.root().equals(root) && !lost) {
            return session;
        }
        sessionLock.writeLock().lock();
        try {
            boolean first = session == null;
            if (session != null) {
                try {
                    session.close();
                } catch (RuntimeException e) {
                    // its files may be gone, and with them anything left to save
                }
                session = null;
            }
            if (lost) {
                progress.note("the files of collection '" + name + "' were deleted; building it again from " + root);
                if (!lock.stillAt(dir)) {
                    retakeLock();
                }
            }
            session = WriteSession.open(workspace, name, repo, spec, lost ? Rebuild.NOW : rebuild, first || lost,
                    root, shard, progress);
            storeOpened = true;
            return session;
        } finally {
            sessionLock.writeLock().unlock();
        }
    }

    /**
     * The lock again, on a file in the directory made anew: the old one went with the deleted
     * directory, and guards nothing, so it goes first.
     */
    private void retakeLock() {
        lock.close();
        lock = CollectionLock.acquire(dir, name);
        if (served) {
            lock.markServer();
        }
    }

    /** The vector cache, opened on first need with this bound (again if the bound changed); empty when off. */
    private Optional<VectorCache> cache(long bytes) {
        if (bytes <= 0) {
            return Optional.empty();
        }
        if (cache == null || cacheBytes != bytes) {
            if (cache != null) {
                cache.close();
            }
            cache = VectorCache.open(workspace.home().vectorCache(), bytes);
            cacheBytes = bytes;
        }
        return Optional.of(cache);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("collection '" + name + "' is closed");
        }
    }

    /**
     * Releases the store, the manifest, the model and the lock; nothing uncommitted is kept. Waits
     * for a run in progress to end (cancel it first to end it soon). Safe twice.
     */
    @Override
    public void close() {
        runs.lock();
        sessionLock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                closeAll();
            }
        } finally {
            sessionLock.writeLock().unlock();
            runs.unlock();
        }
    }

    private void closeAll() {
        try {
            reader.close();
            if (session != null) {
                session.close();
                session = null;
            }
            if (cache != null) {
                cache.close();
            }
            models.close();
        } finally {
            lock.close();
            if (createdDir && !storeOpened) {
                // This writer made the directory and nothing came of it (the store could not be opened, say).
                try {
                    CollectionFiles.deleteContents(dir);
                    Files.deleteIfExists(dir.resolve(CollectionLock.FILE_NAME));
                    Files.deleteIfExists(dir);
                    // and the collection's, if this was its only repository
                    Files.deleteIfExists(dir.getParent());
                    Files.deleteIfExists(dir.getParent().getParent());
                } catch (IOException e) {
                    // an empty directory left behind is harmless (one not empty is another repository's)
                }
            }
        }
    }

    /** {@code open} of the session open now, else {@code before}; no session opens or closes meanwhile. */
    private <T> T underSession(Function<WriteSession, T> open, Supplier<T> before) {
        sessionLock.readLock().lock();
        try {
            return session != null ? open.apply(session) : before.get();
        } finally {
            sessionLock.readLock().unlock();
        }
    }

    /**
     * What the writer's reader reads: the store and manifest of the session open now, or, before
     * the first run opened them, those on disk.
     */
    private final class Committed implements ReadSource {
        private final StoredState before;

        Committed(StoredState before) {
            this.before = before;
        }

        @Override
        public StoreReader store() {
            checkOpen();
            return underSession(open -> open.store().reader(), before::store);
        }

        @Override
        public <T> Optional<T> manifest(Function<Manifest, T> read) {
            return underSession(open -> Optional.of(read.apply(open.manifest())), () -> before.manifest(read));
        }

        @Override
        public Optional<String> damage() {
            // The writer repairs what the store lacks when its session opens.
            return underSession(open -> Optional.empty(), before::damage);
        }

        @Override
        public Embedder embedder(ModelSpec model) {
            return models.embedder(model);
        }

        @Override
        public void close() {
            before.close(); // the session is the writer's to close
        }
    }
}
