package dev.indexer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.StandInEmbedder;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.ModelSpec;
import dev.indexer.config.Rebuild;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import dev.indexer.store.local.EmbeddedTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A search says which hits come from files that changed or went since they were indexed. */
class StaleHitsTest {
    @TempDir
    Path tree;

    @TempDir
    Path homeDir;

    private static String ledger(String name) {
        return "package billing;\n\nclass " + name + " {\n    /** Settles the ledger of " + name + ". */\n"
                + "    long settleLedger(long total) {\n        return total + " + name.length() + name.charAt(0)
                + ";\n    }\n}\n";
    }

    private static final String NOTES = "How to settle the ledger at the end of the month.\n\n"
            + "Every open invoice is settled against the payments of that month.\n";

    @Test
    void hitsOfChangedAndDeletedFilesAreMarkedAndNamedButNotThoseOfTouchedOrUnchangedOnes() throws Exception {
        for (String name : List.of("Removed", "Touched", "Kept")) {
            Files.writeString(tree.resolve(name + ".java"), ledger(name));
        }
        // Text in line windows: its hits are the index's lines, never read again at search time.
        Files.writeString(tree.resolve("ledger-notes.txt"), NOTES);
        IndexHome home = new IndexHome(homeDir);
        Engine engine = new Engine(home, new EmbeddedTarget(home, 16),
                MemoryBudget.plan(1L << 30, 256L << 20, ModelSpec.BGE_SMALL), 2, StandInEmbedder.factory(0));
        try (CollectionWriter writer = engine.openWriter("b", CollectionSpec.DEFAULTS, Rebuild.NO)) {
            writer.index(tree, IndexOptions.DEFAULTS, ProgressListener.NONE, new Cancellation());
        }
        Files.writeString(tree.resolve("ledger-notes.txt"), "Two lines\nmore.\n" + NOTES);
        Files.delete(tree.resolve("Removed.java"));
        // A checkout rewrites a file with the same bytes: another time, the same hash.
        Files.setLastModifiedTime(tree.resolve("Touched.java"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));

        try (CollectionReader reader = engine.openReader("b")) {
            for (SearchMode mode : SearchMode.values()) {
                CollectionReader.Results results = reader.search(SearchQuery.of("settle the ledger").withMode(mode));
                Map<String, String> byPath = new TreeMap<>();
                for (SearchHit hit : results.hits()) {
                    results.stale().entrySet().stream().filter(e -> e.getKey().equals(hit.id()))
                            .forEach(e -> byPath.put(hit.path(), e.getValue()));
                }
                assertEquals(4, results.hits().stream().map(SearchHit::path).distinct().count(), mode + " " + results.hits());
                assertEquals(Map.of("ledger-notes.txt", "changed", "Removed.java", "deleted"), byPath, mode.name());
                assertTrue(results.notes().contains("ledger-notes.txt changed since it was indexed: its hits' lines may"
                        + " have moved; the next indexer index takes the change in (a server that watches the tree, at"
                        + " once)"), mode + " " + results.notes());
                assertTrue(results.notes().stream().anyMatch(n -> n.startsWith("Removed.java was deleted since it was"
                        + " indexed: its hits' text is what was there")), results.notes().toString());
                SearchHit edited = results.hits().stream().filter(h -> h.path().equals("ledger-notes.txt")).findFirst()
                        .orElseThrow();
                assertEquals("changed", results.fields(edited, tree.toString()).get("stale"));
                SearchHit kept = results.hits().stream().filter(h -> h.path().equals("Kept.java")).findFirst()
                        .orElseThrow();
                assertFalse(results.fields(kept, tree.toString()).containsKey("stale"));

                // A page names only its own.
                CollectionReader.Results page = results.withHits(List.of(kept));
                assertTrue(page.stale().isEmpty());
                assertTrue(page.notes().stream().noneMatch(n -> n.contains("since it was indexed")), page.notes().toString());
            }
        }
    }
}
