package dev.indexer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.StoredChunks;
import dev.indexer.TestModels;
import dev.indexer.chunk.Chunk;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.ModelSpec;
import dev.indexer.config.Rebuild;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.pipeline.RunSummary;
import dev.indexer.state.FileRecord;
import dev.indexer.state.Manifest;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import dev.indexer.store.StoreWriter;
import dev.indexer.store.local.EmbeddedTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chunks of data (a charset's table of escapes, a table of hex codes) are searched by their words
 * and never embedded, with the real model and store: nothing waits for them, the counts say so,
 * a search by meaning does not return them, and a hybrid search makes no vector for them.
 */
class DataChunksTest {
    private static final String TABLE_FILE = "src/sun/nio/cs/Big5Table.java";

    @TempDir
    Path tree;

    @TempDir
    Path homeDir;

    private void write(String relative, String content) throws IOException {
        Path file = tree.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private Engine engine() {
        IndexHome home = new IndexHome(homeDir);
        return new Engine(home, new EmbeddedTarget(home, 16),
                MemoryBudget.plan(1L << 30, 256L << 20, ModelSpec.BGE_SMALL), 2, OnnxEmbedder.factory(TestModels.home()));
    }

    private void writeTree() throws IOException {
        StringBuilder table = new StringBuilder("package sun.nio.cs;\n\nfinal class Big5Table {\n"
                + "    /** Decodes a byte pair of the Big5 charset into its character. */\n"
                + "    static char decode(int lead, int trail) {\n"
                + "        return B2C.charAt((lead - 0xA1) * 157 + trail - 0x40);\n    }\n\n"
                + "    private static final String B2C =\n");
        for (int row = 0; row < 120; row++) {
            table.append("        \"");
            for (int column = 0; column < 8; column++) {
                table.append(String.format("\\u%04X", 0x4E00 + row * 8 + column));
            }
            table.append(row == 57 ? "\" + // zhuyinmarker\n" : "\" +\n");
        }
        table.append("        \"\";\n\n    private static final int[] INDEX = {\n");
        for (int row = 0; row < 60; row++) {
            table.append("        0x").append(String.format("%04X", row * 16)).append(", 0x")
                    .append(String.format("%04X", row * 16 + 5)).append(", 0x")
                    .append(String.format("%04X", row * 16 + 9)).append(", -1, -1, -1, -1, -1,\n");
        }
        table.append("    };\n}\n");
        write(TABLE_FILE, table.toString());
        write("src/billing/Ledger.java", "package billing;\n\nclass Ledger {\n"
                + "    /** Adds up the unpaid invoices of a customer and returns the amount still owed. */\n"
                + "    long outstandingBalance(java.util.List<Long> unpaid) {\n"
                + "        return unpaid.stream().mapToLong(Long::longValue).sum();\n    }\n}\n");
    }

    @Test
    void dataIsSearchedByItsWordsAndNeverEmbedded() throws IOException {
        writeTree();
        Engine engine = engine();
        RunSummary first;
        try (CollectionWriter writer = engine.openWriter("data", CollectionSpec.DEFAULTS, Rebuild.NO)) {
            first = writer.index(tree, IndexOptions.DEFAULTS, ProgressListener.NONE, new Cancellation());
        }
        List<Chunk> data;
        List<Chunk> withoutVectors;
        try (StoreWriter store = StoredChunks.open(homeDir, "data")) {
            data = store.chunksWithoutVectors(TABLE_FILE);
            withoutVectors = store.chunksWithoutVectors("src/billing/Ledger.java");
        }
        // The tables are several chunks, all of them data and none with a vector; the method of
        // the same file, and the other file, have theirs.
        assertTrue(data.size() >= 3, "the table's chunks: " + data.size());
        assertTrue(data.stream().allMatch(Chunk::isData), "only data goes without a vector: " + data);
        assertEquals(List.of(), withoutVectors);
        assertEquals(RunSummary.Outcome.COMPLETED, first.outcome());
        assertEquals(data.size(), first.chunks().wordsOnly());
        assertEquals(0, first.chunks().waiting());
        assertEquals(first.chunks().inCollection() - data.size(), first.chunks().withVectors());
        assertEquals(first.chunks().toEmbed(), first.chunks().embedded(), "the model embedded every other chunk");

        try (CollectionReader reader = engine.openReader("data")) {
            CollectionReader.Status status = reader.status(Optional.of(tree));
            assertEquals(data.size(), status.chunksWordsOnly());
            assertEquals(status.chunks() - data.size(), status.chunksWithVectors());
            // By its words: the table's marker is found.
            List<SearchHit> lexical = reader.search(SearchQuery.of("zhuyinmarker").withMode(SearchMode.LEXICAL))
                    .hits();
            assertFalse(lexical.isEmpty());
            assertEquals(TABLE_FILE, lexical.get(0).path());
            // By meaning: never a chunk of the table, whatever is asked.
            for (String query : List.of("table of Big5 characters", "zhuyinmarker", "hex index of rows")) {
                for (SearchHit hit : reader.search(SearchQuery.of(query).withMode(SearchMode.VECTOR)).hits()) {
                    assertFalse(data.stream().anyMatch(d -> d.id().equals(hit.id())), query + ": " + hit);
                }
            }
            // Hybrid: the words find the table, and no vector is made for it at query time.
            CollectionReader.Results hybrid = reader.search(SearchQuery.of("zhuyinmarker"));
            assertTrue(hybrid.hits().stream().anyMatch(h -> h.path().equals(TABLE_FILE)), hybrid.hits().toString());
            assertEquals(0, hybrid.embeddedNow());
            assertTrue(hybrid.notes().stream().noneMatch(n -> n.contains("meaning search covers")), hybrid.notes()
                    .toString());
            // The method beside the tables is found by meaning.
            List<SearchHit> meaning = reader.search(SearchQuery.of("decode a byte pair of a Chinese charset")
                    .withMode(SearchMode.VECTOR)).hits();
            assertEquals(TABLE_FILE, meaning.get(0).path());
            assertTrue(meaning.get(0).text().contains("static char decode"), meaning.get(0).text());
        }

        // A file whose data an earlier version (or a store read back on a fresh runner) counted as
        // waiting: the next run finds out, embeds nothing for it and counts it as data.
        Path manifestFile = new IndexHome(homeDir).repoDir("data").resolve(Manifest.FILE_NAME);
        try (Manifest manifest = Manifest.open(manifestFile)) {
            FileRecord record = manifest.get(TABLE_FILE).orElseThrow();
            manifest.record(List.of(record.withPending(data.size(), 0)), List.of(), manifest.startRun());
            assertEquals(data.size(), manifest.totals().pendingChunks());
        }
        RunSummary second;
        try (CollectionWriter writer = engine.openWriter("data", CollectionSpec.DEFAULTS, Rebuild.NO)) {
            second = writer.index(tree, IndexOptions.DEFAULTS, ProgressListener.NONE, new Cancellation());
        }
        assertEquals(0, second.chunks().embedded());
        assertEquals(0, second.chunks().waiting());
        assertEquals(data.size(), second.chunks().wordsOnly());
        try (Manifest manifest = Manifest.openForReading(manifestFile)) {
            assertEquals(0, manifest.totals().pendingChunks());
            assertEquals(data.size(), manifest.totals().wordsOnlyChunks());
            assertEquals(data.size(), manifest.get(TABLE_FILE).orElseThrow().wordsOnly());
        }
    }
}
