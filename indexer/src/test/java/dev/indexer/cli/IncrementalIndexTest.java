package dev.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.indexer.StoredChunks;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.IndexHome;
import dev.indexer.config.Rebuild;
import dev.indexer.engine.CollectionWriter;
import dev.indexer.engine.Engine;
import dev.indexer.state.Manifest;
import dev.indexer.store.local.EmbeddedTarget;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reruns through the command line: --max-files, changes, deletions, status, drop, the lock. */
class IncrementalIndexTest {
    @TempDir
    Path tree;

    @TempDir
    Path home;

    record Result(int code, String out, String err) {
        JsonObject json() {
            return JsonParser.parseString(out).getAsJsonObject();
        }
    }

    private Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--index-dir");
        all.add(home.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = IndexerCli.run(all.toArray(String[]::new), Map.of(), new PrintWriter(out), new PrintWriter(err),
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

    /** A file of several chunks: a class with many documented methods. */
    private static String bigSource(String name, int methods) {
        StringBuilder text = new StringBuilder("class " + name + " {\n");
        for (int i = 0; i < methods; i++) {
            text.append("    /** Computes the ").append(i).append("th value of the ").append(name)
                    .append(" series from its predecessors and a seed. */\n")
                    .append("    long value").append(i).append("(long seed) { return seed * ").append(i + 7)
                    .append(" + value").append(Math.max(0, i - 1)).append("(seed - 1); }\n\n");
        }
        return text.append("}\n").toString();
    }

    private void writeSevenFiles() throws IOException {
        for (int i = 0; i < 7; i++) {
            write("src/pkg" + (i % 3) + "/Unit" + i + ".java", "class Unit" + i + " {\n    int id() { return " + i + "; }\n}\n");
        }
    }

    /** Every chunk in a collection: id to path. */
    private Map<String, String> chunks(String collection) {
        return StoredChunks.scan(home, collection);
    }

    /** The manifest's chunk count per file must be exactly what the store holds per file. */
    private void assertManifestAgreesWithStore(String collection) {
        Map<String, Integer> inStore = new HashMap<>();
        chunks(collection).values().forEach(path -> inStore.merge(path, 1, Integer::sum));
        try (Manifest manifest = Manifest.open(dev.indexer.RepoDirs.only(home, collection).resolve(Manifest.FILE_NAME))) {
            Map<String, Integer> recorded = new HashMap<>(manifest.chunkCounts());
            recorded.values().removeIf(count -> count == 0);
            assertEquals(recorded, inStore);
        }
    }

    @Test
    void aSearchBeforeTheVectorsSaysWhichHitsItEmbeddedItselfAndTheNextRunDoesNotEmbedThemAgain() throws IOException {
        writeSevenFiles();
        // Last in the embedding order (by path): still without its vector after --max-files 1.
        write("src/zz/Ledger.java", "class Ledger {\n    /** Settles the open invoices of a customer account. */\n"
                + "    long settleInvoices(long account) { return account; }\n}\n");
        JsonObject first = index("early", "--max-files", "1");
        assertTrue(first.get("chunksWaiting").getAsLong() > 0, first.toString());

        Result search = cli("search", "settle the open invoices", "--collection", "early", "--json");
        assertEquals(0, search.code(), search.err());
        List<JsonObject> hits = search.out().lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        JsonObject ledger = hits.stream().filter(h -> h.get("path").getAsString().equals("src/zz/Ledger.java"))
                .findFirst().orElseThrow(() -> new AssertionError(search.out()));
        assertTrue(ledger.has("embeddedNow") && ledger.get("embeddedNow").getAsBoolean(),
                "the hit found by its words was ranked by a vector made for this search: " + ledger);
        Result text = cli("search", "settle the open invoices", "--collection", "early");
        assertTrue(text.err().contains("were ranked by vectors made for this search"), text.err());

        JsonObject rest = index("early");
        assertEquals(0, rest.get("chunksWaiting").getAsLong());
        assertTrue(rest.get("chunksFromCache").getAsLong() >= 1, "the search's vector was kept: " + rest);
    }

    @Test
    void maxFilesRunsContinueUntilNothingRemainsAndEqualOneFullRun() throws IOException {
        writeSevenFiles();
        List<Integer> indexed = new ArrayList<>();
        List<Integer> embedded = new ArrayList<>();
        List<Integer> remaining = new ArrayList<>();
        List<Integer> waiting = new ArrayList<>();
        for (int run = 0; run < 5; run++) {
            JsonObject report = index("steps", "--max-files", "2", "--vector-cache", "0");
            indexed.add(report.get("filesIndexed").getAsInt());
            embedded.add(report.get("filesEmbedded").getAsInt());
            remaining.add(report.get("remaining").getAsInt());
            waiting.add(report.get("chunksWaiting").getAsInt());
        }
        assertEquals(List.of(7, 0, 0, 0, 0), indexed, "the lexical phase covers the tree at once");
        assertEquals(List.of(2, 2, 2, 1, 0), embedded, "--max-files bounds the embedding");
        assertEquals(List.of(5, 3, 1, 0, 0), remaining);
        assertEquals(List.of(5, 3, 1, 0, 0), waiting, "one chunk per file");
        index("full");
        assertEquals(7, chunks("full").size());
        assertEquals(chunks("full"), chunks("steps"), "same chunk ids, paths and count as a single full run");
        assertManifestAgreesWithStore("steps");
    }

    @Test
    void theReportOfARunStoppedAtMaxFilesAddsUp() throws IOException {
        for (int i = 0; i < 300; i++) {
            write("src/F" + i + ".java", "class F" + i + " { int v() { return " + i + "; } }\n");
        }
        write("yarn.lock", "# a lockfile\n"); // the walker leaves these two out: a built-in exclude
        write(".env", "TOKEN=abc\n"); // and a secrets file
        Result text = cli("index", tree.toString(), "--collection", "m", "--max-files", "5", "--vector-cache", "0", "-q");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("302 seen: 300 new, 0 changed, 0 unchanged, 2 left out by rules; 0 deleted"),
                text.out());
        assertTrue(text.out().contains("Stopped at --max-files: 295 files wait for vectors"), text.out());
        assertFalse(java.util.regex.Pattern.compile("\\s-\\d").matcher(text.out()).find(), text.out());
        JsonObject json = index("m", "--max-files", "5", "--vector-cache", "0");
        assertEquals(302, json.get("filesSeen").getAsInt());
        assertEquals(300, json.get("filesUnchanged").getAsInt());
        assertEquals(2, json.get("filesLeftOut").getAsInt());
        assertEquals(290, json.get("remaining").getAsInt());
    }

    @Test
    void aRerunUpdatesExactlyWhatChangedAndReusesUnchangedChunks() throws IOException {
        writeSevenFiles();
        write("src/Series.java", bigSource("Series", 40));
        write("src/Legacy.java", "class Legacy {\n    /** Converts a temperature from Fahrenheit to Celsius. */\n"
                + "    double celsius(double f) { return (f - 32) * 5 / 9; }\n}\n");
        JsonObject first = index("live");
        int seriesChunks = (int) chunks("live").values().stream().filter("src/Series.java"::equals).count();
        assertTrue(seriesChunks >= 4, "the big file spans several chunks: " + seriesChunks);
        assertEquals(9, first.get("filesIndexed").getAsInt());

        write("src/Series.java", bigSource("Series", 40) + "// one more line at the end\n");
        Files.delete(tree.resolve("src/Legacy.java"));
        write("src/Added.java", "class Added {\n    /** Reverses the words of a sentence. */\n"
                + "    String reverseWords(String s) { return s; }\n}\n");
        JsonObject second = index("live");
        assertEquals(1, second.get("filesNew").getAsInt());
        assertEquals(1, second.get("filesChanged").getAsInt());
        assertEquals(1, second.get("filesDeleted").getAsInt());
        assertEquals(7, second.get("filesUnchanged").getAsInt());
        assertEquals(2, second.get("filesIndexed").getAsInt());
        assertEquals(seriesChunks - 1, second.get("chunksReused").getAsInt(), "only the last chunk of Series changed");
        assertEquals(2, second.get("chunksEmbedded").getAsInt(), "the changed last chunk and the new file");

        Map<String, String> after = chunks("live");
        assertFalse(after.containsValue("src/Legacy.java"), "the deleted file's chunks are gone");
        assertTrue(after.containsValue("src/Added.java"));
        Result search = cli("search", "convert temperature from fahrenheit", "--collection", "live", "-k", "20");
        assertFalse(search.out().contains("Legacy.java"), search.out());
        assertManifestAgreesWithStore("live");

        // Touching files changes metadata only: their content is hashed, nothing is embedded.
        for (int i = 0; i < 7; i++) {
            Path unit = tree.resolve("src/pkg" + (i % 3) + "/Unit" + i + ".java");
            Files.setLastModifiedTime(unit, FileTime.fromMillis(Files.getLastModifiedTime(unit).toMillis() + 5000));
        }
        JsonObject touched = index("live");
        assertEquals(7, touched.get("filesTouched").getAsInt());
        assertEquals(0, touched.get("chunksEmbedded").getAsInt());
        assertEquals(0, touched.get("filesIndexed").getAsInt());
        assertEquals(9, index("live").get("filesUnchanged").getAsInt(), "and the next run sees them as unchanged");
    }

    @Test
    void aNewlyIgnoredDirectoryLeavesTheIndex() throws IOException {
        writeSevenFiles();
        index("ignored");
        write(".indexerignore", "pkg1/\n");
        JsonObject report = index("ignored");
        assertEquals(2, report.get("filesDeleted").getAsInt(), "Unit1 and Unit4 live in pkg1");
        assertFalse(chunks("ignored").containsValue("src/pkg1/Unit1.java"));
    }

    @Test
    void statusReportsTotalsPendingWorkAndTheLastRun() throws IOException {
        writeSevenFiles();
        index("st", "--max-files", "5");
        write("src/pkg0/Late1.java", "class Late1 {}\n");
        write("src/pkg0/Late2.java", "class Late2 {}\n");
        Result status = cli("status", "--collection", "st", "--json");
        assertEquals(0, status.code(), status.err());
        JsonObject s = status.json();
        assertEquals(7, s.get("filesIndexed").getAsInt());
        assertEquals(7, s.get("chunks").getAsInt());
        assertEquals(5, s.get("chunksWithVectors").getAsInt());
        assertEquals(2, s.get("chunksWaiting").getAsInt());
        assertEquals(7, s.get("storeChunks").getAsInt());
        assertEquals(2, s.get("pendingNew").getAsInt());
        assertEquals(0, s.get("pendingChanged").getAsInt());
        assertEquals("bge-small", s.get("model").getAsString());
        assertEquals(tree.toString(), s.get("root").getAsString());
        assertTrue(s.get("lastRunOutcome").getAsString().startsWith("stopped at --max-files; 2 files remain to embed"),
                s.get("lastRunOutcome").getAsString());
        assertTrue(cli("status", "--collection", "st").out().contains("meaning   5 of 7 chunks embedded; 2 wait"));
        Files.delete(tree.resolve("src/pkg0/Late1.java"));
        Files.delete(tree.resolve("src/pkg0/Late2.java"));
        assertTrue(s.get("diskBytes").getAsLong() > 0);
        Files.delete(tree.resolve("src/pkg0/Unit0.java"));
        write("src/pkg1/Unit1.java", "class Unit1 { int id() { return 100; } }\n");
        Files.setLastModifiedTime(tree.resolve("src/pkg1/Unit1.java"), FileTime.fromMillis(1000));
        JsonObject later = cli("status", "--collection", "st", "--json").json();
        assertEquals(1, later.get("pendingDeleted").getAsInt());
        assertEquals(1, later.get("pendingChanged").getAsInt());
        Result text = cli("status", "--collection", "st");
        assertTrue(text.out().contains("pending   0 new, 1 changed, 1 deleted"), text.out());
    }

    @Test
    void dropRemovesTheCollectionAndItsState() throws IOException {
        writeSevenFiles();
        index("gone");
        Result drop = cli("drop", "--collection", "gone");
        assertEquals(0, drop.code(), drop.err());
        assertTrue(drop.out().startsWith("Dropped collection 'gone'"), drop.out());
        assertFalse(Files.exists(home.resolve("collections/gone")));
        assertEquals(1, cli("search", "anything", "--collection", "gone").code());
        assertEquals(1, cli("drop", "--collection", "gone").code());
    }

    /** Segments of a collection's newest commit: how many, the deleted documents they still hold, all their documents. */
    private int[] segments(String collection) throws IOException {
        try (org.apache.lucene.store.Directory dir = org.apache.lucene.store.FSDirectory.open(
                dev.indexer.RepoDirs.only(home, collection).resolve("lucene"))) {
            org.apache.lucene.index.SegmentInfos infos = org.apache.lucene.index.SegmentInfos.readLatestCommit(dir);
            return new int[] {infos.size(), infos.asList().stream().mapToInt(i -> i.getDelCount()).sum(),
                infos.asList().stream().mapToInt(i -> i.info.maxDoc()).sum()};
        }
    }

    @Test
    void aCompletedRunLeavesTheIndexSettledInAFewSegments() throws IOException {
        for (int i = 0; i < 120; i++) {
            write("src/p" + (i % 6) + "/F" + i + ".java", bigSource("Series" + i, 2));
        }
        // A commit after every batch of two files: many small segments, and every document written
        // twice (words first, then with its vector).
        String[] small = {"--commit-interval", "0s", "--batch-size", "2"};
        // indexer index merges what its run left before it ends: at most a tier of the merge policy
        // (ten segments), and the deleted documents' space taken back (the policy allows 20%).
        JsonObject report = index("settled", small);
        assertEquals(120, report.get("filesIndexed").getAsLong(), report.toString());
        int[] settled = segments("settled");
        assertTrue(settled[0] <= 10, "settled: " + settled[0] + " segments");
        assertTrue(settled[1] * 5 <= settled[2], "deleted documents left: " + settled[1] + " of " + settled[2]);
        // The engine's run alone leaves its last merges undone when its writer closes (here they were
        // seen to leave about 10 deleted documents); settling them is the engine's, for any caller.
        IndexHome indexHome = IndexHome.resolve(Optional.of(home), Map.of());
        Engine engine = Engine.standard(indexHome, new EmbeddedTarget(indexHome, 16),
                dev.indexer.config.MemoryBudget.forReading(Runtime.getRuntime().maxMemory()));
        try (CollectionWriter writer = engine.openWriter("raw", CollectionSpec.DEFAULTS, Rebuild.NO)) {
            writer.index(tree, dev.indexer.config.IndexOptions.DEFAULTS.withBatchSize(2)
                    .withCommitInterval(java.time.Duration.ZERO), dev.indexer.pipeline.ProgressListener.NONE,
                    new dev.indexer.pipeline.Cancellation());
        }
        int[] raw = segments("raw");
        try (CollectionWriter writer = engine.openWriter("raw", CollectionSpec.DEFAULTS, Rebuild.NO)) {
            writer.index(tree, dev.indexer.config.IndexOptions.DEFAULTS, dev.indexer.pipeline.ProgressListener.NONE,
                    new dev.indexer.pipeline.Cancellation());
            assertTrue(writer.settle(java.time.Duration.ofSeconds(60), new dev.indexer.pipeline.Cancellation()));
        }
        int[] after = segments("raw");
        assertTrue(after[0] <= 10 && after[1] * 5 <= after[2], "settled by the engine: " + after[0] + " segments, " + after[1]
                + " deleted (" + raw[0] + " and " + raw[1] + " before)");
        Result search = cli("search", "the 1th value of the Series7 series", "--collection", "settled", "--json");
        assertEquals(0, search.code(), search.err());
        assertTrue(search.out().lines().findFirst().orElseThrow().contains("src/p1/F7.java"), search.out());
    }

    /** A writer of the collection in this process: it holds the collection's lock until closed. */
    private CollectionWriter writerInThisProcess(String collection) {
        IndexHome indexHome = IndexHome.resolve(Optional.of(home), Map.of());
        return Engine.forReading(indexHome, EmbeddedTarget.forReading(indexHome))
                .openWriter(collection, tree.getFileName().toString(), CollectionSpec.DEFAULTS, Rebuild.NO);
    }

    @Test
    void aSecondWriterFailsAtOnceNamingTheHolder() throws IOException {
        writeSevenFiles();
        try (CollectionWriter held = writerInThisProcess("busy")) {
            Result result = cli("index", tree.toString(), "--collection", "busy", "-q");
            assertEquals(1, result.code());
            assertTrue(result.err().contains("is being written by another indexer process (pid "
                    + ProcessHandle.current().pid() + ")"), result.err());
            assertEquals(1, cli("drop", "--collection", "busy").code(), "drop waits for no one either");
        }
        assertEquals(7, index("busy").get("filesIndexed").getAsInt());
    }

    @Test
    void aWriterRefusedInThisProcessLeavesTheHoldersLockInPlaceForOtherProcesses() throws Exception {
        writeSevenFiles();
        try (CollectionWriter held = writerInThisProcess("held")) {
            assertEquals(1, cli("index", tree.toString(), "--collection", "held", "-q").code(), "refused in this process");
            // The OS's lock belongs to the process: the refusal must not have let it go.
            ChildProcess other = ChildProcess.start(home.resolve("logs"), Map.of(), "index", tree.toString(),
                    "--collection", "held", "--index-dir", home.toString(), "-q");
            assertEquals(1, other.waitFor(), other.err());
            assertTrue(other.err().contains("is being written by another indexer process (pid "
                    + ProcessHandle.current().pid() + ")"), other.err());
        }
    }

    @Test
    void reindexRebuildsWithAnotherModel() throws IOException {
        writeSevenFiles();
        index("models");
        assertEquals(1, cli("index", tree.toString(), "--collection", "models", "--model", "minilm", "-q").code());
        JsonObject rebuilt = index("models", "--model", "minilm", "--reindex");
        assertEquals(7, rebuilt.get("filesIndexed").getAsInt());
        assertEquals("minilm", cli("status", "--collection", "models", "--json").json().get("model").getAsString());
        assertEquals(7, chunks("models").size());
    }
}
