package dev.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.indexer.store.qdrant.FakeQdrant;
import io.qdrant.client.grpc.Points.PointStruct;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repositories as tenants of one collection, as users run them: indexed apart (from one index
 * home or many), searched apart and together, listed, dropped one at a time; a fork embeds only
 * what it changed; a collection of an earlier version is refused with the way out. In Qdrant (the
 * protocol stand-in) and in the embedded store.
 */
class TenantTest {
    private static final String ALPHA = "github.com/acme/alpha";
    private static final String GAMMA = "github.com/acme/gamma";

    @TempDir
    Path alpha;

    @TempDir
    Path gamma;

    @TempDir
    Path homes;

    private FakeQdrant server;
    private Map<String, String> qdrant;
    private int homeCount;

    @BeforeEach
    void start() throws IOException {
        server = FakeQdrant.start();
        qdrant = Map.of("QDRANT_URL", "http://127.0.0.1:" + server.listenOnLocalhost());
        for (int i = 0; i < 6; i++) {
            write(alpha, "src/billing/Invoice" + i + ".java", invoice(i, "settle"));
        }
        write(alpha, "README.md", "# Alpha\n\nInvoices and how they are settled.\n");
        write(gamma, "net/retry.py", "def retry_with_backoff(call, attempts=5):\n"
                + "    \"\"\"Calls a flaky function again, waiting longer after each failure.\"\"\"\n"
                + "    for attempt in range(attempts):\n        try:\n            return call()\n"
                + "        except IOError:\n            pass\n");
        write(gamma, "net/Socket.java", "class Socket {\n    /** Opens a socket to the host. */\n"
                + "    void connectHost(String host) {\n        open(host);\n    }\n}\n");
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    private static String invoice(int i, String verb) {
        return "package billing;\n\n/** Invoice " + i + " of a customer. */\nclass Invoice" + i + " {\n"
                + "    private long cents = " + i + ";\n\n"
                + "    /** Settles invoice " + i + " against a payment. */\n"
                + "    long " + verb + "Invoice" + i + "(long payment) {\n        return payment - cents * " + (i + 2)
                + ";\n    }\n\n    /** The amount still owed on invoice " + i + ". */\n"
                + "    long owed" + i + "() {\n        return cents + " + i + ";\n    }\n}\n";
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private Path freshHome() {
        return homes.resolve("home" + homeCount++);
    }

    private record Result(int code, String out, String err) {
        JsonObject json() {
            return JsonParser.parseString(out).getAsJsonObject();
        }
    }

    private Result cli(Map<String, String> env, Path home, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--index-dir", home.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = IndexerCli.run(all.toArray(String[]::new), env, new PrintWriter(out), new PrintWriter(err),
                Optional.empty());
        return new Result(code, out.toString(), err.toString());
    }

    private JsonObject index(Map<String, String> env, Path home, Path tree, String repo, String... extra) {
        List<String> args = new ArrayList<>(List.of("index", tree.toString(), "--collection", "team", "--json",
                "--repo", repo));
        args.addAll(List.of(extra));
        Result result = cli(env, home, args.toArray(String[]::new));
        assertEquals(0, result.code(), result.err());
        return result.json();
    }

    /** The hits of a lexical search, one JSON object each. */
    private List<JsonObject> search(Map<String, String> env, Path home, String query, String... extra) {
        List<String> args = new ArrayList<>(List.of("search", query, "--collection", "team", "--json", "--mode",
                "lexical", "-k", "20"));
        args.addAll(List.of(extra));
        Result result = cli(env, home, args.toArray(String[]::new));
        assertEquals(0, result.code(), result.err());
        return result.out().lines().filter(l -> !l.isBlank()).map(l -> JsonParser.parseString(l).getAsJsonObject())
                .toList();
    }

    private static Set<String> repos(List<JsonObject> hits) {
        return hits.stream().map(h -> h.get("repo").getAsString()).collect(Collectors.toCollection(TreeSet::new));
    }

    private Set<String> reposOnServer() {
        return server.points("team").values().stream().map(p -> p.getPayloadOrThrow("repo").getStringValue())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void twoRepositoriesInOneQdrantCollectionAreSearchedApartAndTogetherListedAndDroppedOneAtATime() {
        Path laptop = freshHome();
        JsonObject a = index(qdrant, laptop, alpha, ALPHA);
        JsonObject g = index(qdrant, freshHome(), gamma, GAMMA); // another machine
        assertEquals(ALPHA, a.get("repo").getAsString());
        int alphaChunks = a.get("chunks").getAsInt();
        int gammaChunks = g.get("chunks").getAsInt();
        assertEquals(alphaChunks + gammaChunks, server.pointCount("team"), "one collection holds both");
        assertEquals(Set.of(ALPHA, GAMMA), reposOnServer(), "every point says its repository");

        // Apart: a word of alpha's is not found in gamma, and the other way round.
        List<JsonObject> inGamma = search(qdrant, laptop, "settle invoice", "--repo", GAMMA);
        assertTrue(inGamma.stream().noneMatch(h -> h.get("path").getAsString().contains("Invoice")), inGamma.toString());
        assertEquals(Set.of(GAMMA), repos(search(qdrant, laptop, "socket host retry", "--repo", GAMMA)));
        List<JsonObject> inAlpha = search(qdrant, laptop, "settle invoice", "--repo", ALPHA);
        assertFalse(inAlpha.isEmpty());
        assertEquals(Set.of(ALPHA), repos(inAlpha));
        assertTrue(inAlpha.get(0).get("file").getAsString().startsWith(alpha.toString()),
                "this machine indexed alpha: its hits name their files " + inAlpha.get(0));
        // Together: by default, by --all-repos, by a list.
        Set<String> both = Set.of(ALPHA, GAMMA);
        assertEquals(both, repos(search(qdrant, laptop, "settle invoice socket retry")));
        assertEquals(both, repos(search(qdrant, freshHome(), "settle invoice socket retry", "--all-repos")));
        assertEquals(both, repos(search(qdrant, laptop, "settle invoice socket retry", "--repo", ALPHA + "," + GAMMA)));
        Result text = cli(qdrant, laptop, "search", "settle invoice socket retry", "--collection", "team", "--mode",
                "lexical");
        assertTrue(text.out().contains(GAMMA + ": net/") && text.out().contains(ALPHA + ": src/billing/"),
                "results of several repositories say which: " + text.out());

        // An unknown repository: which ones there are.
        Result unknown = cli(qdrant, laptop, "search", "settle", "--collection", "team", "--repo", "github.com/acme/nope");
        assertEquals(ExitCodes.FATAL, unknown.code());
        assertTrue(unknown.err().contains("no repository 'github.com/acme/nope'") && unknown.err().contains(ALPHA)
                && unknown.err().contains(GAMMA), unknown.err());
        assertFalse(unknown.err().contains("Exception"), unknown.err());
        Result both2 = cli(qdrant, laptop, "search", "settle", "--collection", "team", "--repo", ALPHA, "--all-repos");
        assertEquals(ExitCodes.USAGE, both2.code(), both2.err());

        // Listed from any machine, from the store.
        Result listed = cli(qdrant, freshHome(), "repos", "--collection", "team", "--json");
        assertEquals(0, listed.code(), listed.err());
        Map<String, JsonObject> byName = new HashMap<>();
        for (JsonElement e : listed.json().getAsJsonArray("repos")) {
            byName.put(e.getAsJsonObject().get("repo").getAsString(), e.getAsJsonObject());
        }
        assertEquals(both, byName.keySet());
        assertEquals(7, byName.get(ALPHA).get("files").getAsInt());
        assertEquals(alphaChunks, byName.get(ALPHA).get("chunks").getAsInt());
        assertEquals(alphaChunks, byName.get(ALPHA).get("embedded").getAsInt());
        assertEquals(2, byName.get(GAMMA).get("files").getAsInt());
        assertEquals(gammaChunks, byName.get(GAMMA).get("chunks").getAsInt());
        assertFalse(byName.get(GAMMA).get("finished").getAsString().isEmpty(), "the last run's time");
        Result table = cli(qdrant, freshHome(), "repos", "--collection", "team");
        assertTrue(table.out().contains(ALPHA) && table.out().contains("7 files"), table.out());

        // Status of one repository on a machine that never indexed it: from the store.
        Result status = cli(qdrant, freshHome(), "status", "--collection", "team", "--repo", GAMMA, "--json");
        assertEquals(0, status.code(), status.err());
        assertEquals(GAMMA, status.json().get("repo").getAsString());
        JsonArray runs = status.json().getAsJsonObject("qdrant").getAsJsonArray("runs");
        assertTrue(StreamSupport.stream(runs.spliterator(), false)
                .anyMatch(r -> r.getAsJsonObject().get("repo").getAsString().equals(GAMMA)), runs.toString());
        Result which = cli(qdrant, freshHome(), "status", "--collection", "team");
        assertEquals(ExitCodes.FATAL, which.code());
        assertTrue(which.err().contains("name one with --repo"), which.err());

        // Dropping one repository leaves the other as it was.
        Map<String, PointStruct> alphaPoints = new HashMap<>(server.points("team"));
        alphaPoints.values().removeIf(p -> !p.getPayloadOrThrow("repo").getStringValue().equals(ALPHA));
        Result dropped = cli(qdrant, freshHome(), "drop", "--collection", "team", "--repo", GAMMA);
        assertEquals(0, dropped.code(), dropped.err());
        assertTrue(dropped.out().contains("other repositories are kept"), dropped.out());
        assertEquals(alphaPoints, server.points("team"));
        Result after = cli(qdrant, freshHome(), "repos", "--collection", "team", "--json");
        assertEquals(1, after.json().getAsJsonArray("repos").size(), after.out());
        assertFalse(server.metadata("team").entrySet().stream().anyMatch(e -> e.getKey().contains(GAMMA)
                && e.getValue().hasStringValue()), "its runs and entry are forgotten: " + server.metadata("team"));
        Result again = cli(qdrant, freshHome(), "drop", "--collection", "team", "--repo", GAMMA);
        assertEquals(ExitCodes.FATAL, again.code());
        assertTrue(again.err().contains("no repository '" + GAMMA + "'") && again.err().contains(ALPHA), again.err());
        // And alpha's next run from its own home finds everything in place.
        JsonObject rerun = index(qdrant, laptop, alpha, ALPHA);
        assertEquals(0, rerun.get("chunksEmbedded").getAsInt());
        assertEquals(0, rerun.get("filesIndexed").getAsInt());
    }

    @Test
    void aForkEmbedsOnlyTheChunksItChangedTakingTheRestFromTheCollection() throws IOException {
        index(qdrant, freshHome(), alpha, ALPHA, "--vector-cache", "0");
        Path fork = homes.resolve("fork-tree");
        for (int i = 0; i < 6; i++) {
            write(fork, "src/billing/Invoice" + i + ".java", invoice(i, "settle"));
        }
        write(fork, "README.md", "# Alpha\n\nInvoices and how they are settled.\n");
        // The fork changed one method and added a file.
        write(fork, "src/billing/Invoice3.java", invoice(3, "settle").replace("cents * 5", "cents * 5 + 7"));
        write(fork, "src/billing/Refund.java", "class Refund {\n    /** Pays a customer back. */\n"
                + "    long refund(long cents) {\n        return -cents;\n    }\n}\n");
        // A fresh runner, no vector cache: whatever it does not embed came from the collection.
        JsonObject forked = index(qdrant, freshHome(), fork, "github.com/someone/alpha", "--vector-cache", "0");
        Map<String, String> alphaHashes = new HashMap<>();
        List<PointStruct> forkPoints = new ArrayList<>();
        for (PointStruct p : server.points("team").values()) {
            String hash = p.getPayloadOrThrow("hash").getStringValue();
            if (p.getPayloadOrThrow("repo").getStringValue().equals(ALPHA)) {
                alphaHashes.put(hash, p.getPayloadOrThrow("path").getStringValue());
            } else {
                forkPoints.add(p);
            }
        }
        long differing = forkPoints.stream().filter(p -> !alphaHashes.containsKey(p.getPayloadOrThrow("hash")
                .getStringValue())).count();
        assertEquals(2, differing, "the changed file's chunk and the new file's, of " + forkPoints.size());
        assertEquals(differing, forked.get("chunksEmbedded").getAsLong(), "only the fork's own chunks: " + forked);
        assertEquals(forkPoints.size() - differing, forked.get("chunksFromCache").getAsLong());
        assertTrue(forkPoints.stream().allMatch(p -> p.getVectors().getVectors().containsVectors("dense")),
                "every chunk of the fork has its vector");
        // The same chunk text in both repositories has the same vector.
        for (PointStruct p : forkPoints) {
            String hash = p.getPayloadOrThrow("hash").getStringValue();
            if (alphaHashes.containsKey(hash)) {
                PointStruct original = server.points("team").values().stream()
                        .filter(o -> o.getPayloadOrThrow("hash").getStringValue().equals(hash)
                                && o.getPayloadOrThrow("repo").getStringValue().equals(ALPHA)).findFirst().orElseThrow();
                assertEquals(original.getVectors().getVectors().getVectorsOrThrow("dense"),
                        p.getVectors().getVectors().getVectorsOrThrow("dense"));
            }
        }
        // Same path and ordinal, two repositories: two points.
        assertNotEquals(0, forkPoints.size());
        assertEquals(2, server.points("team").values().stream()
                .filter(p -> p.getPayloadOrThrow("path").getStringValue().equals("README.md")).count());
    }

    @Test
    void aQdrantCollectionOfAnEarlierVersionIsRefusedUntilRebuilt() {
        index(qdrant, freshHome(), alpha, ALPHA);
        // As an earlier version left it: no marker, no repository entries.
        server.dropMetadata("team", key -> key.equals("indexer.tenants") || key.startsWith("repo:"));
        Map<String, PointStruct> before = server.points("team");
        Result refused = cli(qdrant, freshHome(), "index", alpha.toString(), "--collection", "team", "--repo", GAMMA);
        assertEquals(ExitCodes.FATAL, refused.code());
        assertTrue(refused.err().contains("earlier version") && refused.err().contains("--reindex"), refused.err());
        assertFalse(refused.err().contains("Exception"), refused.err());
        assertEquals(before, server.points("team"), "nothing was mixed in");
        Result search = cli(qdrant, freshHome(), "search", "settle", "--collection", "team");
        assertEquals(ExitCodes.FATAL, search.code());
        assertTrue(search.err().contains("--reindex"), search.err());

        JsonObject rebuilt = index(qdrant, freshHome(), gamma, GAMMA, "--reindex");
        assertEquals(rebuilt.get("chunks").getAsInt(), server.pointCount("team"), "made anew, with gamma only");
        assertEquals(Set.of(GAMMA), reposOnServer());
        assertEquals("repo", server.metadata("team").get("indexer.tenants").getStringValue());
    }

    @Test
    void oneCollectionIsEmbeddedByOneModelWhateverARepositoryAsks() {
        index(qdrant, freshHome(), alpha, ALPHA);
        Map<String, PointStruct> before = server.points("team");
        for (String[] extra : List.of(new String[] {}, new String[] {"--reindex"})) {
            List<String> args = new ArrayList<>(List.of("index", gamma.toString(), "--collection", "team", "--repo",
                    GAMMA, "--model", "minilm"));
            args.addAll(List.of(extra));
            Result refused = cli(qdrant, freshHome(), args.toArray(String[]::new));
            assertEquals(ExitCodes.FATAL, refused.code(), refused.out());
            assertTrue(refused.err().contains("holds other repositories ('" + ALPHA + "') embedded with model"
                    + " bge-small") && refused.err().contains("nothing was changed"), refused.err());
            assertEquals(before, server.points("team"), "alpha is as it was");
        }
        // The embedded store: the same rule, from the repositories' manifests.
        Path home = freshHome();
        index(Map.of(), home, alpha, ALPHA);
        Result local = cli(Map.of(), home, "index", gamma.toString(), "--collection", "team", "--repo", GAMMA,
                "--model", "minilm");
        assertEquals(ExitCodes.FATAL, local.code());
        assertTrue(local.err().contains("embedded with model bge-small, not minilm"), local.err());
    }

    @Test
    void aCollectionForManyRepositoriesGetsAGraphPerRepository() {
        index(qdrant, freshHome(), alpha, ALPHA, "--graph-per-repo", "--hnsw-m", "24");
        var create = server.requests("Create", io.qdrant.client.grpc.Collections.CreateCollection.class).get(0);
        assertEquals(0, create.getHnswConfig().getM(), "no graph over the whole collection");
        assertEquals(24, create.getHnswConfig().getPayloadM(), "one per repository, as dense as --hnsw-m");
        index(qdrant, freshHome(), gamma, GAMMA);
        assertEquals(Set.of(GAMMA), repos(search(qdrant, freshHome(), "socket host", "--repo", GAMMA)));
    }

    @Test
    void twoRepositoriesInOneEmbeddedCollection() throws IOException {
        Map<String, String> embedded = Map.of();
        Path home = freshHome();
        JsonObject a = index(embedded, home, alpha, ALPHA);
        JsonObject g = index(embedded, home, gamma, GAMMA);
        assertTrue(a.get("chunks").getAsInt() > 0 && g.get("chunks").getAsInt() > 0);

        assertEquals(Set.of(GAMMA), repos(search(embedded, home, "settle invoice socket retry", "--repo", GAMMA)));
        assertEquals(Set.of(ALPHA), repos(search(embedded, home, "settle invoice socket retry", "--repo", ALPHA)));
        List<JsonObject> together = search(embedded, home, "settle invoice socket retry");
        assertEquals(Set.of(ALPHA, GAMMA), repos(together));
        for (JsonObject hit : together) {
            Path root = hit.get("repo").getAsString().equals(ALPHA) ? alpha : gamma;
            assertEquals(root.resolve(hit.get("path").getAsString()).toString(), hit.get("file").getAsString(),
                    "each hit's file is below its own repository's root");
        }
        // Hits of any repository land on their definitions, searched alone or with the others.
        JsonObject alone = search(embedded, home, "the amount still owed on invoice 3", "--repo", ALPHA).get(0);
        JsonObject withOthers = search(embedded, home, "the amount still owed on invoice 3").get(0);
        assertEquals(alone.toString(), withOthers.toString());
        assertNotEquals("Invoice3", withOthers.get("symbol").getAsString(),
                "named by the definition the hit lands on, not by the class the chunk is in: " + withOthers);
        // Meaning too: one query vector over both repositories' indexes.
        Result hybrid = cli(embedded, home, "search", "open a network connection", "--collection", "team", "--json");
        assertEquals(0, hybrid.code(), hybrid.err());

        Result listed = cli(embedded, home, "repos", "--collection", "team", "--json");
        assertEquals(0, listed.code(), listed.err());
        assertEquals(2, listed.json().getAsJsonArray("repos").size());
        Result unknown = cli(embedded, home, "search", "settle", "--collection", "team", "--repo", "nope");
        assertEquals(ExitCodes.FATAL, unknown.code());
        assertTrue(unknown.err().contains("'nope'") && unknown.err().contains(ALPHA), unknown.err());

        Result status = cli(embedded, home, "status", "--collection", "team", "--repo", ALPHA, "--json");
        assertEquals(0, status.code(), status.err());
        assertEquals(7, status.json().get("filesIndexed").getAsInt());

        Result dropped = cli(embedded, home, "drop", "--collection", "team", "--repo", ALPHA);
        assertEquals(0, dropped.code(), dropped.err());
        assertEquals(Set.of(GAMMA), repos(search(embedded, home, "settle invoice socket retry")));
        Result rest = cli(embedded, home, "status", "--collection", "team", "--json");
        assertEquals(0, rest.code(), rest.err());
        assertEquals(GAMMA, rest.json().get("repo").getAsString(), "the one left is the default");
    }

    @Test
    void anEmbeddedCollectionOfAnEarlierVersionIsRefusedUntilRebuilt() throws IOException {
        Path home = freshHome();
        // An earlier version's layout: the manifest directly in the collection's directory.
        Path old = home.resolve("collections").resolve("team");
        Files.createDirectories(old.resolve("lucene"));
        Files.writeString(old.resolve("manifest.db"), "not read");
        Result refused = cli(Map.of(), home, "index", alpha.toString(), "--collection", "team");
        assertEquals(ExitCodes.FATAL, refused.code());
        assertTrue(refused.err().contains("earlier version") && refused.err().contains("--reindex"), refused.err());
        Result search = cli(Map.of(), home, "search", "settle", "--collection", "team");
        assertEquals(ExitCodes.FATAL, search.code());
        assertTrue(search.err().contains("--reindex"), search.err());
        Result listed = cli(Map.of(), home, "status");
        assertEquals(0, listed.code(), listed.err());
        assertTrue(listed.out().contains("earlier version"), listed.out());

        JsonObject rebuilt = index(Map.of(), home, alpha, ALPHA, "--reindex");
        assertTrue(rebuilt.get("chunks").getAsInt() > 0);
        assertFalse(Files.exists(old.resolve("manifest.db")), "the earlier version's files are gone");
        assertEquals(Set.of(ALPHA), repos(search(Map.of(), home, "settle invoice")));
    }
}
