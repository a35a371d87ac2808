package dev.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.indexer.chunk.Chunk;
import dev.indexer.state.Manifest;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.StoreTarget;
import dev.indexer.store.qdrant.FakeQdrant;
import dev.indexer.store.qdrant.QdrantSettings;
import io.grpc.Status;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.UpsertPoints;
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
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line against a Qdrant server: the test server, on a real localhost port. */
class QdrantCliTest {
    @TempDir
    Path tree;

    @TempDir
    Path home;

    private FakeQdrant server;
    private String url;
    private final Map<String, String> env = new HashMap<>();

    record Result(int code, String out, String err) {
        JsonObject json() {
            return JsonParser.parseString(out).getAsJsonObject();
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = FakeQdrant.start();
        url = "http://127.0.0.1:" + server.listenOnLocalhost();
        env.put("QDRANT_URL", url);
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    private Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--index-dir");
        all.add(home.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = IndexerCli.run(all.toArray(String[]::new), Map.copyOf(env), new PrintWriter(out), new PrintWriter(err),
                Optional.empty());
        return new Result(code, out.toString(), err.toString());
    }

    private JsonObject index(String collection, String... extra) {
        List<String> args = new ArrayList<>(List.of("index", tree.toString(), "--collection", collection, "--json", "-q"));
        args.addAll(List.of(extra));
        Result result = cli(args.toArray(String[]::new));
        assertEquals(0, result.code(), result.err());
        return result.json();
    }

    private void write(String relative, String content) throws IOException {
        Path file = tree.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private void writeTree() throws IOException {
        write("src/IsbnValidator.java", """
                /** Checks ISBN-13 book numbers. */
                final class IsbnValidator {
                    /** True if the 13 digits carry a valid check digit. */
                    static boolean isValid(String isbn) {
                        int sum = 0;
                        for (int i = 0; i < 12; i++) {
                            sum += (isbn.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
                        }
                        return (10 - sum % 10) % 10 == isbn.charAt(12) - '0';
                    }
                }
                """);
        write("tools/sorter.py", """
                def merge_sort(items):
                    \"\"\"Sorts a list by splitting it in halves and merging the sorted halves.\"\"\"
                    if len(items) <= 1:
                        return items
                    mid = len(items) // 2
                    return merge(merge_sort(items[:mid]), merge_sort(items[mid:]))
                """);
        write("server/main.go", """
                package main

                import "net/http"

                // main serves a health endpoint on port 8080.
                func main() {
                    http.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
                    http.ListenAndServe(":8080", nil)
                }
                """);
        write("README.md", "# Tools\n\nA book number validator, a sorter and a tiny web server.\n");
    }

    private Path manifestFile(String collection) {
        return dev.indexer.RepoDirs.only(home, collection).resolve(Manifest.FILE_NAME);
    }

    /** The manifest's chunk count per file must be exactly what the server holds per file, with no strays. */
    private void assertManifestAgreesWithServer(String collection) {
        Map<String, Integer> onServer = new TreeMap<>();
        Map<String, String> points = server.paths(collection);
        points.values().forEach(path -> onServer.merge(path, 1, Integer::sum));
        try (Manifest manifest = Manifest.open(manifestFile(collection))) {
            Map<String, Integer> recorded = new TreeMap<>(manifest.chunkCounts());
            recorded.values().removeIf(count -> count == 0);
            assertEquals(recorded, onServer);
            Set<String> expectedIds = new TreeSet<>();
            recorded.forEach((path, count) -> {
                for (int i = 0; i < count; i++) {
                    // Pinned: the id of a repository's chunk, the same on every machine and version.
                    expectedIds.add(java.util.UUID.nameUUIDFromBytes((tree.getFileName() + "\u0000" + Chunk.idFor(path, i))
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
                }
            });
            assertEquals(expectedIds, points.keySet(), "exactly the ids of the recorded chunks");
        }
    }

    @Test
    void indexSearchStatusRerunAndDropAgainstQdrant() throws IOException {
        writeTree();
        env.put("QDRANT_API_KEY", "s3cret");
        JsonObject first = index("tools");
        assertEquals(4, first.get("filesIndexed").getAsInt());
        int chunks = first.get("chunks").getAsInt();
        assertEquals(chunks, server.pointCount("tools"));
        assertManifestAgreesWithServer("tools");
        assertTrue(server.apiKeys().contains("s3cret"), "the API key from QDRANT_API_KEY is sent");

        Result search = cli("search", "check that a book number is valid", "--collection", "tools", "-k", "2");
        assertEquals(0, search.code(), search.err());
        String firstLine = search.out().lines().findFirst().orElseThrow();
        // The hit lands on the method the chunk lies in: its own lines (4-10), not the chunk's.
        assertTrue(firstLine.matches("src/IsbnValidator\\.java:4-10  [01]\\.\\d{4}  method isValid in IsbnValidator"),
                search.out());
        Result json = cli("search", "check that a book number is valid", "--collection", "tools", "-k", "1", "--json");
        JsonObject hit = JsonParser.parseString(json.out().lines().findFirst().orElseThrow()).getAsJsonObject();
        assertTrue(hit.get("text").getAsString().startsWith("    static boolean isValid(String isbn) {\n"), json.out());
        assertTrue(hit.get("text").getAsString().endsWith("isbn.charAt(12) - '0';\n    }"), json.out());

        Result status = cli("status", "--collection", "tools");
        assertEquals(0, status.code(), status.err());
        assertTrue(status.out().contains("(Qdrant at " + url + ")"), status.out());
        assertTrue(status.out().contains("qdrant    green, " + chunks + " points"), status.out());
        assertTrue(status.out().contains("quantization: scalar int8, in RAM"), status.out());
        assertTrue(status.out().contains("sparse: text (BM25 terms, IDF on the server)"), status.out());
        assertTrue(status.out().contains("hnsw      m 16, ef_construct 100, on disk: true"), status.out());
        assertTrue(status.out().contains("1 shards x 1 replicas; payload on disk: true; indexed fields: hash,lang,path,path_slot,repo"),
                status.out());
        assertTrue(status.out().contains("pending   0 new, 0 changed, 0 deleted"), status.out());

        int upserts = server.requests("Upsert", UpsertPoints.class).size();
        assertEquals(0, index("tools").get("filesIndexed").getAsInt());
        assertEquals(upserts, server.requests("Upsert", UpsertPoints.class).size(), "an unchanged tree sends nothing");

        write("src/IsbnValidator.java", Files.readString(tree.resolve("src/IsbnValidator.java")) + "// checked\n");
        Files.delete(tree.resolve("tools/sorter.py"));
        JsonObject third = index("tools");
        assertEquals(1, third.get("filesChanged").getAsInt());
        assertEquals(1, third.get("filesDeleted").getAsInt());
        Set<String> deletedPaths = new TreeSet<>();
        for (DeletePoints delete : server.requests("Delete", DeletePoints.class)) {
            var match = delete.getPoints().getFilter().getMust(0).getField().getMatch();
            deletedPaths.addAll(match.hasKeyword() ? List.of(match.getKeyword()) : match.getKeywords().getStringsList());
        }
        assertTrue(deletedPaths.containsAll(Set.of("src/IsbnValidator.java", "tools/sorter.py")), deletedPaths.toString());
        assertFalse(server.paths("tools").containsValue("tools/sorter.py"));
        assertManifestAgreesWithServer("tools");

        Result drop = cli("drop", "--collection", "tools");
        assertEquals(0, drop.code(), drop.err());
        assertFalse(server.hasCollection("tools"));
        assertFalse(Files.exists(manifestFile("tools")));
    }

    @Test
    void anOutageStopsTheRunWithOneSentenceAndARerunCompletesWithoutDuplicates() throws IOException {
        for (int i = 0; i < 8; i++) {
            write("src/Unit" + i + ".java", "class Unit" + i + " {\n    /** Returns unit " + i + "'s id. */\n"
                    + "    int id() { return " + i + "; }\n}\n");
        }
        // One file per batch and a commit at every batch: two uploads succeed, then the server goes away.
        server.failAfter("Upsert", 2, Status.UNAVAILABLE.withDescription("connection reset"));
        Result failed = cli("index", tree.toString(), "--collection", "outage", "-q", "--batch-size", "1",
                "--commit-interval", "0", "--qdrant-retries", "2");
        assertEquals(1, failed.code());
        assertEquals(1, failed.err().lines().count(), failed.err());
        assertTrue(failed.err().startsWith("indexer: Could not reach Qdrant at " + url + " to store 1 points after 3 tries"),
                failed.err());
        assertTrue(failed.err().contains("run again"), failed.err());
        long recorded;
        try (Manifest manifest = Manifest.open(manifestFile("outage"))) {
            recorded = manifest.totals().indexedFiles();
        }
        assertTrue(recorded >= 1 && recorded <= 2, "only acknowledged files are recorded: " + recorded);
        assertManifestAgreesWithServer("outage");

        server.clearFailures();
        JsonObject rerun = index("outage");
        assertEquals(8 - recorded, rerun.get("filesIndexed").getAsLong(), "the rerun continues where the outage stopped");
        assertEquals(8, server.pointCount("outage"), "one point per file, none twice");
        assertManifestAgreesWithServer("outage");
    }

    @Test
    void anUnreachableServerIsOneSentenceAndExitOne() throws IOException {
        writeTree();
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Result result = cli("index", tree.toString(), "--collection", "nowhere", "-q",
                "--qdrant-url", "http://127.0.0.1:" + closedPort, "--qdrant-retries", "0");
        assertEquals(1, result.code());
        assertEquals(1, result.err().lines().count(), result.err());
        assertTrue(result.err().startsWith("indexer: Could not reach Qdrant at http://127.0.0.1:" + closedPort
                + " to look up collection 'nowhere'"), result.err());
        assertTrue(result.err().contains("check that it is running"), result.err());
    }

    @Test
    void aCollectionWithOtherVectorsIsRefusedAndNothingIsWritten() throws IOException {
        writeTree();
        QdrantSettings settings = QdrantSettings.forUrl(url);
        settings.target().openWriter(new CollectionInfo("wide", "other", 768, "/x"), StoreTarget.Contents.KEEP)
                .close();
        Result result = cli("index", tree.toString(), "--collection", "wide", "-q");
        assertEquals(1, result.code());
        // The writer above wrote repository 'wide': a repository of another model cannot join it.
        assertEquals("indexer: Qdrant collection 'wide' at " + url + " holds other repositories ('wide') embedded with"
                + " model other, and one collection is searched with one model; nothing was changed. Index '"
                + tree.getFileName() + "' with that --model or into another --collection, or drop the others first.",
                result.err().strip());
        assertTrue(server.requests("Upsert", UpsertPoints.class).isEmpty());
        assertTrue(server.requests("Delete", DeletePoints.class).isEmpty());
    }

    @Test
    void aCollectionDeletedOnTheServerIsRebuiltFromScratch() throws IOException {
        writeTree();
        index("gone");
        QdrantSettings.forUrl(url).target().drop("gone");
        Result rerun = cli("index", tree.toString(), "--collection", "gone", "--json", "-q");
        assertEquals(0, rerun.code(), rerun.err());
        assertTrue(rerun.err().contains("did not hold repository '" + tree.getFileName() + "'; indexing every file again"), rerun.err());
        assertEquals(4, rerun.json().get("filesIndexed").getAsInt());
        assertManifestAgreesWithServer("gone");
    }

    @Test
    void aCollectionStaysWithTheStoreItWasBuiltIn() throws IOException {
        writeTree();
        env.remove("QDRANT_URL");
        index("local");
        Result moved = cli("index", tree.toString(), "--collection", "local", "--qdrant-url", url);
        assertEquals(1, moved.code());
        assertTrue(moved.err().contains("was built with store embedded (not qdrant)")
                && moved.err().contains("--reindex"), moved.err());
    }

    @Test
    void qdrantOptionsAreCheckedBeforeAnythingRuns() throws IOException {
        writeTree();
        env.remove("QDRANT_URL");
        Result noServer = cli("index", tree.toString(), "--collection", "x", "--shards", "2");
        assertEquals(2, noServer.code());
        assertTrue(noServer.err().contains("need a Qdrant server"), noServer.err());
        Result badUrl = cli("index", tree.toString(), "--collection", "x", "--qdrant-url", "ftp://host");
        assertEquals(2, badUrl.code());
        assertTrue(badUrl.err().contains("--qdrant-url: use http:// or https://"), badUrl.err());
        Result badQuantization = cli("index", tree.toString(), "--collection", "x", "--qdrant-url", url,
                "--quantization", "fp8");
        assertEquals(2, badQuantization.code());
        assertTrue(badQuantization.err().contains("unknown quantization 'fp8'"), badQuantization.err());
        assertFalse(Files.exists(dev.indexer.RepoDirs.only(home, "x").resolve(Manifest.FILE_NAME)));
    }
}
