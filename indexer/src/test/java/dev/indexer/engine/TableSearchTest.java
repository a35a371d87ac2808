package dev.indexer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.indexer.TestModels;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.ModelSpec;
import dev.indexer.config.Rebuild;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import dev.indexer.store.local.EmbeddedTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long table in code, with the real model and the real vector graph: the model is shown tables
 * by their first row, and the chunks in the middle of a table must not become near copies of one
 * another, which crowd a graph search and hide the code that answers.
 */
class TableSearchTest {
    @TempDir
    Path tree;

    @TempDir
    Path homeDir;

    @Test
    void aFunctionIsFoundByMeaningBesideAThousandRowTable() throws Exception {
        Random random = new Random(7);
        StringBuilder glyphs = new StringBuilder("package org.acme.data;\n\n/** Cyrillic glyphs for the renderer. */\n"
                + "class Glyphs {\n    static final String[] TABLE = {\n");
        for (int row = 0; row < 2000; row++) {
            glyphs.append("        \"");
            for (int c = 0; c < 4; c++) {
                glyphs.append(String.format("\\u%04x", 0x400 + random.nextInt(0x100)));
            }
            glyphs.append("\",\n");
        }
        glyphs.append("    };\n\n    /** Looks a glyph up by its code point. */\n"
                + "    static String glyph(int codePoint) {\n"
                + "        return TABLE[Math.floorMod(codePoint, TABLE.length)];\n    }\n}\n");
        Files.createDirectories(tree.resolve("src/org/acme/data"));
        Files.writeString(tree.resolve("src/org/acme/data/Glyphs.java"), glyphs);
        Files.writeString(tree.resolve("words.py"), "WORDS = [\n" + "    (\"alpha\", 1),\n".repeat(3)
                + "]\n\n\ndef count_of(word):\n    \"\"\"Finds how many times a word was counted.\"\"\"\n"
                + "    return dict(WORDS).get(word, 0)\n");
        IndexHome home = new IndexHome(homeDir);
        Engine engine = new Engine(home, new EmbeddedTarget(home, 16),
                MemoryBudget.plan(1L << 30, 256L << 20, ModelSpec.BGE_SMALL), 2,
                OnnxEmbedder.factory(TestModels.home()));
        try (CollectionWriter writer = engine.openWriter("glyphs", CollectionSpec.DEFAULTS, Rebuild.NO)) {
            writer.index(tree, IndexOptions.DEFAULTS, ProgressListener.NONE, new Cancellation());
        }
        try (CollectionReader reader = engine.openReader("glyphs")) {
            for (int k : new int[] {3, 10}) {
                List<SearchHit> hits = reader.search(SearchQuery.of("how many times was this word counted")
                        .withMode(SearchMode.VECTOR).withK(k)).hits();
                assertFalse(hits.isEmpty());
                assertEquals("words.py", hits.get(0).path(), "k=" + k + ": " + hits);
            }
        }
    }
}
