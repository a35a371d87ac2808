package dev.indexer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.IndexerException;
import dev.indexer.TestModels;
import dev.indexer.chunk.TokenCounter;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.ModelSpec;
import dev.indexer.config.Rebuild;
import dev.indexer.embed.Embedder;
import dev.indexer.embed.EmbedderFactory;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.engine.CollectionWriter;
import dev.indexer.engine.Engine;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.EmbeddedChunk;
import dev.indexer.store.Nearest;
import dev.indexer.store.SearchHit;
import dev.indexer.store.StoreReader;
import dev.indexer.store.StoreTarget;
import dev.indexer.store.StoreWriter;
import dev.indexer.store.local.EmbeddedTarget;
import dev.indexer.walk.SkipReason;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexPipelineTest {
    private static OnnxEmbedder embedder;

    @TempDir
    Path tree;

    @TempDir
    Path indexDir;

    @BeforeAll
    static void load() {
        embedder = TestModels.open(ModelSpec.BGE_SMALL);
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    private static IndexOptions settings(int batchSize, long maxFiles) {
        return IndexOptions.DEFAULTS.withMaxFileSize(64 * 1024).withBatchSize(batchSize).withMaxFiles(maxFiles)
                .withCommitInterval(Duration.ZERO).withVectorCache(0);
    }

    /** Remembers what a progress display would have been told. */
    private static final class RecordingProgress implements ProgressListener {
        final List<RunSummary> updates = new java.util.concurrent.CopyOnWriteArrayList<>();
        RunSummary finished;

        @Override
        public void update(RunSummary progress) {
            updates.add(progress);
        }

        @Override
        public void finish(RunSummary result) {
            finished = result;
        }
    }

    private final RecordingProgress progress = new RecordingProgress();

    /** The real model, with another token counter (to act while a file is read). */
    private static Embedder counting(TokenCounter counter) {
        return new Embedder() {
            @Override
            public ModelSpec model() {
                return embedder.model();
            }

            @Override
            public int maxTokens() {
                return embedder.maxTokens();
            }

            @Override
            public int specialTokens() {
                return embedder.specialTokens();
            }

            @Override
            public TokenCounter tokenCounter() {
                return counter;
            }

            @Override
            public float[][] embedDocuments(List<String> texts) {
                return embedder.embedDocuments(texts);
            }

            @Override
            public float[][] embedDocumentsForSearch(List<String> texts) {
                return embedder.embedDocumentsForSearch(texts);
            }

            @Override
            public float[] embedQuery(String query) {
                return embedder.embedQuery(query);
            }

            @Override
            public void close() {}
        };
    }

    /** The embedded store, each store it opens for writing passed through {@code wrap}. */
    private StoreTarget target(UnaryOperator<StoreWriter> wrap) {
        EmbeddedTarget lucene = new EmbeddedTarget(home(), 16);
        return new StoreTarget() {
            @Override
            public String kind() {
                return lucene.kind();
            }

            @Override
            public String describe(String collection) {
                return lucene.describe(collection);
            }

            @Override
            public String storeName() {
                return lucene.storeName();
            }

            @Override
            public String location(String collection) {
                return lucene.location(collection);
            }

            @Override
            public boolean local() {
                return true;
            }

            @Override
            public void check(String collection) {}

            @Override
            public boolean exists(String collection) {
                return lucene.exists(collection);
            }

            @Override
            public StoreReader openReader(String collection, dev.indexer.store.RepoScope repos) {
                return lucene.openReader(collection, repos);
            }

            @Override
            public java.util.List<dev.indexer.store.RepoSummary> repos(String collection) {
                return lucene.repos(collection);
            }

            @Override
            public boolean dropRepo(String collection, String repo) {
                return lucene.dropRepo(collection, repo);
            }

            @Override
            public StoreWriter openWriter(CollectionInfo info, String repo, Contents contents) {
                return wrap.apply(lucene.openWriter(info, repo, contents));
            }

            @Override
            public boolean drop(String collection) {
                return lucene.drop(collection);
            }
        };
    }

    private IndexHome home() {
        return new IndexHome(indexDir);
    }

    private RunSummary run(IndexOptions options, TokenCounter counter) {
        return run(options, counter, UnaryOperator.identity());
    }

    private RunSummary run(IndexOptions options, TokenCounter counter, UnaryOperator<StoreWriter> wrap) {
        MemoryBudget memory = MemoryBudget.plan(1L << 30, 256L << 20, ModelSpec.BGE_SMALL);
        Engine engine = new Engine(home(), target(wrap), memory, 2, new EmbedderFactory() {
            @Override
            public Embedder open(ModelSpec model, int maxTokens, int threads) {
                return counting(counter);
            }

            @Override
            public EmbedderFactory.Tokenizer tokenizer(ModelSpec model) {
                return new EmbedderFactory.Tokenizer() {
                    @Override
                    public int[] countLines(List<String> lines) {
                        return counter.countLines(lines);
                    }

                    @Override
                    public void close() {}
                };
            }
        });
        try (CollectionWriter collection = engine.openWriter("t", CollectionSpec.DEFAULTS, Rebuild.NO)) {
            return collection.index(tree, options, progress, new Cancellation());
        }
    }

    /** The collection, opened for reading. */
    private StoreReader openStore() {
        return new EmbeddedTarget(home(), 16).openReader("t");
    }

    private void write(String relative, String content) throws IOException {
        Path file = tree.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private void writeSources(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            write("src/Service" + i + ".java", "class Service" + i + " {\n"
                    + "    /** Handles request number " + i + ". */\n"
                    + "    int handle(int x) { return x * " + i + "; }\n}\n");
        }
    }

    @Test
    void indexesATreeAndCountsEveryKindOfSkip() throws IOException {
        writeSources(3);
        write("README.md", "# Demo\n\nA tree for the pipeline test.\n");
        write(".gitignore", "*.log\n");
        write("debug.log", "ignored");
        write(".env", "SECRET=1");
        write("big.txt", "x\n".repeat(40_000));
        write("app.js", "var a=1;".repeat(1000));
        Files.write(tree.resolve("latin1.txt"), "très élevé à côté ".repeat(50).getBytes(StandardCharsets.ISO_8859_1));
        Files.write(tree.resolve("blob.bin"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0});
        Files.createDirectories(tree.resolve("node_modules/x"));
        write("node_modules/x/index.js", "module.exports = 1;");

        RunSummary summary = run(settings(2, Long.MAX_VALUE), embedder.tokenCounter());
        try (StoreReader store = openStore()) {
            assertEquals(summary.chunks().written(), store.count());
        }
        assertEquals(5, summary.files().indexed(), "3 sources, README.md and .gitignore");
        assertEquals(Map.of(
                SkipReason.IGNORED, 1L,
                SkipReason.IGNORED_DIRECTORY, 1L,
                SkipReason.SECRET, 1L,
                SkipReason.TOO_LARGE, 1L,
                SkipReason.GENERATED, 1L,
                SkipReason.NOT_UTF8, 1L,
                SkipReason.BINARY, 1L), summary.issues().skipped());
        assertEquals(11, summary.files().seen());
        assertEquals(6, summary.issues().filesSkipped());
        assertEquals(5, summary.chunks().written());
        assertTrue(summary.chunks().tokens() > 40);
        assertFalse(summary.moreRemain());
        assertEquals(8, summary.files().expected(), "the pre-count sees every file the walk hands on for reading");
        assertEquals(8, summary.files().done());
        assertEquals(summary.chunks().written(), progress.finished.chunks().written(), "the display is told the final numbers");

        // A second run over the same tree replaces chunks instead of adding duplicates.
        run(settings(2, Long.MAX_VALUE), embedder.tokenCounter());
        try (StoreReader store = openStore()) {
            assertEquals(5, store.count());
            List<SearchHit> hits = Nearest.to(store, embedder.embedQuery("handles request number 2"), 1);
            assertEquals("src/Service2.java", hits.get(0).path());
        }
    }

    @Test
    void aSourceFileCutIntoLineWindowsIsReportedWithItsReason() throws IOException {
        writeSources(1);
        write("src/Broken.java", "class Broken {\n" + "    int x = ((((;\n".repeat(20) + "}\n");
        RunSummary summary = run(settings(5, Long.MAX_VALUE), embedder.tokenCounter());
        assertEquals(2, summary.files().indexed(), "a broken file is still indexed, in line windows");
        assertEquals(Map.of("line windows instead of syntax chunks", 1L), summary.issues().fallbacks());
        String example = summary.issues().fallbackExamples().get("line windows instead of syntax chunks").get(0);
        assertTrue(example.startsWith("src/Broken.java (syntax errors on "), example);
    }

    @Test
    void stopsAtMaxFilesAndTheNextRunContinues() throws IOException {
        writeSources(5);
        RunSummary first = run(settings(25, 2), embedder.tokenCounter());
        assertEquals(5, first.files().indexed(), "every file searchable by words");
        assertEquals(2, first.files().embedded(), "two files' worth of embedding");
        assertEquals(3, first.changes().remaining());
        assertEquals(3, first.chunks().waiting());
        assertTrue(first.moreRemain());
        assertEquals(RunSummary.Outcome.STOPPED_AT_MAX_FILES, first.outcome());
        try (StoreReader store = openStore()) {
            assertEquals(5, store.count());
            assertEquals(2, Nearest.to(store, embedder.embedQuery("handles request"), 10).size(), "two have vectors");
        }
        RunSummary second = run(settings(25, 5), embedder.tokenCounter());
        assertEquals(0, second.files().indexed(), "nothing to read again");
        assertEquals(3, second.files().embedded(), "only the files the first run left");
        assertEquals(5, second.changes().unchanged());
        assertFalse(second.moreRemain());
        assertEquals(0, second.chunks().waiting());
        try (StoreReader store = openStore()) {
            assertEquals(5, store.count());
            assertEquals(5, Nearest.to(store, embedder.embedQuery("handles request"), 10).size());
        }
    }

    @Test
    void aFileThatChangesWhileReadLeavesNoChunksBehind() throws IOException {
        writeSources(2);
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            big.append("    value").append(i).append(" = compute(").append(i).append(");\n");
        }
        big.append("TRUNCATE-ME\n");
        for (int i = 0; i < 100; i++) {
            big.append("    tail").append(i).append("();\n");
        }
        write("src/Big.java", big.toString());
        Path bigFile = tree.resolve("src/Big.java");
        TokenCounter real = embedder.tokenCounter();
        // The counter sees text as it is read, so it can truncate the file at a known point mid-read.
        TokenCounter truncating = lines -> {
            if (lines.contains("TRUNCATE-ME")) {
                try (RandomAccessFile file = new RandomAccessFile(bigFile.toFile(), "rw")) {
                    file.setLength(100);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return real.countLines(lines);
        };
        RunSummary summary = run(settings(1, Long.MAX_VALUE), truncating);
        assertEquals(Map.of(SkipReason.CHANGED, 1L), summary.issues().skipped());
        assertEquals(2, summary.files().indexed());
        try (StoreReader store = openStore()) {
            assertEquals(2, store.count(), "only the two small files' chunks remain");
            for (SearchHit hit : Nearest.to(store, embedder.embedQuery("compute value"), 10)) {
                assertFalse(hit.path().equals("src/Big.java"), "a chunk of the changed file was kept");
            }
        }
    }

    @Test
    void theStoreHearsHowManyChunksWaitBeforeTheFirstVector() throws IOException {
        writeSources(6);
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        UnaryOperator<StoreWriter> recording = lucene -> new ForwardingStore(lucene) {
            @Override
            public void beforeVectors(long waitingChunks) {
                events.add("before " + waitingChunks);
                super.beforeVectors(waitingChunks);
            }

            @Override
            public void addVectors(List<EmbeddedChunk> chunks) {
                events.add("vectors");
                super.addVectors(chunks);
            }
        };
        RunSummary summary = run(settings(2, Long.MAX_VALUE), embedder.tokenCounter(), recording);
        assertEquals(6, summary.chunks().written());
        assertEquals("before 6", events.get(0), events.toString());
        assertEquals(1, events.stream().filter(e -> e.startsWith("before")).count(), events.toString());
        assertTrue(events.size() > 1 && events.subList(1, events.size()).stream().allMatch("vectors"::equals),
                events.toString());
        // A rerun with nothing new: nothing waits, and the store hears so.
        events.clear();
        run(settings(2, Long.MAX_VALUE), embedder.tokenCounter(), recording);
        assertEquals(List.of("before 0"), events);
    }

    @Test
    void aFatalStoreErrorStopsEveryStageAndKeepsWhatWasCommitted() throws Exception {
        writeSources(30);
        AtomicInteger upserts = new AtomicInteger();
        UnaryOperator<StoreWriter> failing = lucene -> new ForwardingStore(lucene) {
            @Override
            public void upsert(List<EmbeddedChunk> chunks) {
                if (!chunks.isEmpty() && upserts.incrementAndGet() == 4) {
                    throw new IndexerException("The store is full.");
                }
                super.upsert(chunks);
            }
        };
        IndexerException e = assertThrows(IndexerException.class,
                () -> run(settings(1, Long.MAX_VALUE), embedder.tokenCounter(), failing));
        assertEquals("The store is full.", e.getMessage());
        try (StoreReader store = openStore()) {
            assertEquals(3, store.count(), "the three batches committed before the failure");
        }
        // The stages are joined before run() returns; the pre-count and the progress ticker are not,
        // and must stop too: a run that leaves threads behind leaks them into a long-lived server.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        List<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                    .filter(name -> name.startsWith("indexer-")).toList();
            if (!left.isEmpty()) {
                Thread.sleep(50);
            }
        } while (!left.isEmpty() && System.nanoTime() < deadline);
        assertEquals(List.of(), left, "threads of the failed run still running");
    }

    /** Passes everything to another store; tests override what they need to break. */
    private static class ForwardingStore implements StoreWriter {
        private final StoreWriter delegate;

        ForwardingStore(StoreWriter delegate) {
            this.delegate = delegate;
        }

        @Override
        public String repo() {
            return delegate.repo();
        }

        @Override
        public CollectionInfo info() {
            return delegate.info();
        }

        @Override
        public void deleteFile(String path) {
            delegate.deleteFile(path);
        }

        @Override
        public void upsert(List<EmbeddedChunk> chunks) {
            delegate.upsert(chunks);
        }

        @Override
        public void commit() {
            delegate.commit();
        }

        @Override
        public java.util.Optional<CollectionInfo> previous() {
            return delegate.previous();
        }

        @Override
        public StoreReader reader() {
            return delegate.reader();
        }

        @Override
        public void addVectors(List<EmbeddedChunk> chunks) {
            delegate.addVectors(chunks);
        }

        @Override
        public void beforeVectors(long waitingChunks) {
            delegate.beforeVectors(waitingChunks);
        }

        @Override
        public List<dev.indexer.chunk.Chunk> chunksWithoutVectors(String path) {
            return delegate.chunksWithoutVectors(path);
        }

        @Override
        public Map<String, float[]> vectors(Map<String, String> hashById) {
            return delegate.vectors(hashById);
        }

        @Override
        public void scan(java.util.function.Consumer<dev.indexer.store.StoredChunk> visitor) {
            delegate.scan(visitor);
        }

        @Override
        public long count() {
            return delegate.count();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
