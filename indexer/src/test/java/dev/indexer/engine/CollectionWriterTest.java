package dev.indexer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.IndexerException;
import dev.indexer.StandInEmbedder;
import dev.indexer.StoredChunks;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.ModelSpec;
import dev.indexer.config.Rebuild;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.pipeline.RunSummary;
import dev.indexer.state.Manifest;
import dev.indexer.store.StoreWriter;
import dev.indexer.store.local.EmbeddedTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library entry point as the server and the tests use it: several runs in one process, cancelled runs. */
class CollectionWriterTest {
    private static final int FILES = 120;

    @TempDir
    Path tree;

    @TempDir
    Path homeDir;

    private Engine engine(long millisPerCall) {
        return engine(millisPerCall, MemoryBudget.plan(1L << 30, 256L << 20, ModelSpec.BGE_SMALL));
    }

    private Engine engine(long millisPerCall, MemoryBudget memory) {
        IndexHome home = new IndexHome(homeDir);
        return new Engine(home, new EmbeddedTarget(home, 16), memory, 2, StandInEmbedder.factory(millisPerCall));
    }

    private void writeTree() throws IOException {
        for (int i = 0; i < FILES; i++) {
            Path file = tree.resolve("p" + (i % 7)).resolve("Part" + i + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "class Part" + i + " {\n    long times" + i + "(long x) { return x * " + i + "; }\n}\n");
        }
    }

    private static final IndexOptions SMALL_BATCHES = IndexOptions.DEFAULTS.withBatchSize(4)
            .withCommitInterval(Duration.ZERO);

    private Map<String, String> storedChunks(String name) {
        return StoredChunks.scan(homeDir, name);
    }

    private Map<String, Integer> manifestChunks(String name) {
        try (Manifest manifest = Manifest.openForReading(new dev.indexer.config.IndexHome(homeDir).repoDir(name)
                .resolve(Manifest.FILE_NAME))) {
            Map<String, Integer> counts = new HashMap<>(manifest.chunkCounts());
            counts.values().removeIf(n -> n == 0);
            return counts;
        }
    }

    /** Cancels {@code cancellation} from another thread once the manifest's totals pass {@code reached}. */
    private Thread cancelWhen(Cancellation cancellation, String collection,
            java.util.function.Predicate<Manifest.Totals> reached) {
        Thread watcher = new Thread(() -> {
            Path manifest = new dev.indexer.config.IndexHome(homeDir).repoDir(collection).resolve(Manifest.FILE_NAME);
            while (!cancellation.isCancelled()) {
                if (Files.exists(manifest)) {
                    try (Manifest m = Manifest.openForReading(manifest)) {
                        if (reached.test(m.totals())) {
                            cancellation.cancel();
                        }
                    } catch (RuntimeException e) {
                        // not created yet
                    }
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        return watcher;
    }

    @Test
    void aRunCancelledWhileEmbeddingKeepsWhatItCommittedAndTheNextRunFinishes() throws Exception {
        writeTree();
        // The smallest model calls (512 tokens: a few dozen of these tiny chunks), each slow enough to stop between two.
        Engine engine = engine(250, MemoryBudget.plan(256L << 20, 64L << 20, ModelSpec.BGE_SMALL));
        Cancellation cancellation = new Cancellation();
        RunSummary interrupted;
        try (CollectionWriter collection = engine.openWriter("c", CollectionSpec.DEFAULTS, Rebuild.NO)) {
            // Another thread, as a server's would, cancels once a dozen files have their vectors.
            Thread watcher = cancelWhen(cancellation, "c",
                    totals -> totals.indexedFiles() == FILES && totals.pendingFiles() <= FILES - 12);
            interrupted = collection.index(tree, SMALL_BATCHES, ProgressListener.NONE, cancellation);
            watcher.join();
        }
        assertEquals(RunSummary.Outcome.INTERRUPTED, interrupted.outcome());
        assertEquals(FILES, interrupted.files().indexed(), "every file was searchable by words before the model ran");
        assertTrue(interrupted.files().embedded() >= 12 && interrupted.files().embedded() < FILES,
                "stopped part way through embedding: " + interrupted.files().embedded());
        assertConsistent("c");
        try (CollectionReader collection = engine.openReader("c")) {
            CollectionReader.Status status = collection.status(Optional.empty());
            assertTrue(status.lastRunOutcome().startsWith("interrupted"), status.lastRunOutcome());
            assertEquals(0, status.pending().orElseThrow().added(), "nothing left to read");
            assertEquals(FILES - interrupted.files().embedded(), status.chunks() - status.chunksWithVectors());
        }
        RunSummary rest;
        try (CollectionWriter collection = engine.openWriter("c", CollectionSpec.DEFAULTS, Rebuild.NO)) {
            rest = collection.index(tree, SMALL_BATCHES, ProgressListener.NONE, new Cancellation());
        }
        assertEquals(RunSummary.Outcome.COMPLETED, rest.outcome());
        assertEquals(0, rest.files().indexed());
        assertEquals(FILES - interrupted.files().embedded(), rest.files().embedded(), "the rerun embeds only what was left");
        assertEquals(0, rest.chunks().waiting());
        assertSameAsOneCleanRun(engine, "c");
    }

    @Test
    void aRunCancelledWhileReadingKeepsWhatItCommittedAndTheNextRunFinishes() throws Exception {
        writeTree();
        // A slow tokenizer makes the reading phase long enough to be cancelled in.
        StandInEmbedder.SlowWords slow = new StandInEmbedder.SlowWords(5);
        IndexHome home = new IndexHome(homeDir);
        MemoryBudget memory = MemoryBudget.plan(1L << 30, 256L << 20, ModelSpec.BGE_SMALL);
        Engine engine = new Engine(home, new EmbeddedTarget(home, 16), memory, 2, StandInEmbedder.factory(0, slow));
        Cancellation cancellation = new Cancellation();
        RunSummary interrupted;
        try (CollectionWriter collection = engine.openWriter("r", CollectionSpec.DEFAULTS, Rebuild.NO)) {
            Thread watcher = cancelWhen(cancellation, "r", totals -> totals.indexedFiles() >= 12);
            interrupted = collection.index(tree, SMALL_BATCHES, ProgressListener.NONE, cancellation);
            watcher.join();
        }
        assertEquals(RunSummary.Outcome.INTERRUPTED, interrupted.outcome());
        assertTrue(interrupted.files().indexed() >= 12 && interrupted.files().indexed() < FILES,
                "stopped part way through reading: " + interrupted.files().indexed());
        assertEquals(0, interrupted.files().embedded(), "no embedding phase after a cancelled reading phase");
        assertConsistent("r");
        RunSummary rest;
        try (CollectionWriter collection = engine.openWriter("r", CollectionSpec.DEFAULTS, Rebuild.NO)) {
            rest = collection.index(tree, SMALL_BATCHES, ProgressListener.NONE, new Cancellation());
        }
        assertEquals(FILES - interrupted.files().indexed() - rest.changes().touched(), rest.files().indexed(),
                "the rerun reads only what was left");
        assertEquals(0, rest.chunks().waiting());
        assertSameAsOneCleanRun(engine, "r");
    }

    /** The manifest records exactly what the store committed: files, chunks, and chunks still without vectors. */
    private void assertConsistent(String name) {
        Map<String, Integer> perFile = new HashMap<>();
        storedChunks(name).values().forEach(path -> perFile.merge(path, 1, Integer::sum));
        assertEquals(perFile, manifestChunks(name), "the manifest records exactly what the store committed");
        Path manifestFile = new dev.indexer.config.IndexHome(homeDir).repoDir(name).resolve(Manifest.FILE_NAME);
        try (StoreWriter store = StoredChunks.open(homeDir, name);
                Manifest manifest = Manifest.openForReading(manifestFile)) {
            for (String path : perFile.keySet()) {
                assertEquals(manifest.get(path).orElseThrow().pending(), store.chunksWithoutVectors(path).size(),
                        "chunks waiting for vectors in " + path);
            }
        }
    }

    private void assertSameAsOneCleanRun(Engine engine, String name) throws IOException {
        try (CollectionWriter clean = engine.openWriter("clean-" + name, CollectionSpec.DEFAULTS, Rebuild.NO)) {
            clean.index(tree, SMALL_BATCHES, ProgressListener.NONE, new Cancellation());
        }
        assertEquals(storedChunks("clean-" + name), storedChunks(name), "the same chunks as one clean run");
        java.util.Set<String> paths = new java.util.TreeSet<>(storedChunks(name).values());
        try (StoreWriter store = StoredChunks.open(homeDir, name)) {
            for (String path : paths) {
                assertEquals(List.of(), store.chunksWithoutVectors(path), "every chunk has its vector: " + path);
            }
        }
    }

    @Test
    void oneCollectionOpenForWritingRunsSeveralIndexesAndSearchesBetweenThem() throws IOException {
        writeTree();
        try (CollectionWriter collection = engine(0).openWriter("live", CollectionSpec.DEFAULTS, Rebuild.NO)) {
            assertEquals(FILES, collection.index(tree, IndexOptions.DEFAULTS, ProgressListener.NONE,
                    new Cancellation()).files().indexed());
            Files.writeString(tree.resolve("p0/Extra.java"), "class Extra {\n    String greeting() { return \"hello\"; }\n}\n");
            RunSummary second = collection.index(tree, IndexOptions.DEFAULTS, ProgressListener.NONE, new Cancellation());
            assertEquals(1, second.files().indexed());
            assertEquals(FILES, second.changes().unchanged());
            CollectionReader.Results found = collection.reader().search(SearchQuery.of("greeting").withMode(dev.indexer.store.SearchMode.LEXICAL));
            assertEquals("p0/Extra.java", found.hits().get(0).path());
            // One writer per collection, in this process too.
            IndexerException busy = assertThrows(IndexerException.class,
                    () -> engine(0).openWriter("live", CollectionSpec.DEFAULTS, Rebuild.NO));
            assertTrue(busy.getMessage().contains("is being written by another indexer process"), busy.getMessage());
        }
    }

    @Test
    void statusNeverCallsADeadRunRunning() throws IOException {
        writeTree();
        try (CollectionWriter collection = engine(0).openWriter("dead", CollectionSpec.DEFAULTS, Rebuild.NO)) {
            collection.index(tree, IndexOptions.DEFAULTS.withMaxFiles(3), ProgressListener.NONE, new Cancellation());
        }
        // What a run killed with kill -9 leaves: "running", with the pid of a process that is gone.
        Process gone = new ProcessBuilder("true").start();
        long pid = gone.pid();
        try {
            gone.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Manifest manifest = Manifest.open(new dev.indexer.config.IndexHome(homeDir).repoDir("dead").resolve(Manifest.FILE_NAME))) {
            manifest.putMeta(Map.of("last_run_outcome", "running", "last_run_pid", Long.toString(pid),
                    "last_run_started", java.time.Instant.now().toString()));
        }
        try (CollectionReader collection = engine(0).openReader("dead")) {
            String outcome = collection.status(Optional.empty()).lastRunOutcome();
            assertFalse(outcome.startsWith("running"), outcome);
            assertTrue(outcome.startsWith("interrupted: its process (pid " + pid + ") stopped without finishing"), outcome);
        }
        assertTrue(engine(0).collections().stream().anyMatch(c -> c.name().equals("dead")
                && c.lastRunOutcome().startsWith("interrupted")));
    }
}
