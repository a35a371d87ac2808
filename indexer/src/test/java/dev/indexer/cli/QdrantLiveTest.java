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
        return cli(collection, home, args);
    }

    private Result cli(String name, Path indexHome, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--collection", name, "--index-dir", indexHome.toString()));
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
        cli(collection + "-parts", home, "drop");
    }

    private JsonObject index(String name, Path indexHome, String... extra) {
        List<String> args = new ArrayList<>(List.of("index", tree.toString(), "--json", "-q"));
        args.addAll(List.of(extra));
        Result result = cli(name, indexHome, args.toArray(String[]::new));
        assertEquals(0, result.code(), result.err());
        return JsonParser.parseString(result.out()).getAsJsonObject();
    }

    /** Every point's id and payload, read back from the server. */
    private static Map<String, Map<String, io.qdrant.client.grpc.JsonWithInt.Value>> points(String name) throws Exception {
        java.net.URI uri = java.net.URI.create(System.getenv("QDRANT_URL"));
        io.qdrant.client.QdrantGrpcClient.Builder builder = io.qdrant.client.QdrantGrpcClient.newBuilder(uri.getHost(),
                uri.getPort() < 0 ? 6334 : uri.getPort(), "https".equals(uri.getScheme()), false);
        Optional.ofNullable(System.getenv("QDRANT_API_KEY")).ifPresent(builder::withApiKey);
        Map<String, Map<String, io.qdrant.client.grpc.JsonWithInt.Value>> out = new java.util.TreeMap<>();
        try (io.qdrant.client.QdrantGrpcClient client = builder.build()) {
            Optional<io.qdrant.client.grpc.Common.PointId> offset = Optional.empty();
            do {
                var request = io.qdrant.client.grpc.Points.ScrollPoints.newBuilder().setCollectionName(name).setLimit(256)
                        .setWithPayload(io.qdrant.client.grpc.Points.WithPayloadSelector.newBuilder().setEnable(true));
                offset.ifPresent(request::setOffset);
                var page = client.points().scroll(request.build()).get();
                page.getResultList().forEach(p -> out.put(p.getId().getUuid(), p.getPayloadMap()));
                offset = page.hasNextPageOffset() ? Optional.of(page.getNextPageOffset()) : Optional.empty();
            } while (offset.isPresent());
        }
        return out;
    }

    /** As {@code SharedCollectionTest}, against a real server: CI runners with no state, and workers of parts. */
    @Test
    void aFreshHomeEmbedsNothingAndTwoPartsWriteWhatOneRunWrites(@TempDir Path homes) throws Exception {
        for (int i = 0; i < 6; i++) {
            Files.writeString(tree.resolve("Unit" + i + ".java"), "class Unit" + i + " {\n    /** Returns " + i
                    + " times x. */\n    int times(int x) {\n        return x * " + i + ";\n    }\n}\n");
        }
        JsonObject first = index(collection, homes.resolve("a"));
        assertEquals(6, first.get("filesIndexed").getAsInt());
        JsonObject fresh = index(collection, homes.resolve("b"));
        assertEquals(0, fresh.get("chunksEmbedded").getAsInt(), fresh.toString());
        assertEquals(6, fresh.get("filesTouched").getAsInt(), fresh.toString());
        index(collection + "-parts", homes.resolve("c"), "--shard", "0/2");
        index(collection + "-parts", homes.resolve("d"), "--shard", "1/2");
        assertEquals(points(collection), points(collection + "-parts"), "the same ids and payloads");
    }

    /** As {@code TenantTest}, against a real server: two repositories, apart and together; a fork shares vectors. */
    @Test
    void repositoriesAreTenantsAndAForkEmbedsOnlyWhatItChanged(@TempDir Path homes, @TempDir Path fork) throws Exception {
        for (Path root : List.of(tree, fork)) {
            for (int i = 0; i < 6; i++) {
                Files.writeString(root.resolve("Unit" + i + ".java"), "class Unit" + i + " {\n    /** Returns " + i
                        + " times x. */\n    int times(int x) {\n        return x * " + i + ";\n    }\n}\n");
            }
        }
        Files.writeString(fork.resolve("Unit2.java"), "class Unit2 {\n    /** Returns the square of x. */\n"
                + "    int square(int x) {\n        return x * x;\n    }\n}\n");
        JsonObject one = index(collection, homes.resolve("a"), "--repo", "acme/one", "--vector-cache", "0");
        Result forked = cli(collection, homes.resolve("b"), "index", fork.toString(), "--json", "-q", "--repo",
                "someone/one", "--vector-cache", "0");
        assertEquals(0, forked.code(), forked.err());
        JsonObject report = JsonParser.parseString(forked.out()).getAsJsonObject();
        assertEquals(1, report.get("chunksEmbedded").getAsInt(), "only the changed file: " + report);
        assertEquals(one.get("chunks").getAsInt() - 1, report.get("chunksFromCache").getAsInt(), report.toString());
        Map<String, Map<String, io.qdrant.client.grpc.JsonWithInt.Value>> before = points(collection);
        assertEquals(2 * one.get("chunks").getAsInt(), before.size());

        Result apart = cli(collection, homes.resolve("c"), "search", "square of x", "--json", "--mode", "lexical",
                "--repo", "acme/one");
        assertEquals(0, apart.code(), apart.err());
        assertTrue(apart.out().lines().allMatch(l -> l.contains("\"repo\":\"acme/one\"")), apart.out());
        Result together = cli(collection, homes.resolve("c"), "search", "square of x", "--json", "--mode", "lexical");
        assertTrue(together.out().lines().findFirst().orElse("").contains("\"repo\":\"someone/one\""), together.out());
        Result listed = cli(collection, homes.resolve("c"), "repos", "--json");
        assertEquals(0, listed.code(), listed.err());
        assertEquals(2, JsonParser.parseString(listed.out()).getAsJsonObject().getAsJsonArray("repos").size());

        assertEquals(0, cli(collection, homes.resolve("c"), "drop", "--repo", "someone/one").code());
        Map<String, Map<String, io.qdrant.client.grpc.JsonWithInt.Value>> after = points(collection);
        before.values().removeIf(p -> !p.get("repo").getStringValue().equals("acme/one"));
        assertEquals(before, after, "the other repository's points, untouched");
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
        // The hit lands on the method (its own lines), as everywhere since hits land on definitions.
        assertTrue(search.out().startsWith("Temperature.java:3-5 ") && search.out().contains("method celsius"),
                search.out());

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
