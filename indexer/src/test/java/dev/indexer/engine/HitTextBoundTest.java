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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search answer is bounded in bytes whatever the files hold: runs of lines the model does not
 * read (blanks, comment markup) make chunks of hundreds of long lines, which a hit showed whole.
 */
class HitTextBoundTest {
    @TempDir
    Path tree;

    @TempDir
    Path homeDir;

    @Test
    void hitsOfLongRunsOfMarkupOrBlanksAreShownWithinTheBound() throws Exception {
        // 400 comment lines of 3,990 stars and a method body of 400 lines of 3,990 blanks: each
        // under the 4,000 characters that mark a minified file, 3.2 MB in all.
        String stars = "     " + "*".repeat(3_990) + "\n";
        String blanks = " ".repeat(3_990) + "\n";
        Files.writeString(tree.resolve("Ledger.java"), "package billing;\n\npublic class Ledger {\n    /**\n"
                + stars.repeat(400) + "     * Settles the ledger at the end of the day.\n     */\n"
                + "    public long settle(long total) {\n" + blanks.repeat(400) + "        return total;\n    }\n}\n");
        IndexHome home = new IndexHome(homeDir);
        Engine engine = new Engine(home, new EmbeddedTarget(home, 16),
                MemoryBudget.plan(1L << 30, 256L << 20, ModelSpec.BGE_SMALL), 2, StandInEmbedder.factory(0));
        try (CollectionWriter writer = engine.openWriter("b", CollectionSpec.DEFAULTS, Rebuild.NO)) {
            writer.index(tree, IndexOptions.DEFAULTS, ProgressListener.NONE, new Cancellation());
        }
        List<String> lines = Files.readAllLines(tree.resolve("Ledger.java"));
        try (CollectionReader reader = engine.openReader("b")) {
            for (SearchMode mode : SearchMode.values()) {
                List<SearchHit> hits = reader.search(SearchQuery.of("settles the ledger total").withMode(mode)).hits();
                assertFalse(hits.isEmpty(), mode.name());
                for (SearchHit hit : hits) {
                    assertTrue(hit.text().length() <= CollectionReader.MAX_HIT_CHARS + 200,
                            mode + " " + hit.startLine() + "-" + hit.endLine() + ": " + hit.text().length());
                }
                SearchHit settle = hits.stream().filter(h -> h.text().contains("return total;")).findFirst()
                        .orElseThrow(() -> new AssertionError(mode + " " + hits));
                // The blank run is shown as empty lines, every line of the hit kept.
                assertEquals(settle.endLine() - settle.startLine() + 1, settle.text().split("\n", -1).length,
                        mode.name());
                // The run of stars: every line there, cut short, and the text is the file's own up to each cut.
                SearchHit starred = hits.stream().filter(h -> h.text().contains("**\u2026")).findFirst()
                        .orElseThrow(() -> new AssertionError(mode + ": the run of stars is cut and says so"));
                String[] shown = starred.text().split("\n", -1);
                assertEquals(starred.endLine() - starred.startLine() + 1, shown.length, mode.name());
                for (int i = 0; i < shown.length; i++) {
                    String line = lines.get(starred.startLine() - 1 + i).stripTrailing();
                    assertTrue(shown[i].equals(line) || shown[i].endsWith("\u2026")
                            && line.startsWith(shown[i].substring(0, shown[i].length() - 1)), mode + " line " + i);
                }
            }
        }
    }
}
