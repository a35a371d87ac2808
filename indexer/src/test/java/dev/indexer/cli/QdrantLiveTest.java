package dev.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Index, search, rerun and drop against a real Qdrant server: runs only when {@code QDRANT_URL}
 * names one (with {@code QDRANT_API_KEY} if it needs a key), and is reported as skipped otherwise.
 * It works in a collection of its own, which it drops at the end.
 */
@EnabledIfEnvironmentVariable(named = "QDRANT_URL", matches = ".+",
        disabledReason = "set QDRANT_URL (e.g. http://localhost:6334) to run against a real Qdrant server")
class QdrantLiveTest {
    @TempDir
    Path tree;

    @TempDir
    Path home;

    private final String collection = "indexer-live-" + UUID.randomUUID().toString().substring(0, 8);

    private record Result(int code, String out, String err) {}

    private Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--collection", collection, "--index-dir", home.toString()));
        Map<String, String> env = new HashMap<>();
        env.put("QDRANT_URL", System.getenv("QDRANT_URL"));
        Optional.ofNullable(System.getenv("QDRANT_API_KEY")).ifPresent(key -> env.put("QDRANT_API_KEY", key));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = IndexerCli.run(all.toArray(String[]::new), env, new PrintWriter(out), new PrintWriter(err),
                Optional.empty());
        return new Result(code, out.toString(), err.toString());
    }

    @AfterEach
    void dropCollection() {
        cli("drop");
    }

    @Test
    void indexSearchAndRerunAgainstARealServer() throws IOException {
        Files.writeString(tree.resolve("Temperature.java"), """
                final class Temperature {
                    /** Converts degrees Fahrenheit to degrees Celsius. */
                    static double celsius(double fahrenheit) {
                        return (fahrenheit - 32) * 5 / 9;
                    }
                }
                """);
        Files.writeString(tree.resolve("words.py"), """
                def reverse_words(sentence):
                    \"\"\"Returns the words of a sentence in reverse order.\"\"\"
                    return " ".join(reversed(sentence.split()))
                """);
        Result first = cli("index", tree.toString(), "--json", "-q");
        assertEquals(0, first.code(), first.err());
        JsonObject report = JsonParser.parseString(first.out()).getAsJsonObject();
        assertEquals(2, report.get("filesIndexed").getAsInt());

        Result search = cli("search", "convert fahrenheit to celsius", "-k", "1");
        assertEquals(0, search.code(), search.err());
        assertTrue(search.out().startsWith("Temperature.java:1-"), search.out());

        Files.delete(tree.resolve("words.py"));
        Result rerun = cli("index", tree.toString(), "--json", "-q");
        assertEquals(0, rerun.code(), rerun.err());
        assertEquals(1, JsonParser.parseString(rerun.out()).getAsJsonObject().get("filesDeleted").getAsInt());

        Result status = cli("status");
        assertEquals(0, status.code(), status.err());
        assertTrue(status.out().contains("qdrant    "), status.out());
        Result again = cli("search", "reverse the words of a sentence", "-k", "5");
        assertTrue(!again.out().contains("words.py"), again.out());
    }
}
