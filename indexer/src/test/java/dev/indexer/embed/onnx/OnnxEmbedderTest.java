package dev.indexer.embed.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.IndexerException;
import dev.indexer.TestModels;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.Embedder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OnnxEmbedderTest {
    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    @ParameterizedTest
    @EnumSource(ModelSpec.class)
    void embedsUnitVectorsThatRankByMeaning(ModelSpec spec) {
        try (OnnxEmbedder embedder = TestModels.open(spec)) {
            assertEquals(2, embedder.specialTokens());
            float[][] docs = embedder.embedDocuments(List.of(
                    "public static void sortByName(List<Person> people) { people.sort(Comparator.comparing(Person::name)); }",
                    "def download(url): return requests.get(url, timeout=10).text",
                    "The quarterly report shows revenue growth in the northern region."));
            for (float[] v : docs) {
                assertEquals(spec.dimension(), v.length);
                assertEquals(1.0, Math.sqrt(dot(v, v)), 1e-4);
            }
            float[] query = embedder.embedQuery("order a list of people alphabetically");
            assertTrue(dot(query, docs[0]) > dot(query, docs[1]), "sorting code is closer than HTTP code");
            assertTrue(dot(query, docs[0]) > dot(query, docs[2]), "sorting code is closer than prose");
            float[] http = embedder.embedQuery("fetch a web page over HTTP");
            assertTrue(dot(http, docs[1]) > dot(http, docs[0]));
        }
    }

    @ParameterizedTest
    @EnumSource(ModelSpec.class)
    void whatASearchEmbedsIsTheVectorIndexingMakesWhileABatchIsBeingIndexed(ModelSpec spec) throws Exception {
        try (OnnxEmbedder embedder = TestModels.open(spec)) {
            String text = "src/Ledger.java\nclass Ledger\nlong settleInvoices(long seed) { return seed; }";
            float[] indexed = embedder.embedDocuments(List.of(text))[0];
            // A large batch holds the documents' lock; the search's call must not wait for it to end.
            List<String> batch = java.util.Collections.nCopies(48, "config.put(key, value);\n".repeat(20));
            Thread indexing = new Thread(() -> embedder.embedDocuments(batch));
            indexing.start();
            Thread.sleep(20);
            float[] searched = embedder.embedDocumentsForSearch(List.of(text))[0];
            boolean beforeTheBatch = indexing.isAlive();
            indexing.join();
            assertTrue(dot(indexed, searched) > 0.999, "cosine " + dot(indexed, searched));
            assertTrue(beforeTheBatch, "the search's call waited for the indexing batch to end");
        }
    }

    @ParameterizedTest
    @EnumSource(ModelSpec.class)
    void paddingInABatchDoesNotChangeAVectorsMeaning(ModelSpec spec) {
        try (OnnxEmbedder embedder = TestModels.open(spec)) {
            String shortText = "int add(int a, int b) { return a + b; }";
            String longText = "/** Parses a configuration file. */\n" + "config.put(key, value);\n".repeat(60);
            float[] alone = embedder.embedDocuments(List.of(shortText))[0];
            float[] padded = embedder.embedDocuments(List.of(longText, shortText))[1];
            // int8 models quantize activations per batch, so results differ slightly, never in meaning.
            assertTrue(dot(alone, padded) > 0.99, "cosine " + dot(alone, padded));
        }
    }

    @ParameterizedTest
    @EnumSource(ModelSpec.class)
    void inputLongerThanTheLimitIsTruncatedNotRejected(ModelSpec spec) {
        try (OnnxEmbedder embedder = TestModels.open(spec)) {
            String huge = "token ".repeat(5000);
            float[][] vectors = embedder.embedDocuments(List.of(huge, "short"));
            assertEquals(2, vectors.length);
            // MiniLM's tokenizer.json cuts at 128 tokens; the configured 256 must apply instead. Text
            // after token 150 changes the vector only if it is not cut off.
            String prefix = "alpha ".repeat(150);
            float[] prefixOnly = embedder.embedDocuments(List.of(prefix))[0];
            float[] withTail = embedder.embedDocuments(List.of(prefix + "database transaction rollback ".repeat(20)))[0];
            float[] pastTheLimit = embedder.embedDocuments(List.of(prefix + "alpha ".repeat(110)
                    + "database transaction rollback ".repeat(20)))[0];
            float[] limitOnly = embedder.embedDocuments(List.of(prefix + "alpha ".repeat(110)))[0];
            assertTrue(dot(prefixOnly, withTail) < 0.99, "tail within 256 tokens counts: " + dot(prefixOnly, withTail));
            assertTrue(dot(limitOnly, pastTheLimit) > 0.999, "tail past 256 tokens is cut: " + dot(limitOnly, pastTheLimit));
        }
    }

    @ParameterizedTest
    @EnumSource(ModelSpec.class)
    void tokenCounterAgreesWithSeparateEncodings(ModelSpec spec) {
        try (OnnxEmbedder embedder = TestModels.open(spec)) {
            List<String> lines = List.of(
                    "public static void main(String[] args) {",
                    "",
                    "    System.out.println(\"héllo wörld 😀 日本語\");",
                    "  return a+b; // ünïcode",
                    "}");
            int[] together = embedder.tokenCounter().countLines(lines);
            int[] separately = new int[lines.size()];
            for (int i = 0; i < lines.size(); i++) {
                separately[i] = embedder.tokenCounter().countLines(List.of(lines.get(i)))[0];
            }
            assertArrayEquals(separately, together);
            assertEquals(0, together[1]);
            assertEquals(12, together[0]);
        }
    }

    @ParameterizedTest
    @EnumSource(ModelSpec.class)
    void manyInputsInOneCall(ModelSpec spec) {
        try (OnnxEmbedder embedder = TestModels.open(spec)) {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                texts.add("line " + i + " of a test input " + "x".repeat(i));
            }
            assertEquals(40, embedder.embedDocuments(texts).length);
            assertEquals(0, embedder.embedDocuments(List.of()).length);
        }
    }

    @ParameterizedTest
    @EnumSource(ModelSpec.class)
    void aSharedTokenizerCountsAndEmbedsAsAnOwnOneAndOutlivesTheModel(ModelSpec spec) {
        List<String> texts = List.of("class Ledger { long settleInvoices(long seed) { return seed; } }",
                "def crunch(seed: int) -> int: return seed * 31  # ünïcode",
                "x".repeat(3000));
        List<String> lines = List.of("public static void main(String[] args) {", "héllo wörld 😀 日本語", "");
        float[][] own;
        int[] ownCounts;
        try (OnnxEmbedder embedder = TestModels.open(spec)) {
            own = embedder.embedDocuments(texts);
            ownCounts = embedder.tokenCounter().countLines(lines);
        }
        try (HfTokenizer shared = HfTokenizer.open(spec, TestModels.home())) {
            try (OnnxEmbedder embedder = OnnxEmbedder.open(spec, 256, OnnxEmbedder.Tuning.of(2), TestModels.home(),
                    shared)) {
                assertTrue(embedder.tokenCounter() == shared, "counts with the tokenizer it was given");
                float[][] sharing = embedder.embedDocuments(texts);
                for (int i = 0; i < texts.size(); i++) {
                    assertArrayEquals(own[i], sharing[i], "text " + i);
                }
                assertArrayEquals(ownCounts, embedder.tokenCounter().countLines(lines));
            }
            // Closing the model did not close what it was lent.
            assertArrayEquals(ownCounts, shared.countLines(lines));
        }
    }

    @org.junit.jupiter.api.Test
    void aTokenLimitTheModelCannotTakeIsAClearError() {
        IndexerException e = assertThrows(IndexerException.class,
                () -> OnnxEmbedder.open(ModelSpec.MINILM, 1024, 1, TestModels.home()));
        assertTrue(e.getMessage().contains("from 8 to 256"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(ModelSpec.class)
    void twoDocumentCallsAtOnceMakeTheVectorsThatOneAtATimeMakes(ModelSpec spec) throws Exception {
        try (OnnxEmbedder embedder = OnnxEmbedder.open(spec, 256, OnnxEmbedder.Tuning.twoCallers(2), TestModels.home())) {
            assertEquals(2, embedder.documentCalls(), "two cores: two calls of one thread each");
            List<String> first = List.of("int add(int a, int b) { return a + b; }", "def area(r): return 3.14 * r * r",
                    "SELECT name FROM people WHERE age > 30");
            List<String> second = List.of("func (s *Server) Close() error { return s.ln.Close() }",
                    "const total = items.reduce((sum, x) => sum + x.price, 0);");
            float[][] firstAlone = embedder.embedDocuments(first);
            float[][] secondAlone = embedder.embedDocuments(second);
            float[][][] together = new float[2][][];
            Thread other = new Thread(() -> {
                for (int i = 0; i < 20; i++) {
                    together[1] = embedder.embedDocuments(second);
                }
            });
            other.start();
            for (int i = 0; i < 20; i++) {
                together[0] = embedder.embedDocuments(first);
            }
            other.join();
            for (int i = 0; i < first.size(); i++) {
                assertArrayEquals(firstAlone[i], together[0][i], 1e-6f, "text " + i + " of the first call");
            }
            for (int i = 0; i < second.size(); i++) {
                assertArrayEquals(secondAlone[i], together[1][i], 1e-6f, "text " + i + " of the second call");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void modelCallsShareTheCoresAndNeverOutnumberThem() {
        assertCalls(2, 1, 1, 2, "one call on both cores");
        assertCalls(2, 2, 2, 1, "two calls, a core each");
        assertCalls(16, 2, 2, 8, "two calls, half the cores each");
        assertCalls(6, 4, 4, 1, "a core each, at least");
        assertCalls(2, 5, 2, 1, "no more calls than cores");
        assertCalls(1, 2, 1, 1, "one core: one call");
        assertEquals(List.of(2, 1), List.of(OnnxEmbedder.Tuning.of(2).callers(), OnnxEmbedder.Tuning.of(2).threads()),
                "as shipped on two cores: two calls of a core each");
        assertEquals(List.of(2, 8), List.of(OnnxEmbedder.Tuning.of(16).callers(), OnnxEmbedder.Tuning.of(16).threads()));
        assertEquals(List.of(1, 1), List.of(OnnxEmbedder.Tuning.of(1).callers(), OnnxEmbedder.Tuning.of(1).threads()));
        // However many calls at once, the session keeps the runtime's packed weights: without them
        // every call packs each weight matrix again (java/util's wall 0.83-0.97x with them).
        for (int calls = 1; calls <= 2; calls++) {
            assertEquals(null, OnnxEmbedder.Tuning.calls(2, calls).entries().get("session.disable_prepacking"));
        }
    }

    private static void assertCalls(int cores, int asked, int callers, int threads, String why) {
        OnnxEmbedder.Tuning tuning = OnnxEmbedder.Tuning.calls(cores, asked);
        assertEquals(List.of(callers, threads), List.of(tuning.callers(), tuning.threads()), why);
    }

    @org.junit.jupiter.api.Test
    void aFactoryForTwoCallsOpensModelsThatRunTwoAtOnce() {
        try (Embedder two = OnnxEmbedder.factory(TestModels.home(), 2).open(ModelSpec.MINILM, 256, 2);
                Embedder one = OnnxEmbedder.factory(TestModels.home(), 1).open(ModelSpec.MINILM, 256, 2);
                Embedder shipped = OnnxEmbedder.factory(TestModels.home()).open(ModelSpec.MINILM, 256, 2)) {
            assertEquals(2, two.documentCalls());
            assertEquals(1, one.documentCalls());
            assertEquals(2, shipped.documentCalls(), "as shipped on two threads: two calls at once");
            List<String> texts = List.of("int add(int a, int b) { return a + b; }", "def area(r): return 3.14 * r * r");
            float[][] a = two.embedDocuments(texts);
            float[][] b = one.embedDocuments(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertTrue(dot(a[i], b[i]) > 0.999, "text " + i + ": cosine " + dot(a[i], b[i]));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> OnnxEmbedder.factory(TestModels.home(), 0));
    }

    @ParameterizedTest
    @EnumSource(ModelSpec.class)
    void aSearchsChunksAreEmbeddedInTwoHalvesEachVectorInItsPlace(ModelSpec spec) throws InterruptedException {
        OnnxEmbedder embedder = OnnxEmbedder.open(spec, 256, OnnxEmbedder.Tuning.twoCallers(2), TestModels.home());
        try {
            List<String> texts = List.of("int add(int a, int b) { return a + b; }",
                    "def download(url): return requests.get(url, timeout=10).text",
                    "The quarterly report shows revenue growth in the northern region.",
                    "func (s *Server) Close() error { return s.ln.Close() }",
                    "SELECT name FROM people WHERE age > 30");
            float[][] searched = embedder.embedDocumentsForSearch(texts);
            assertEquals(texts.size(), searched.length);
            for (int i = 0; i < texts.size(); i++) {
                float[] alone = embedder.embedDocuments(List.of(texts.get(i)))[0];
                assertTrue(dot(alone, searched[i]) > 0.99, "text " + i + ": cosine " + dot(alone, searched[i]));
            }
            for (int i = 0; i < 3; i++) {
                embedder.embedDocumentsForSearch(texts);
            }
            Thread.sleep(200); // a thread made for one search alone would have ended by now
            assertEquals(1, searchHelpers(), "one helper thread kept for every search, not one each");
        } finally {
            embedder.close();
        }
        for (int i = 0; i < 100 && searchHelpers() > 0; i++) {
            Thread.sleep(20);
        }
        assertEquals(0, searchHelpers(), "closing ends the helper");
    }

    private static long searchHelpers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("embed-search-half")).count();
    }

    @org.junit.jupiter.api.Test
    void closingWaitsForTheCallsInFlightAndALaterCallIsRefused() throws Exception {
        OnnxEmbedder embedder = OnnxEmbedder.open(ModelSpec.MINILM, 256, OnnxEmbedder.Tuning.twoCallers(2),
                TestModels.home());
        List<String> batch = java.util.Collections.nCopies(32, "config.put(key, value);\n".repeat(10));
        List<float[][]> made = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread caller = new Thread(() -> made.add(embedder.embedDocuments(batch)));
            callers.add(caller);
            caller.start();
        }
        Thread.sleep(30);
        embedder.close();
        for (Thread caller : callers) {
            caller.join();
        }
        // A call that began before close ended with its vectors; one that began after is refused.
        for (float[][] vectors : made) {
            assertEquals(32, vectors.length);
        }
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> embedder.embedDocuments(List.of("x")));
        assertEquals("embedder is closed", refused.getMessage());
    }
}
