package dev.indexer.engine;

import dev.indexer.IndexerException;
import dev.indexer.chunk.ChunkingOptions;
import dev.indexer.chunk.FileChunker;
import dev.indexer.chunk.SourceReader;
import dev.indexer.config.ChunkerKind;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.Defaults;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.Embedder;
import dev.indexer.embed.LazyEmbedder;
import dev.indexer.lexical.CodeAnalyzer;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.pipeline.IndexPipeline;
import dev.indexer.pipeline.PipelineSettings;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.pipeline.RunSummary;
import dev.indexer.state.CollectionFiles;
import dev.indexer.state.CollectionLock;
import dev.indexer.state.FileRecord;
import dev.indexer.state.Manifest;
import dev.indexer.state.VectorCache;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.HybridSearch;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchRequest;
import dev.indexer.store.SearchMode;
import dev.indexer.store.StoreTarget;
import dev.indexer.store.VectorStore;
import dev.indexer.walk.ContentSniffer;
import dev.indexer.walk.FileWalker;
import dev.indexer.walk.SourceFile;
import dev.indexer.walk.WalkOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One collection, open for reading or for writing. Opened for writing it holds the collection's
 * writer lock until closed, and keeps its manifest, its store and its model open between runs, so
 * a long-lived caller (the MCP server) runs index after index without paying for them again.
 * Searches may run from other threads at any time; they see what the last commit made durable.
 */
public final class CodeCollection implements AutoCloseable {
    private static final CodeAnalyzer ANALYZER = new CodeAnalyzer();
    private final Engine engine;
    private final String name;
    private final Path dir;
    private final Optional<CollectionSpec> spec;
    private final Rebuild rebuild;
    private final CollectionLock lock;
    private final boolean createdDir;
    /** The model, loaded on first use: a rerun that finds nothing to embed never loads it. */
    private LazyEmbedder embedder;
    private final java.util.concurrent.locks.ReentrantLock runs = new java.util.concurrent.locks.ReentrantLock();
    private Writing writing;
    /** Whether the writer's store ever opened: if not, a directory this open made is removed again. */
    private boolean storeOpened;
    private VectorStore reading;
    private static final long COVERAGE_EVERY = 2_000_000_000L;
    private Optional<Manifest.Totals> coverage = Optional.empty();
    private long coverageRead;
    /** Said with every search while the store holds fewer chunks than the manifest lists. */
    private Optional<String> damage = Optional.empty();
    private boolean closed;

    /** What a collection open for writing keeps between runs. */
    private record Writing(Path root, Manifest manifest, VectorStore store) {}

    /** The index home's vector cache, open while this collection writes with the cache on. */
    private VectorCache cache;
    private long cacheBytes;
    /** Runs the lexical halves of hybrid searches; see {@link #searches()}. */
    private ExecutorService searches;

    /** For reading. */
    CodeCollection(Engine engine, String name) {
        this.engine = engine;
        this.name = name;
        this.dir = engine.home().collectionDir(name);
        this.spec = Optional.empty();
        this.rebuild = Rebuild.NO;
        this.lock = null;
        this.createdDir = false;
    }

    /** For writing: takes the lock now. */
    CodeCollection(Engine engine, String name, CollectionSpec spec, Rebuild rebuild) {
        this.engine = engine;
        this.name = name;
        this.dir = engine.home().collectionDir(name);
        this.spec = Optional.of(spec);
        this.rebuild = rebuild;
        this.createdDir = !Files.isDirectory(dir);
        this.lock = CollectionLock.acquire(dir, name);
    }

    public String name() {
        return name;
    }

    /**
     * Says, to any other process that tries to write this collection, that a server keeps it up
     * to date (instead of asking it to wait for a run to end).
     *
     * @throws IllegalStateException if the collection was opened for reading
     */
    public void markServed() {
        if (lock == null) {
            throw new IllegalStateException("collection '" + name + "' was opened for reading");
        }
        lock.markServer();
    }

    /**
     * What the manifest counts now: files, chunks, and those still waiting for vectors. Reads no
     * tree (unlike {@link #status}); empty when this machine has no manifest for the collection.
     */
    public synchronized Optional<Manifest.Totals> totals() {
        if (writing != null) {
            return Optional.of(writing.manifest().totals());
        }
        Path file = dir.resolve(Manifest.FILE_NAME);
        if (!Manifest.exists(file)) {
            return Optional.empty();
        }
        try (Manifest manifest = Manifest.openForReading(file)) {
            return Optional.of(manifest.totals());
        }
    }

    /**
     * Indexes the tree at {@code root}: new and changed files are read and embedded, deleted ones
     * leave the collection. Returns when the run has ended; a {@code cancellation} from another
     * thread ends it early, keeping what was done.
     *
     * @throws IndexerException for a fatal problem (the message says what to do); what was
     *     committed before it is kept
     * @throws IllegalStateException if the collection was opened for reading
     */
    public RunSummary index(Path root, IndexOptions options, ProgressListener progress, Cancellation cancellation) {
        if (spec.isEmpty()) {
            throw new IllegalStateException("collection '" + name + "' was opened for reading");
        }
        // One run at a time; searches, status and the like do not wait for it (they take this
        // object's monitor only for moments).
        runs.lock();
        try {
            return run(root.toAbsolutePath().normalize(), options, progress, cancellation);
        } finally {
            runs.unlock();
        }
    }

    /**
     * Tidies the collection's store between runs (see {@link VectorStore#settle}): a server calls
     * this when it is idle. Returns at once, keeping what is done, when {@code stop} says so.
     *
     * @return whether the store was left settled
     */
    public boolean settle(java.util.function.BooleanSupplier stop) {
        runs.lock();
        try {
            Writing session;
            synchronized (this) {
                checkOpen();
                session = writing;
            }
            return session == null || session.store().settle(stop);
        } finally {
            runs.unlock();
        }
    }

    private RunSummary run(Path tree, IndexOptions options, ProgressListener progress, Cancellation cancellation) {
        Writing session;
        synchronized (this) {
            session = writing(tree, progress);
        }
        session.manifest().putMeta(Map.of(
                "root", tree.toString(),
                "max_file_size", Long.toString(options.maxFileSize()),
                "follow_symlinks", Boolean.toString(options.followSymlinks())));
        Embedder model = embedder(spec.get().model());
        Optional<VectorCache> vectors;
        synchronized (this) {
            vectors = cache(options.vectorCache());
        }
        SourceReader reader = new SourceReader(new ContentSniffer(Defaults.MAX_LINE_LENGTH),
                new FileChunker(engine.chunking(spec.get()), model.tokenCounter()));
        IndexPipeline.Parts parts = new IndexPipeline.Parts(tree, engine.walkOptions(options), reader, model,
                session.store(), session.manifest(), vectors, options.scope());
        return new IndexPipeline(parts, pipelineSettings(options), progress, cancellation).run();
    }

    /**
     * The chunks that best answer a query, best first.
     *
     * @throws IndexerException if there is no such collection, or its store cannot be read
     */
    public SearchResults search(SearchQuery query) {
        VectorStore store = store();
        List<SearchHit> hits = query.mode() == SearchMode.HYBRID ? hybrid(store, query)
                : store.search(new SearchRequest(query.text(), query.mode() == SearchMode.LEXICAL ? null
                        : queryEmbedder(store.info()).embedQuery(query.text()), query.k(), query.mode(),
                        query.language(), query.path()));
        List<String> notes = new ArrayList<>();
        damage.ifPresent(notes::add);
        if (query.mode() != SearchMode.LEXICAL) {
            coverage().filter(totals -> totals.pendingChunks() > 0).ifPresent(totals -> notes.add(String.format(
                    java.util.Locale.ROOT, "meaning search covers %,d of %,d chunks so far; the other %,d are found"
                            + " by their words until their vectors are made (indexer index continues that)",
                    totals.embeddedChunks(), totals.chunks(), totals.pendingChunks())));
        }
        if (query.mode() != SearchMode.VECTOR) {
            long words = ANALYZER.terms(query.text()).stream().distinct().count();
            if (words > store.maxQueryTerms()) {
                notes.add(String.format(java.util.Locale.ROOT, "the query has %,d distinct words; the lexical search kept"
                        + " at most %,d, the rarest of those the collection has", words, store.maxQueryTerms()));
            }
        }
        return new SearchResults(hits, notes);
    }

    /**
     * A hybrid search whose lexical half runs on another thread while this one embeds the query and
     * runs the vector half, so that the answer can come when the slower half is done rather than
     * after both. On the 2 cores measured (the JDK's 383k chunks: hybrid 29.6 ms at the median,
     * vector 21.5, lexical 8.8) the overlap gains little, the model's two threads having the cores.
     */
    private List<SearchHit> hybrid(VectorStore store, SearchQuery query) {
        int n = HybridSearch.candidates(query.k());
        Future<List<SearchHit>> lexical = HybridSearch.hasWords(query.text())
                ? searches().submit(() -> store.searchOne(new SearchRequest(query.text(), null, n, SearchMode.LEXICAL,
                        query.language(), query.path())))
                : CompletableFuture.completedFuture(List.of());
        try {
            ModelSpec model = modelOf(store.info());
            float[] vector = embedder(model).embedQuery(query.text());
            List<SearchHit> nearest = store.searchOne(new SearchRequest(query.text(), vector, n, SearchMode.VECTOR,
                    query.language(), query.path()));
            return HybridSearch.fuse(query.text(), nearest, lexical.get(), model.hybridVectorWeight(), query.k());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IndexerException("The lexical half of the search failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IndexerException("The search was interrupted.", e);
        } finally {
            lexical.cancel(false); // when the vector half failed: nobody waits for it
        }
    }

    /** Threads for the lexical halves of hybrid searches; made on the first, idle ones end after a minute. */
    private synchronized ExecutorService searches() {
        if (searches == null) {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), task -> {
                        Thread thread = new Thread(task, "indexer-search");
                        thread.setDaemon(true);
                        return thread;
                    });
            searches = pool;
        }
        return searches;
    }

    /**
     * The manifest's totals, for what search says about coverage: read at most every couple of
     * seconds (a server answers many searches while a run changes them), empty without a manifest here.
     */
    private synchronized Optional<Manifest.Totals> coverage() {
        long now = System.nanoTime();
        if (coverageRead == 0 || now - coverageRead > COVERAGE_EVERY) {
            coverageRead = now;
            Path file = dir.resolve(Manifest.FILE_NAME);
            if (writing != null) {
                coverage = Optional.of(writing.manifest().totals());
            } else if (Manifest.exists(file)) {
                try (Manifest manifest = Manifest.openForReading(file)) {
                    coverage = Optional.of(manifest.totals());
                }
            } else {
                coverage = Optional.empty();
            }
        }
        return coverage;
    }

    /** What the collection was built with and where it follows. */
    public CollectionInfo info() {
        return store().info();
    }

    /**
     * What the collection holds and what a rerun would do for {@code tree} (default: the tree it
     * was last indexed from); reads no file contents. A store that cannot be read is reported in
     * {@link CollectionStatus#storeError()} when this machine has the manifest, else thrown.
     */
    public CollectionStatus status(Optional<Path> tree) {
        StoreTarget target = engine.target();
        Path manifestFile = dir.resolve(Manifest.FILE_NAME);
        boolean local = Manifest.exists(manifestFile);
        if (!local && target.local()) {
            throw engine.noCollection(name);
        }
        long storeChunks = -1;
        CollectionInfo stored = null;
        Map<String, Object> details = Map.of();
        Optional<String> storeError = Optional.empty();
        try {
            VectorStore store = store();
            storeChunks = store.count();
            stored = store.info();
            details = store.describe();
        } catch (IndexerException e) {
            if (!local) {
                throw e;
            }
            storeError = Optional.of(e.getMessage()); // the manifest is still worth showing
        }
        if (!local) {
            // Another machine indexed it: only the server's side is known here.
            return new CollectionStatus(name, target.storeName(), target.location(name), stored.model(),
                    stored.dimension(), stored.root(), false, 0, 0, 0, 0, storeChunks, Optional.empty(), "", "",
                    "unknown (indexed elsewhere)", 0, details, storeError);
        }
        try (Manifest manifest = writing != null ? null : Manifest.openForReading(manifestFile)) {
            Manifest m = manifest != null ? manifest : writing.manifest();
            Map<String, String> meta = m.meta();
            Manifest.Totals totals = m.totals();
            Path root = tree.map(p -> p.toAbsolutePath().normalize()).orElse(Path.of(meta.getOrDefault("root", ".")));
            Optional<CollectionStatus.Pending> pending = Files.isDirectory(root)
                    ? Optional.of(pending(m, root, walkOptions(meta), totals.files())) : Optional.empty();
            return new CollectionStatus(name, target.storeName(), target.location(name), meta.getOrDefault("model", "?"),
                    Integer.parseInt(meta.getOrDefault("dimension", "0")), root.toString(), true,
                    totals.indexedFiles(), totals.files() - totals.indexedFiles(), totals.chunks(),
                    totals.embeddedChunks(), storeChunks,
                    pending, meta.getOrDefault("last_run_started", ""), meta.getOrDefault("last_run_finished", ""),
                    RunLiveness.outcome(meta), CollectionFiles.diskBytes(dir), details, storeError);
        } catch (IOException e) {
            throw new IndexerException("Could not read " + dir + " (" + e.getMessage() + ").", e);
        }
    }

    /** Walks the tree as the last run did and compares it with the manifest, reading no file. */
    private static CollectionStatus.Pending pending(Manifest manifest, Path root, WalkOptions options, long recorded) {
        long added = 0;
        long changed = 0;
        long met = 0;
        try (Stream<SourceFile> files = new FileWalker(root, options, (p, r, d) -> {}).stream()) {
            for (Iterator<SourceFile> it = files.iterator(); it.hasNext(); ) {
                SourceFile file = it.next();
                Optional<FileRecord> record = manifest.get(file.relativePath());
                if (record.isEmpty()) {
                    added++;
                } else {
                    met++;
                    if (!record.get().sameMetadata(file.size(), file.modifiedMillis())) {
                        changed++;
                    }
                }
            }
        }
        return new CollectionStatus.Pending(added, changed, recorded - met);
    }

    /** How the last run walked, from what it recorded. */
    private WalkOptions walkOptions(Map<String, String> meta) {
        return engine.walkOptions(IndexOptions.DEFAULTS.withWalk(
                Long.parseLong(meta.getOrDefault("max_file_size", Long.toString(Defaults.MAX_FILE_SIZE))),
                Boolean.parseBoolean(meta.getOrDefault("follow_symlinks", "false"))));
    }

    /** The store to search: the writer's own when open for writing, else one opened for reading. */
    private synchronized VectorStore store() {
        checkOpen();
        if (writing != null) {
            return writing.store();
        }
        if (reading == null) {
            Path manifestFile = dir.resolve(Manifest.FILE_NAME);
            boolean listed = Manifest.exists(manifestFile);
            if (!listed && engine.target().local()) {
                throw engine.noCollection(name);
            }
            if (listed && engine.target().local() && !engine.target().exists(name)) {
                String root;
                try (Manifest manifest = Manifest.openForReading(manifestFile)) {
                    root = manifest.meta().getOrDefault("root", "PATH");
                }
                throw new IndexerException("The index of collection '" + name + "' is missing from " + dir
                        + ", though its manifest is there; index the tree again to rebuild it: indexer index " + root
                        + " --collection " + name);
            }
            reading = engine.target().openForReading(name);
            if (listed) {
                try (Manifest manifest = Manifest.openForReading(manifestFile)) {
                    long expected = manifest.totals().chunks();
                    long held = reading.count();
                    if (held < expected) {
                        damage = Optional.of(String.format(java.util.Locale.ROOT, "the store holds %,d of the %,d"
                                + " chunks the manifest lists; the next index run repairs it", held, expected));
                    }
                }
            }
        }
        return reading;
    }

    /** The writer's manifest and store, opened on the first run (again if the tree moved). */
    private Writing writing(Path root, ProgressListener progress) {
        checkOpen();
        if (writing != null && writing.root().equals(root)) {
            return writing;
        }
        boolean first = writing == null;
        closeWriting();
        StoreTarget target = engine.target();
        // Before anything here changes: a bad server address must not leave a collection recorded against it.
        target.check(name);
        CollectionSpec built = spec.orElseThrow();
        Map<String, String> settings = new HashMap<>(built.settings());
        settings.put("store", target.kind());
        boolean clear = first && rebuild == Rebuild.NOW;
        if (first && rebuild == Rebuild.IF_CHUNKS_OUTDATED && Manifest.exists(dir.resolve(Manifest.FILE_NAME))) {
            try (Manifest old = Manifest.openForReading(dir.resolve(Manifest.FILE_NAME))) {
                Optional<String> outdated = old.outdatedChunker(settings);
                clear = outdated.isPresent();
                outdated.ifPresent(version -> progress.note("collection '" + name + "' was cut into chunks by an"
                        + " earlier version of the indexer (" + version + "); building it again."));
            }
        }
        if (clear) {
            try {
                CollectionFiles.deleteContents(dir);
            } catch (IOException e) {
                throw new IndexerException("Could not empty " + dir + " to build it again (" + e.getMessage() + ").", e);
            }
        }
        Manifest manifest = Manifest.open(dir.resolve(Manifest.FILE_NAME));
        VectorStore store = null;
        try {
            manifest.checkSettings(name, settings);
            CollectionInfo info = new CollectionInfo(name, built.model().id(), built.model().dimension(), root.toString());
            store = target.openForWriting(info, clear);
            manifest.putMeta(settings);
            Optional<CollectionInfo> previous = store.previous();
            if (previous.isEmpty() && manifest.totals().files() > 0) {
                // The manifest speaks of chunks this store does not have: start over.
                manifest.forgetFiles();
                progress.note(target.describe(name) + " did not exist; indexing every file again.");
            }
            StoreCheck.reconcile(name, manifest, store, progress);
            previous.filter(before -> !before.root().isEmpty() && !before.root().equals(info.root()))
                    .ifPresent(before -> progress.note("collection '" + name + "' was indexed from " + before.root()
                            + "; it now follows " + info.root() + "."));
            writing = new Writing(root, manifest, store);
            storeOpened = true;
            return writing;
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            manifest.close();
            throw e;
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
            cache = VectorCache.open(engine.home().vectorCache(), bytes);
            cacheBytes = bytes;
        }
        return Optional.of(cache);
    }

    private synchronized Embedder embedder(ModelSpec model) {
        if (embedder == null) {
            embedder = new LazyEmbedder(model, Defaults.MODEL_INPUT_TOKENS,
                    () -> engine.embedders().open(model, Defaults.MODEL_INPUT_TOKENS, engine.threads()),
                    () -> engine.embedders().tokenizer(model));
        }
        return embedder;
    }

    /** The model a collection's queries are embedded with: the one its vectors were made with. */
    private Embedder queryEmbedder(CollectionInfo info) {
        return embedder(modelOf(info));
    }

    private static ModelSpec modelOf(CollectionInfo info) {
        try {
            return ModelSpec.byId(info.model());
        } catch (IllegalArgumentException e) {
            throw new IndexerException("Collection '" + info.name() + "' was built with model " + info.model()
                    + ", which this version does not have; index it again with --model " + ModelSpec.ids() + ".");
        }
    }

    /** Chunks of the default size (within what the model takes), cut as the collection's chunker says. */
    static ChunkingOptions chunking(CollectionSpec spec) {
        int model = Defaults.MODEL_INPUT_TOKENS - spec.model().specialTokens();
        // A long line (a signature, a string) is a chunk of its own as long as the model reads it whole.
        ChunkingOptions options = ChunkingOptions.withTextTokens(Math.min(Defaults.CHUNK_TOKENS, model))
                .withLineTokens(model);
        return spec.chunker() == ChunkerKind.SYNTAX ? options : options.withLineWindows(true);
    }

    private PipelineSettings pipelineSettings(IndexOptions options) {
        return new PipelineSettings(
                options.batchSize(),
                options.maxFiles(),
                Defaults.QUEUE_ITEMS,
                engine.memory().queueBytes(),
                engine.memory().embedBatchTokens(),
                Defaults.EMBED_BATCH_INPUTS,
                options.commitInterval(),
                Defaults.PROGRESS_INTERVAL);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("collection '" + name + "' is closed");
        }
    }

    private void closeWriting() {
        if (writing != null) {
            try {
                writing.store().close();
            } finally {
                writing.manifest().close();
                writing = null;
            }
        }
    }

    /**
     * Releases the store, the manifest, the model and the lock; nothing uncommitted is kept. Waits
     * for a run in progress to end (cancel it first to end it soon). Safe twice.
     */
    @Override
    public void close() {
        runs.lock();
        try {
            closeNow();
        } finally {
            runs.unlock();
        }
    }

    private synchronized void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            closeWriting();
            if (reading != null) {
                reading.close();
            }
            if (cache != null) {
                cache.close();
            }
            if (embedder != null) {
                embedder.close();
            }
            if (searches != null) {
                searches.shutdownNow();
            }
        } finally {
            if (lock != null) {
                lock.close();
                if (createdDir && !storeOpened) {
                    // This open made the directory and nothing came of it (the store could not be opened, say).
                    try {
                        CollectionFiles.deleteContents(dir);
                        Files.deleteIfExists(dir.resolve(CollectionLock.FILE_NAME));
                        Files.deleteIfExists(dir);
                    } catch (IOException e) {
                        // an empty directory left behind is harmless
                    }
                }
            }
        }
    }
}
