package dev.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.indexer.chunk.Documents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Documents beside code in one run: indexed, searchable, and the unreadable ones counted with their reason. */
class DocumentIndexTest {
    @TempDir
    Path tree;

    @TempDir
    Path home;

    private static CliTest.Result run(String... args) {
        return CliTest.run(Map.of(), args);
    }

    @Test
    void documentsAreIndexedAndTheEncryptedOneIsSkippedWithItsReason() throws Exception {
        Files.createDirectories(tree.resolve("docs"));
        Documents.pdf(tree.resolve("docs/runbook.pdf"), List.of(List.of(
                "Runbook: when the payment gateway times out, fail over to the standby region.",
                "Page the on-call engineer after three consecutive failures.")), null);
        Documents.docx(tree.resolve("docs/onboarding.docx"), List.of(
                "New engineers get production access after their second week."));
        Documents.pdf(tree.resolve("docs/salaries.pdf"), List.of(List.of("Confidential.")), "s3cret");
        Files.writeString(tree.resolve("Gateway.java"), "class Gateway {\n    void failover() {}\n}\n");

        CliTest.Result index = run("index", tree.toString(), "--collection", "docs", "--index-dir", home.toString(),
                "--json", "-q");
        assertEquals(0, index.code(), index.err());
        assertEquals("", index.err(), "nothing on stderr: the parsers' logging is routed and quiet");
        JsonObject report = JsonParser.parseString(index.out()).getAsJsonObject();
        assertEquals(3, report.get("filesIndexed").getAsInt(), index.out());
        assertEquals(1, report.getAsJsonObject("skipped").get("encrypted document").getAsInt(), index.out());

        CliTest.Result search = run("search", "payment gateway fail over standby region", "--collection", "docs",
                "--index-dir", home.toString(), "--mode", "lexical", "-k", "1", "--json");
        assertEquals(0, search.code(), search.err());
        JsonObject hit = JsonParser.parseString(search.out().lines().findFirst().orElseThrow()).getAsJsonObject();
        assertEquals("docs/runbook.pdf", hit.get("path").getAsString());
        assertEquals("pdf", hit.get("language").getAsString());
        assertTrue(hit.get("text").getAsString().contains("fail over to the standby region"), search.out());

        CliTest.Result word = run("search", "production access", "--collection", "docs", "--index-dir", home.toString(),
                "--mode", "lexical", "-k", "1");
        assertTrue(word.out().startsWith("docs/onboarding.docx:"), word.out());
    }
}
