package dev.indexer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.IndexerException;
import dev.indexer.TestModels;
import dev.indexer.chunk.ChunkingOptions;
import dev.indexer.chunk.FileChunker;
import dev.indexer.chunk.TokenCounter;
import dev.indexer.embed.ModelSpec;
import dev.indexer.embed.djl.DjlEmbedder;
import dev.indexer.state.Manifest;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.EmbeddedChunk;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchRequest;
import dev.indexer.store.VectorStore;
import dev.indexer.store.local.LuceneStore;
import dev.indexer.walk.ContentSniffer;
import dev.indexer.walk.SkipReason;
import dev.indexer.walk.WalkOptions;
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
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexPipelineTest {
    private static DjlEmbedder embedder;

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

    private static PipelineSettings settings(int batchSize, long maxFiles) {
        return new PipelineSettings(batchSize, maxFiles, 64, 1 << 20, 2048, 16, Duration.ZERO, Duration.ofMillis(50));
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

    private RunSummary run(VectorStore store, PipelineSettings settings, TokenCounter counter) {
        FileChunker chunker = new FileChunker(ChunkingOptions.forModel(256, 2), counter);
        try (Manifest manifest = Manifest.open(indexDir.resolve("manifest.db"))) {
            return new IndexPipeline(tree, new WalkOptions(64 * 1024, WalkOptions.SymlinkPolicy.SKIP),
                    new ContentSniffer(4000), chunker, embedder, store, manifest, settings, progress).run();
        }
    }

    private LuceneStore openStore() {
        return LuceneStore.openForWriting(indexDir.resolve("lucene"), new CollectionInfo("t", "bge-small", 384, tree.toString()));
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

        RunSummary summary;
        try (LuceneStore store = openStore()) {
            summary = run(store, settings(2, Long.MAX_VALUE), embedder.tokenCounter());
            assertEquals(summary.chunks(), store.count());
        }
        assertEquals(5, summary.filesIndexed(), "3 sources, README.md and .gitignore");
        assertEquals(Map.of(
                SkipReason.IGNORED, 1L,
                SkipReason.IGNORED_DIRECTORY, 1L,
                SkipReason.SECRET, 1L,
                SkipReason.TOO_LARGE, 1L,
                SkipReason.GENERATED, 1L,
                SkipReason.NOT_UTF8, 1L,
                SkipReason.BINARY, 1L), summary.skipped());
        assertEquals(11, summary.filesSeen());
        assertEquals(6, summary.filesSkipped());
        assertEquals(5, summary.chunks());
        assertTrue(summary.tokens() > 40);
        assertFalse(summary.moreRemain());
        assertEquals(8, summary.expectedFiles(), "the pre-count sees every file the walk hands on for reading");
        assertEquals(8, summary.filesDone());
        assertEquals(summary.chunks(), progress.finished.chunks(), "the display is told the final numbers");

        // A second run over the same tree replaces chunks instead of adding duplicates.
        try (LuceneStore store = openStore()) {
            run(store, settings(2, Long.MAX_VALUE), embedder.tokenCounter());
            assertEquals(5, store.count());
            List<SearchHit> hits = store.search(embedder.embedQuery("handles request number 2"), 1);
            assertEquals("src/Service2.java", hits.get(0).path());
        }
    }

    @Test
    void stopsAtMaxFilesAndTheNextRunContinues() throws IOException {
        writeSources(5);
        try (LuceneStore store = openStore()) {
            RunSummary first = run(store, settings(25, 2), embedder.tokenCounter());
            assertEquals(2, first.filesIndexed());
            assertEquals(3, first.changes().remaining());
            assertTrue(first.moreRemain());
            assertEquals(2, store.count());
            RunSummary second = run(store, settings(25, 5), embedder.tokenCounter());
            assertEquals(3, second.filesIndexed(), "only the files the first run left");
            assertEquals(2, second.changes().unchanged());
            assertFalse(second.moreRemain());
            assertEquals(5, store.count());
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
        try (LuceneStore store = openStore()) {
            RunSummary summary = run(store, settings(1, Long.MAX_VALUE), truncating);
            assertEquals(Map.of(SkipReason.CHANGED, 1L), summary.skipped());
            assertEquals(2, summary.filesIndexed());
            assertEquals(2, store.count(), "only the two small files' chunks remain");
            for (SearchHit hit : store.search(embedder.embedQuery("compute value"), 10)) {
                assertFalse(hit.path().equals("src/Big.java"), "a chunk of the changed file was kept");
            }
        }
    }

    @Test
    void aFatalStoreErrorStopsEveryStageAndKeepsWhatWasCommitted() throws IOException {
        writeSources(30);
        AtomicInteger upserts = new AtomicInteger();
        try (LuceneStore lucene = openStore()) {
            VectorStore failing = new ForwardingStore(lucene) {
                @Override
                public void upsert(List<EmbeddedChunk> chunks) {
                    if (!chunks.isEmpty() && upserts.incrementAndGet() == 4) {
                        throw new IndexerException("The store is full.");
                    }
                    super.upsert(chunks);
                }
            };
            IndexerException e = assertThrows(IndexerException.class,
                    () -> run(failing, settings(1, Long.MAX_VALUE), embedder.tokenCounter()));
            assertEquals("The store is full.", e.getMessage());
            assertEquals(3, lucene.count(), "the three batches committed before the failure");
        }
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            assertFalse(name.equals("indexer-walk") || name.equals("indexer-chunk")
                    || name.equals("indexer-embed") || name.equals("indexer-write"), name + " still running");
        }
    }

    /** Passes everything to another store; tests override what they need to break. */
    private static class ForwardingStore implements VectorStore {
        private final VectorStore delegate;

        ForwardingStore(VectorStore delegate) {
            this.delegate = delegate;
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
        public List<SearchHit> searchOne(SearchRequest request) {
            return delegate.searchOne(request);
        }

        @Override
        public Map<String, float[]> vectors(Map<String, String> hashById) {
            return delegate.vectors(hashById);
        }

        @Override
        public void scan(BiConsumer<String, String> visitor) {
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
