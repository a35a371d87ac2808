package dev.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.indexer.config.Shard;
import dev.indexer.store.qdrant.FakeQdrant;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.UpsertPoints;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Qdrant collection shared by machines that keep no state of their own: a fresh index home
 * (a CI runner) takes what the collection holds from it instead of embedding again, and workers
 * that each index one part of the tree ({@code --shard I/N}) write exactly what one run writes.
 */
class SharedCollectionTest {
    @TempDir
    Path tree;

    @TempDir
    Path homes;

    private FakeQdrant server;
    private String url;
    private int homeCount;

    @BeforeEach
    void start() throws IOException {
        server = FakeQdrant.start();
        url = "http://127.0.0.1:" + server.listenOnLocalhost();
        for (int i = 0; i < 10; i++) {
            write("src/pkg" + (i % 3) + "/Unit" + i + ".java", unit(i, "value"));
        }
        write("tools/report.py", "def report(rows):\n    \"\"\"Prints one line per row.\"\"\"\n"
                + "    for row in rows:\n        print(row)\n");
        write("README.md", "# Units\n\nTen units and a report tool.\n");
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    private static String unit(int i, String word) {
        return "package pkg;\n\n/** Unit " + i + " keeps a " + word + ". */\nclass Unit" + i + " {\n"
                + "    private int " + word + " = " + i + ";\n\n"
                + "    /** Returns the " + word + " of unit " + i + ". */\n"
                + "    int " + word + i + "() {\n        return " + word + " * " + (i + 1) + ";\n    }\n\n"
                + "    /** Sets the " + word + " of unit " + i + " when it is not negative. */\n"
                + "    void set" + i + "(int next) {\n        if (next >= 0) {\n            " + word + " = next;\n"
                + "        }\n    }\n}\n";
    }

    private void write(String relative, String content) throws IOException {
        Path file = tree.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** A new, empty index home: another machine. */
    private Path freshHome() {
        return homes.resolve("home" + homeCount++);
    }

    private record Result(int code, String out, String err) {}

    private Result cli(Path home, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--index-dir", home.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = IndexerCli.run(all.toArray(String[]::new), Map.of("QDRANT_URL", url), new PrintWriter(out),
                new PrintWriter(err), Optional.empty());
        return new Result(code, out.toString(), err.toString());
    }

    private JsonObject index(Path home, String collection, String... extra) {
        List<String> args = new ArrayList<>(List.of("index", tree.toString(), "--collection", collection, "--json"));
        args.addAll(List.of(extra));
        Result result = cli(home, args.toArray(String[]::new));
        assertEquals(0, result.code(), result.err());
        return JsonParser.parseString(result.out()).getAsJsonObject();
    }

    /** A fresh clone: the same bytes with new modification times. */
    private void touchEverything() throws IOException {
        FileTime later = FileTime.fromMillis(System.currentTimeMillis() + 60_000);
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(file, later);
            }
        }
    }

    private int upserts() {
        return server.requests("Upsert", UpsertPoints.class).size();
    }

    private Set<String> pathsOnServer(String collection) {
        return new TreeSet<>(server.paths(collection).values());
    }

    /**
     * The same point ids, payloads and sparse vectors, and the same dense vectors as far as the model
     * allows: the int8 model quantizes its activations with a scale taken from the whole batch, so a
     * text embedded beside other texts comes out a little different (cosine 0.992 at worst seen here).
     */
    private void assertSamePoints(String expected, String actual) {
        Map<String, PointStruct> want = server.points(expected);
        Map<String, PointStruct> got = server.points(actual);
        assertEquals(want.keySet(), got.keySet());
        for (Map.Entry<String, PointStruct> e : want.entrySet()) {
            PointStruct a = e.getValue();
            PointStruct b = got.get(e.getKey());
            assertEquals(a.getPayloadMap(), b.getPayloadMap(), e.getKey());
            var va = a.getVectors().getVectors().getVectorsMap();
            var vb = b.getVectors().getVectors().getVectorsMap();
            assertEquals(va.keySet(), vb.keySet(), e.getKey());
            assertEquals(va.get("text"), vb.get("text"), e.getKey());
            if (va.containsKey("dense")) {
                List<Float> x = va.get("dense").getDense().getDataList();
                List<Float> y = vb.get("dense").getDense().getDataList();
                assertEquals(x.size(), y.size());
                double cosine = FakeQdrant.cosine(x, y);
                assertTrue(cosine > 0.98, e.getKey() + ": cosine " + cosine);
            }
        }
    }

    @Test
    void aFreshIndexHomeTakesTheCollectionFromTheStoreAndEmbedsOnlyWhatChanged() throws IOException {
        JsonObject first = index(freshHome(), "team");
        int chunks = first.get("chunks").getAsInt();
        assertEquals(chunks, first.get("chunksEmbedded").getAsInt());
        Map<String, PointStruct> written = server.points("team");
        assertTrue(written.values().stream().allMatch(p -> p.getPayloadOrThrow("file_hash").getStringValue()
                .matches("[0-9a-f]{64}")), "every point carries its file's content hash");

        touchEverything();
        int before = upserts();
        JsonObject runner = index(freshHome(), "team");
        assertEquals(0, runner.get("chunksEmbedded").getAsInt(), "an unchanged tree embeds nothing");
        assertEquals(12, runner.get("filesTouched").getAsInt(), "every file is found unchanged by its content");
        assertEquals(0, runner.get("filesIndexed").getAsInt());
        assertEquals(before, upserts(), "and nothing is written");
        assertEquals(written, server.points("team"));
        assertEquals(chunks, runner.get("collectionEmbedded").getAsInt(), "the home knows every vector is there");

        // One method changed, one file gone, one new: a fresh runner embeds those chunks only.
        write("src/pkg1/Unit4.java", unit(4, "value").replace("return value * 5;", "return value * 50 + 1;"));
        Files.delete(tree.resolve("src/pkg2/Unit5.java"));
        write("src/pkg0/Extra.java", "class Extra {\n    /** Nothing to see. */\n    void idle() {}\n}\n");
        touchEverything();
        JsonObject edited = index(freshHome(), "team");
        int extraChunks = (int) server.points("team").values().stream()
                .filter(p -> p.getPayloadOrThrow("path").getStringValue().equals("src/pkg0/Extra.java")).count();
        assertTrue(extraChunks > 0);
        assertEquals(1 + extraChunks, edited.get("chunksEmbedded").getAsInt(),
                "the changed method and the new file's chunks, nothing else: " + edited);
        assertEquals(1, edited.get("filesDeleted").getAsInt());
        assertFalse(pathsOnServer("team").contains("src/pkg2/Unit5.java"));

        // The result is what a run from scratch writes.
        index(freshHome(), "scratch");
        assertSamePoints("scratch", "team");
    }

    /** Two worker processes at once, as a cluster's scheduler starts them, against the stand-in on a port. */
    @Test
    void twoWorkerProcessesAtOnceWriteTheFullSetOfPointsOneRunWrites() throws Exception {
        index(freshHome(), "one");
        List<ChildProcess> workers = new ArrayList<>();
        for (int part = 0; part < 2; part++) {
            workers.add(ChildProcess.start(homes.resolve("logs" + part), Map.of("QDRANT_URL", url), "index",
                    tree.toString(), "--collection", "two", "--shard", part + "/2", "--index-dir",
                    freshHome().toString(), "--json", "-q"));
        }
        int files = 0;
        for (ChildProcess worker : workers) {
            assertEquals(0, worker.waitFor(), worker.err());
            files += JsonParser.parseString(worker.out()).getAsJsonObject().get("filesIndexed").getAsInt();
        }
        assertEquals(12, files, "each file by one worker");
        assertSamePoints("one", "two");
    }

    @Test
    void twoShardWorkersWriteExactlyWhatOneRunWritesAndEachDeletesOnlyItsOwn() throws IOException {
        index(freshHome(), "one");
        Path worker0 = freshHome();
        Path worker1 = freshHome();
        JsonObject part0 = index(worker0, "two", "--shard", "0/2");
        JsonObject part1 = index(worker1, "two", "--shard", "1/2");
        Set<String> files0 = pathsOnServer("one").stream().filter(new Shard(0, 2)::holds).collect(Collectors.toSet());
        assertFalse(files0.isEmpty());
        assertTrue(files0.size() < 12, "both parts hold files: " + files0);
        assertEquals(files0.size(), part0.get("filesIndexed").getAsInt());
        assertEquals(12, part0.get("filesIndexed").getAsInt() + part1.get("filesIndexed").getAsInt());
        assertSamePoints("one", "two");

        // Each worker selected its own points by their path slot, and an unchanged rerun only counts them.
        assertTrue(server.points("two").values().stream().allMatch(p -> p.getPayloadOrThrow("path_slot").getIntegerValue()
                == Shard.slot(p.getPayloadOrThrow("path").getStringValue())));
        int scrolls = server.requests("Scroll", ScrollPoints.class).size();
        index(worker0, "two", "--shard", "0/2");
        assertEquals(scrolls, server.requests("Scroll", ScrollPoints.class).size(), "a count of its part, no scroll");

        // A file of part 1 is deleted: worker 0 leaves it to worker 1.
        String gone = pathsOnServer("one").stream().filter(p -> !files0.contains(p) && p.endsWith(".java"))
                .findFirst().orElseThrow();
        Files.delete(tree.resolve(gone));
        assertEquals(0, index(worker0, "two", "--shard", "0/2").get("filesDeleted").getAsInt());
        assertTrue(pathsOnServer("two").contains(gone));
        // A new worker 0 on another machine takes part 0 from the store and leaves part 1 alone.
        JsonObject again = index(freshHome(), "two", "--shard", "0/2");
        assertEquals(0, again.get("chunksEmbedded").getAsInt());
        assertEquals(0, again.get("filesDeleted").getAsInt());
        assertTrue(pathsOnServer("two").contains(gone));
        assertEquals(1, index(worker1, "two", "--shard", "1/2").get("filesDeleted").getAsInt());
        assertFalse(pathsOnServer("two").contains(gone));
        index(freshHome(), "one");
        assertSamePoints("one", "two");
    }

    @Test
    void aWorkerThatDiedMidFileIsRerunAloneAndConverges() throws IOException {
        index(freshHome(), "one");
        index(freshHome(), "two", "--shard", "0/2");
        index(freshHome(), "two", "--shard", "1/2");
        // As if worker 1 died while writing a file: part of its chunks stored, the file's hash not yet.
        String victim = "src/pkg1/Unit7.java";
        assertTrue(Shard.parse("1/2").holds(victim) || Shard.parse("0/2").holds(victim));
        String part = Shard.parse("1/2").holds(victim) ? "1/2" : "0/2";
        server.dropPoints("two", p -> p.getPayloadOrThrow("path").getStringValue().equals(victim)
                && p.getPayloadOrThrow("ordinal").getIntegerValue() == 0);
        server.dropPayload("two", "file_hash", p -> p.getPayloadOrThrow("path").getStringValue().equals(victim));
        JsonObject rerun = index(freshHome(), "two", "--shard", part);
        assertEquals(1, rerun.get("filesIndexed").getAsInt(), "only the broken file is indexed again: " + rerun);
        assertSamePoints("one", "two");
    }

    @Test
    void statusSaysWhenTheStoreHoldsWhatThisHomeDoesNotKnowAndTheNextRunTakesIt() throws IOException {
        Files.createDirectories(tree.resolve(".git"));
        Files.writeString(tree.resolve(".git/HEAD"), "0123456789abcdef0123456789abcdef01234567\n");
        Path laptop = freshHome();
        index(laptop, "team");
        Result agreed = cli(laptop, "status", "--collection", "team", "--json");
        assertTrue(agreed.out().contains("\"manifestAgreesWithStore\":true"), agreed.out());
        // A colleague's machine indexes a new file and a changed method into the same collection.
        write("src/pkg0/Colleague.java", "class Colleague {\n    /** Greets the team. */\n    void greet() {}\n}\n");
        write("src/pkg0/Unit3.java", unit(3, "value").replace("return value * 4;", "return value * 40;"));
        index(freshHome(), "team");
        Result differs = cli(laptop, "status", "--collection", "team");
        assertEquals(0, differs.code(), differs.err());
        assertTrue(differs.out().contains("  differs   the store holds ") && differs.out().contains("the store is the truth"),
                differs.out());
        Result json = cli(laptop, "status", "--collection", "team", "--json");
        assertTrue(json.out().contains("\"manifestAgreesWithStore\":false"), json.out());
        JsonObject caughtUp = index(laptop, "team");
        assertEquals(0, caughtUp.get("chunksEmbedded").getAsInt(), "the colleague's files come from the store: " + caughtUp);
        assertEquals(2, caughtUp.get("filesTouched").getAsInt(), "the new one, and the changed one in the store's version");
        assertEquals(0, caughtUp.get("filesIndexed").getAsInt());
        assertTrue(cli(laptop, "status", "--collection", "team", "--json").out()
                .contains("\"manifestAgreesWithStore\":true"));

        // Any machine, with no manifest of its own, reads from the store what the runs left.
        Result elsewhere = cli(freshHome(), "status", "--collection", "team");
        assertEquals(0, elsewhere.code(), elsewhere.err());
        assertTrue(elsewhere.out().matches("(?s).*  run       the whole tree: completed 20\\d\\d-\\S+ at commit 0123456789ab; 13 files, \\d+ chunks,"
                + " \\d+ with vectors; model bge-small, chunker \\S+, indexer .*"), elsewhere.out());

        // Another tool's metadata under our prefix is not ours to show, and breaks nothing.
        try (var client = server.client()) {
            client.collections().update(io.qdrant.client.grpc.Collections.UpdateCollection.newBuilder()
                    .setCollectionName("team").putMetadata("run:bogus", io.qdrant.client.grpc.JsonWithInt.Value
                            .newBuilder().setStringValue("{not json").build()).build()).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Result garbled = cli(freshHome(), "status", "--collection", "team", "--json");
        assertEquals(0, garbled.code(), garbled.err());
        assertTrue(garbled.out().contains("\"part\":\"all\"") && !garbled.out().contains("bogus"), garbled.out());

        Path worker = freshHome();
        index(worker, "team", "--shard", "1/2");
        assertTrue(cli(freshHome(), "status", "--collection", "team").out().contains("  run       part 1/2: completed"));
        Result part = cli(worker, "status", "--collection", "team", "--json");
        assertTrue(part.out().contains("\"shard\":\"1/2\"") && !part.out().contains("manifestAgreesWithStore"),
                part.out());
        assertTrue(cli(worker, "status", "--collection", "team").out().contains("  part      this index home indexes part 1/2"));
    }

    @Test
    void aBadShardIsRefusedWithTheRule() {
        for (String bad : List.of("3/2", "0/0", "a/b", "-1/2", "2", "1/2/3")) {
            Result result = cli(freshHome(), "index", tree.toString(), "--collection", "c", "--shard", bad);
            assertEquals(ExitCodes.USAGE, result.code(), bad);
            assertTrue(result.err().contains("--shard must be I/N") && result.err().contains(bad), result.err());
            assertFalse(result.err().contains("Exception"), result.err());
        }
        assertEquals(0, server.calls().size(), "refused before anything was asked of the server");
    }
}
