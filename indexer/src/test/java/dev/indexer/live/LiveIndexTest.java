package dev.indexer.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.IndexerException;
import dev.indexer.StandInEmbedder;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.ModelSpec;
import dev.indexer.config.Rebuild;
import dev.indexer.engine.CollectionReader;
import dev.indexer.engine.CollectionWriter;
import dev.indexer.engine.Engine;
import dev.indexer.engine.SearchQuery;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.state.Manifest;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import dev.indexer.store.local.EmbeddedTarget;
import dev.indexer.walk.FileWalker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A live index over a real tree, real Lucene and a stand-in model: runs over changed paths, and who goes first. */
class LiveIndexTest {
    @TempDir
    Path tree;

    @TempDir
    Path homeDir;

    private final List<String> log = new ArrayList<>();

    private Engine engine(long millisPerCall) {
        IndexHome home = new IndexHome(homeDir);
        MemoryBudget memory = MemoryBudget.plan(256L << 20, 64L << 20, ModelSpec.BGE_SMALL);
        return new Engine(home, new EmbeddedTarget(home, 16), memory, 2, StandInEmbedder.factory(millisPerCall));
    }

    private void write(String relative, String text) throws IOException {
        Path file = tree.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private LiveIndex start(Engine engine, CollectionWriter collection, LiveIndex.Watch watch) {
        IndexOptions options = IndexOptions.DEFAULTS.withBatchSize(4).withCommitInterval(Duration.ZERO);
        FileWalker walker = new FileWalker(tree, engine.walkOptions(options), (path, reason, detail) -> { });
        return LiveIndex.start(collection, tree, options, walker, watch, line -> {
            synchronized (log) {
                log.add(line);
            }
        });
    }

    private static Set<String> paths(LiveIndex live, String words) {
        Set<String> paths = new TreeSet<>();
        for (SearchHit hit : live.search(SearchQuery.of(words).withMode(SearchMode.LEXICAL).withK(50)).hits()) {
            paths.add(hit.path());
        }
        return paths;
    }

    @Test
    void aCollectionCutByAnEarlierChunkerIsBuiltAgainByTheServerAndRefusedByAPlainRun() throws Exception {
        write("a/One.java", "class One { int marker() { return 1; } }\n");
        Engine engine = engine(0);
        try (CollectionWriter collection = engine.openWriter("c", CollectionSpec.DEFAULTS, Rebuild.NO)) {
            collection.index(tree, IndexOptions.DEFAULTS, ProgressListener.NONE, new Cancellation());
        }
        Path manifestFile = new dev.indexer.config.IndexHome(homeDir).repoDir("c").resolve(Manifest.FILE_NAME);
        try (Manifest manifest = Manifest.open(manifestFile)) {
            manifest.putMeta(Map.of("chunker", "syntax-2/256"));
        }
        write("a/Two.java", "class Two { int marker() { return 2; } }\n");
        try (CollectionWriter collection = engine.openWriter("c", CollectionSpec.DEFAULTS, Rebuild.NO)) {
            IndexerException refused = assertThrows(IndexerException.class, () -> collection.index(tree,
                    IndexOptions.DEFAULTS, ProgressListener.NONE, new Cancellation()));
            assertTrue(refused.getMessage().contains("--reindex"), refused.getMessage());
        }
        try (CollectionWriter collection = engine.openWriter("c", CollectionSpec.DEFAULTS,
                Rebuild.IF_CHUNKS_OUTDATED);
                LiveIndex live = start(engine, collection, LiveIndex.Watch.NOTHING)) {
            assertTrue(live.awaitIdle(Duration.ofSeconds(30)));
            assertEquals(Set.of("a/One.java", "a/Two.java"), paths(live, "marker"));
            assertTrue(live.status().lastError().isEmpty(), live.status().toString());
        }
        try (Manifest manifest = Manifest.openForReading(manifestFile)) {
            assertEquals(CollectionSpec.DEFAULTS.chunker().version(), manifest.meta().get("chunker"));
        }
        synchronized (log) {
            assertTrue(log.stream().anyMatch(line -> line.contains("earlier version of the indexer (syntax-2/256)")),
                    log.toString());
        }
    }

    @Test
    void reindexOfSomePathsReadsThemAndTakesForDeletedOnlyWhatIsMissingThere() throws Exception {
        write("a/One.java", "class One { int marker() { return 1; } }\n");
        write("a/Two.java", "class Two { int marker() { return 2; } }\n");
        write("b/Three.java", "class Three { int marker() { return 3; } }\n");
        Engine engine = engine(0);
        try (CollectionWriter collection = engine.openWriter("c", CollectionSpec.DEFAULTS, Rebuild.NO);
                LiveIndex live = start(engine, collection, LiveIndex.Watch.NOTHING)) {
            assertTrue(live.awaitIdle(Duration.ofSeconds(30)));
            assertEquals(Set.of("a/One.java", "a/Two.java", "b/Three.java"), paths(live, "marker"));
            assertEquals(LiveIndex.State.WATCHING, live.status().state());

            // Unwatched: changes wait for a reindex; one of a directory sees only that directory.
            Files.delete(tree.resolve("a/Two.java"));
            Files.delete(tree.resolve("b/Three.java"));
            write("a/Four.java", "class Four { int marker() { return 4; } }\n");
            live.reindex(List.of("a"));
            assertTrue(live.awaitIdle(Duration.ofSeconds(30)));
            assertEquals(Set.of("a/Four.java", "a/One.java", "b/Three.java"), paths(live, "marker"),
                    "b was not looked at, so b/Three.java is not yet taken for deleted");
            live.reindex(List.of("b/Three.java"));
            assertTrue(live.awaitIdle(Duration.ofSeconds(30)));
            assertEquals(Set.of("a/Four.java", "a/One.java"), paths(live, "marker"));
            LiveIndex.Status status = live.status();
            assertEquals(2, status.filesIndexed());
            assertEquals(status.chunks(), status.chunksEmbedded(), "every chunk got its vector");
            assertTrue(status.lastUpdate().isPresent() && status.lastError().isEmpty(), status.toString());
        }
    }

    @Test
    void watchedEditsAreSearchableWhileALongFirstRunIsStillEmbedding() throws Exception {
        for (int i = 0; i < 60; i++) {
            write("bulk/p" + (i % 5) + "/Part" + i + ".java", "class Part" + i + " { long value" + i + "() { return "
                    + i + "; } }\n");
        }
        // A slow model: the first run's embedding takes far longer than the test waits for the edit.
        Engine engine = engine(400);
        try (CollectionWriter collection = engine.openWriter("c", CollectionSpec.DEFAULTS, Rebuild.NO);
                LiveIndex live = start(engine, collection, LiveIndex.Watch.CHANGES)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (live.status().filesIndexed() < 60 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(60, live.status().filesIndexed(), "searchable by words before the model is done");
            assertTrue(live.status().filesWaitingForVectors() > 0, "still embedding");
            // No match while the first run goes on says so, rather than a bare empty answer.
            var none = live.search(SearchQuery.of("quokkaXylophone").withMode(SearchMode.LEXICAL));
            assertTrue(none.hits().isEmpty());
            assertTrue(none.notes().stream().anyMatch(note -> note.startsWith("the first run over ")
                    && note.contains("(60 files searchable so far)")), none.notes().toString());
            write("fresh/Zebra.java", "class Zebra { int stripeCount() { return 42; } }\n");
            long written = System.nanoTime();
            while (paths(live, "stripeCount").isEmpty() && System.nanoTime() - written < Duration.ofSeconds(10).toNanos()) {
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - written) / 1e9;
            assertEquals(Set.of("fresh/Zebra.java"), paths(live, "stripeCount"));
            assertTrue(seconds < 5, "an edit goes before the backlog: " + seconds + " s");
            assertTrue(live.status().filesWaitingForVectors() > 0, "the backlog is taken up again after the edit");
            assertEquals(LiveIndex.State.INDEXING, live.status().state());

            Files.delete(tree.resolve("fresh/Zebra.java"));
            written = System.nanoTime();
            while (!paths(live, "stripeCount").isEmpty()
                    && System.nanoTime() - written < Duration.ofSeconds(10).toNanos()) {
                Thread.sleep(20);
            }
            assertEquals(Set.of(), paths(live, "stripeCount"), "a deleted file leaves the index");
        }
        assertTrue(log.isEmpty(), log.toString());
    }

    @Test
    void aCollectionDeletedUnderTheServerIsBuiltAgainFromTheTreeWhileItAnswers() throws Exception {
        deletedUnderTheServer(dir -> dir); // what rm -rf of the collection does
    }

    @Test
    void anIndexDeletedUnderTheServerIsBuiltAgainUnderTheLockItHolds() throws Exception {
        deletedUnderTheServer(dir -> dir.resolve("lucene")); // the manifest and the lock file stay
    }

    /** Deletes what {@code part} names in the collection's directory while a server runs, and checks it heals. */
    private void deletedUnderTheServer(java.util.function.UnaryOperator<Path> part) throws Exception {
        write("a/One.java", "class One { int marker() { return 1; } }\n");
        write("a/Two.java", "class Two { int marker() { return 2; } }\n");
        Engine engine = engine(0);
        Path dir = new dev.indexer.config.IndexHome(homeDir).repoDir("c");
        try (CollectionWriter collection = engine.openWriter("c", CollectionSpec.DEFAULTS, Rebuild.NO);
                LiveIndex live = start(engine, collection, LiveIndex.Watch.NOTHING)) {
            assertTrue(live.awaitIdle(Duration.ofSeconds(30)));
            assertEquals(Set.of("a/One.java", "a/Two.java"), paths(live, "marker"));
            try (var files = Files.walk(part.apply(dir))) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
            assertTrue(collection.lost());
            assertTrue(live.status().lastError().orElse("").contains("deleted"), "index_status says so at once");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && !(Files.exists(dir.resolve(Manifest.FILE_NAME))
                    && live.status().state() == LiveIndex.State.WATCHING && live.status().filesIndexed() == 2)) {
                Thread.sleep(50);
            }
            assertFalse(collection.lost(), "built again");
            LiveIndex.Status status = live.status();
            assertEquals(LiveIndex.State.WATCHING, status.state(), status.toString());
            assertEquals(2, status.filesIndexed(), status.toString());
            assertTrue(status.lastError().isEmpty(), status.toString());
            assertEquals(Set.of("a/One.java", "a/Two.java"), paths(live, "marker"), "searchable again");
            synchronized (log) {
                assertTrue(log.stream().anyMatch(line -> line.contains("files were deleted")), log.toString());
            }
            assertThrows(dev.indexer.IndexerException.class,
                    () -> engine.openWriter("c", CollectionSpec.DEFAULTS, Rebuild.NO), "the lock is still held");
        }
        try (CollectionReader reader = engine.openReader("c")) {
            assertEquals(2, reader.totals().orElseThrow().indexedFiles(), "what it built is on disk");
        }
    }
}
