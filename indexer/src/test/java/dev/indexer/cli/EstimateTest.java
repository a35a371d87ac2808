package dev.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EstimateTest {
    @TempDir
    Path tree;

    @TempDir
    Path home;

    @Test
    void theEstimateIsCloseToWhatIndexingDoesAndWritesNothing() throws IOException {
        for (int i = 0; i < 40; i++) {
            StringBuilder body = new StringBuilder("class Worker" + i + " {\n");
            for (int m = 0; m < 5 + i % 30; m++) {
                body.append("    /** Step ").append(m).append(" of job ").append(i).append(": validates the input,")
                        .append(" then stores it. */\n    void step").append(m).append("(String input) { store(input")
                        .append(m).append("); }\n");
            }
            Files.writeString(tree.resolve("Worker" + i + ".java"), body.append("}\n").toString());
        }
        Files.write(tree.resolve("image.png"), CliTest.class.getResourceAsStream("/logo.png").readAllBytes());
        CliTest.Result dry = CliTest.run(Map.of(), "index", tree.toString(), "--collection", "est", "--dry-run",
                "--json", "--index-dir", home.toString());
        assertEquals(0, dry.code(), dry.err());
        assertFalse(Files.exists(home.resolve("collections")), "a dry run writes no collection");
        JsonObject estimate = JsonParser.parseString(dry.out()).getAsJsonObject();
        assertEquals(41, estimate.get("filesSeen").getAsInt());
        assertEquals(40, estimate.get("textFiles").getAsInt());
        assertEquals(1, estimate.getAsJsonObject("skipped").get("binary").getAsInt());
        assertTrue(estimate.get("embedChunksPerSecond").getAsDouble() > 0);
        assertTrue(estimate.get("peakMemoryBytes").getAsLong() > 100L << 20);

        CliTest.Result real = CliTest.run(Map.of(), "index", tree.toString(), "--collection", "est", "--json", "-q",
                "--index-dir", home.toString());
        JsonObject report = JsonParser.parseString(real.out()).getAsJsonObject();
        // 40 files: all of them are the sample, chunked by the run's chunker, so the counts are the run's.
        assertEquals(40, estimate.get("sampleFiles").getAsInt());
        assertEquals(report.get("chunks").getAsLong(), estimate.get("chunks").getAsLong(), 1.0);
        assertEquals(report.get("tokens").getAsLong(), estimate.get("tokens").getAsLong(), 1.0);
        assertEquals(0.0, estimate.get("chunksError").getAsDouble(), "a sample of every file has no error");

        CliTest.Result text = CliTest.run(Map.of(), "estimate", tree.toString(), "--index-dir", home.toString());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("  files      41 seen, 40 to index"), text.out());
        assertTrue(text.out().contains("from 40 of the 40 files chunked for real"), text.out());
        assertTrue(text.out().matches("(?s).*  chunks     about [0-9,]+ \\(within 1%\\), [0-9,]+ tokens to embed.*"),
                text.out());

        // Two calls at once by default (on two cores or more): counted side by side, and their memory
        // in the peak (a further call's 20 MB).
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(Math.min(2, cores), estimate.get("modelCalls").getAsInt());
        CliTest.Result one = CliTest.run(Map.of(), "estimate", tree.toString(), "--index-dir", home.toString(),
                "--model-calls", "1", "--json");
        assertEquals(0, one.code(), one.err());
        JsonObject oneCall = JsonParser.parseString(one.out()).getAsJsonObject();
        assertEquals(1, oneCall.get("modelCalls").getAsInt());
        assertEquals(oneCall.get("peakMemoryBytes").getAsLong() + (cores >= 2 ? 20L << 20 : 0),
                estimate.get("peakMemoryBytes").getAsLong());
        assertEquals(estimate.get("chunks").getAsLong(), oneCall.get("chunks").getAsLong(),
                "the same tree, counted alike");
    }
}
