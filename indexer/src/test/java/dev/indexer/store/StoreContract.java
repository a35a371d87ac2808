package dev.indexer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.IndexerException;
import dev.indexer.chunk.Chunk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What every store must do, whatever it is built on: its {@link StoreWriter} and {@link StoreReader},
 * searched through {@link HybridSearch} as the command line and the servers search (the lexical
 * half of a hybrid search on its own thread). A store's test class extends this and says how to
 * open its store; each test starts with an empty collection.
 */
public abstract class StoreContract {
    protected static final int DIM = 16;
    protected final CollectionInfo info = new CollectionInfo("contract", "bge-small", DIM, "/src");

    /** Opens (creating if needed) the collection described by {@code info} for writing. */
    protected abstract StoreWriter openForWriting(CollectionInfo info);

    /** Opens the existing collection for reading. */
    protected abstract StoreReader openForReading(String name);

    private final HybridSearch searching = new HybridSearch(2);

    @org.junit.jupiter.api.AfterEach
    void stopSearching() {
        searching.close();
    }

    /** What the writer committed, searched as users search. */
    private List<SearchHit> search(StoreWriter store, SearchRequest request) {
        return searching.search(store.reader(), request);
    }

    /** The {@code k} nearest chunks, searched as users search. */
    private List<SearchHit> nearest(StoreWriter store, float[] vector, int k) {
        return search(store, SearchRequest.vector(vector, k));
    }

    protected static float[] unit(long seed) {
        Random random = new Random(seed);
        float[] v = new float[DIM];
        double sum = 0;
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
            sum += v[i] * v[i];
        }
        for (int i = 0; i < DIM; i++) {
            v[i] /= (float) Math.sqrt(sum);
        }
        return v;
    }

    protected static EmbeddedChunk chunk(String path, int ordinal, long seed) {
        return new EmbeddedChunk(
                new Chunk(path, ordinal, ordinal * 10 + 1, ordinal * 10 + 10, "java", path + " #" + ordinal, 5),
                unit(seed));
    }

    private static Map<String, String> scan(StoreWriter store) {
        Map<String, String> out = new TreeMap<>();
        store.scan(chunk -> assertEquals(null, out.put(chunk.id(), chunk.path()), "scan visits each chunk once"));
        return out;
    }

    /** What an index home that does not know the collection rebuilds its records from. */
    @Test
    void aScanGivesEveryChunkWithItsOrdinalHashAndWhetherItHasAVector() {
        Chunk waiting = new Chunk("src/Pay.java", 1, 10, 12, "java", "int total() { return 0; }", 9);
        EmbeddedChunk done = chunk("src/Pay.java", 0, 3);
        EmbeddedChunk other = chunk("src/Other.java", 0, 5);
        try (StoreWriter store = openForWriting(info)) {
            store.upsert(List.of(done, new EmbeddedChunk(waiting, null), other));
            store.fileWritten("src/Pay.java", "c0ffee");
            store.commit();
            Map<String, StoredChunk> scanned = new TreeMap<>();
            store.scan(c -> assertEquals(null, scanned.put(c.id(), c), "scan visits each chunk once"));
            assertEquals(Set.of(done.chunk().id(), waiting.id(), other.chunk().id()), scanned.keySet());
            StoredChunk first = scanned.get(done.chunk().id());
            assertEquals(List.of("src/Pay.java", 0, done.chunk().hash(), true),
                    List.of(first.path(), first.ordinal(), first.hash(), first.embedded()));
            StoredChunk second = scanned.get(waiting.id());
            assertEquals(List.of("src/Pay.java", 1, waiting.hash(), false),
                    List.of(second.path(), second.ordinal(), second.hash(), second.embedded()));
            // A store others start from keeps the file's content hash; the embedded one has its manifest.
            assertTrue(Set.of("c0ffee", "").contains(first.fileHash()), first.fileHash());
            assertEquals(first.fileHash(), second.fileHash());
            assertEquals("", scanned.get(other.chunk().id()).fileHash(), "no hash for a file never said written");
        }
    }

    @Test
    void chunksStoredWithoutVectorsAreFoundByWordsAndGetTheirVectorsLater() {
        Chunk waiting = new Chunk("src/Pay.java", 0, 1, 9, "java", "void settleInvoice(long cents) {}", 7,
                new Chunk.Context("src/Pay.java\nclass Pay", "settleInvoice", "method", "Pay"));
        Chunk other = new Chunk("src/Pay.java", 1, 10, 12, "java", "int total() { return 0; }", 9);
        try (StoreWriter store = openForWriting(info)) {
            store.upsert(List.of(new EmbeddedChunk(waiting, null), new EmbeddedChunk(other, unit(3)),
                    chunk("src/Other.java", 0, 5)));
            store.commit();
            assertEquals(3, store.count());
            SearchRequest lexical = new SearchRequest("settle invoice", null, 5, SearchMode.LEXICAL, Optional.empty(),
                    Optional.empty());
            assertEquals(waiting.id(), search(store, lexical).get(0).id(), "searchable by words at once");
            List<SearchHit> nearest = nearest(store, unit(1), 10);
            assertTrue(nearest.stream().noneMatch(h -> h.id().equals(waiting.id())),
                    "a chunk without a vector is no vector hit");
            assertEquals(2, nearest.size());
            SearchRequest hybrid = new SearchRequest("settle invoice", unit(1), 5, SearchMode.HYBRID, Optional.empty(),
                    Optional.empty());
            assertTrue(search(store, hybrid).stream().limit(2).anyMatch(h -> h.id().equals(waiting.id())),
                    "hybrid finds it by its words, without its vector");

            assertEquals(List.of(waiting), store.chunksWithoutVectors("src/Pay.java"),
                    "the waiting chunk comes back whole: text, lines, tokens, context");
            assertEquals(List.of(), store.chunksWithoutVectors("src/Other.java"));
            store.addVectors(List.of(new EmbeddedChunk(waiting, unit(1))));
            store.commit();
            assertEquals(List.of(), store.chunksWithoutVectors("src/Pay.java"));
            assertEquals(3, store.count());
            SearchHit found = nearest(store, unit(1), 1).get(0);
            assertEquals(waiting.id(), found.id());
            assertEquals("settleInvoice", found.symbol());
            assertEquals(waiting.id(), search(store, lexical).get(0).id(), "and still by words");
        }
    }

    @Test
    void upsertIsIdempotentAndSearchFindsTheNearestWithItsPayload() {
        try (StoreWriter store = openForWriting(info)) {
            List<EmbeddedChunk> chunks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                chunks.add(chunk("src/F" + (i % 10) + ".java", i / 10, i));
            }
            store.upsert(chunks);
            store.upsert(chunks.subList(0, 20));
            store.commit();
            assertEquals(50, store.count());
            List<SearchHit> hits = nearest(store, unit(17), 3);
            assertEquals(3, hits.size());
            SearchHit best = hits.get(0);
            assertEquals(new SearchHit(Chunk.idFor("src/F7.java", 1), "src/F7.java", 11, 20, "java", "src/F7.java #1",
                    best.score(), "", "", "", info.name()), best);
            assertEquals(1.0, best.score(), 0.02, "an exact match scores a cosine near 1");
            assertTrue(hits.get(1).score() <= best.score() && hits.get(2).score() <= hits.get(1).score());
        }
    }

    @Test
    void deleteFileRemovesAllItsChunksAndNothingElse() {
        try (StoreWriter store = openForWriting(info)) {
            store.upsert(List.of(chunk("a.java", 0, 1), chunk("a.java", 1, 2), chunk("b.java", 0, 3)));
            store.commit();
            store.deleteFile("a.java");
            store.commit();
            assertEquals(1, store.count());
            assertEquals(Map.of(Chunk.idFor("b.java", 0), "b.java"), scan(store));
            assertEquals("b.java", nearest(store, unit(1), 5).get(0).path());
        }
    }

    @Test
    void aFileReplacedWithinOneCommitKeepsOnlyItsNewChunks() {
        try (StoreWriter store = openForWriting(info)) {
            store.upsert(List.of(chunk("a.java", 0, 1), chunk("a.java", 1, 2), chunk("a.java", 2, 3)));
            store.commit();
            // A changed file: its old chunks go, then its new (fewer) chunks come, before one commit.
            store.deleteFile("a.java");
            store.upsert(List.of(chunk("a.java", 0, 4)));
            // A file that failed after some chunks were sent: they are withdrawn.
            store.upsert(List.of(chunk("c.java", 0, 5), chunk("c.java", 1, 6)));
            store.deleteFile("c.java");
            store.commit();
            assertEquals(Map.of(Chunk.idFor("a.java", 0), "a.java"), scan(store));
            assertEquals(1.0, nearest(store, unit(4), 1).get(0).score(), 0.02, "the new vector is the one stored");
        }
    }

    @Test
    void committedChunksAreSeenByANewReaderWithTheCollectionInfo() {
        try (StoreWriter store = openForWriting(info)) {
            store.upsert(List.of(chunk("kept.java", 0, 1)));
            store.commit();
        }
        try (StoreReader reader = openForReading(info.name())) {
            assertEquals(info, reader.info());
            assertEquals(1, reader.count());
            assertEquals("kept.java", Nearest.to(reader, unit(1), 5).get(0).path());
        }
    }

    @Test
    void storedVectorsComeBackOnlyForTextWithTheExpectedHash() {
        EmbeddedChunk a0 = chunk("a.java", 0, 1);
        EmbeddedChunk a1 = chunk("a.java", 1, 2);
        try (StoreWriter store = openForWriting(info)) {
            store.upsert(List.of(a0, a1));
            store.commit();
        }
        try (StoreWriter store = openForWriting(info)) {
            Map<String, String> wanted = new HashMap<>();
            wanted.put(a0.chunk().id(), a0.chunk().hash());
            wanted.put(a1.chunk().id(), "0000000000000000"); // the text there is no longer this
            wanted.put(Chunk.idFor("missing.java", 0), a0.chunk().hash());
            Map<String, float[]> found = store.vectors(wanted);
            assertEquals(List.of(a0.chunk().id()), List.copyOf(found.keySet()));
            assertArrayEquals(a0.vector(), found.get(a0.chunk().id()), 1e-6f);
            assertTrue(store.vectors(Map.of()).isEmpty());
        }
    }

    @Test
    void manyChunksAllArriveOnce() {
        try (StoreWriter store = openForWriting(info)) {
            List<EmbeddedChunk> chunks = new ArrayList<>();
            for (int i = 0; i < 1500; i++) {
                chunks.add(chunk("dir/file" + (i / 7) + ".py", i % 7, 1000 + i));
                if (chunks.size() == 256) {
                    store.upsert(chunks);
                    chunks.clear();
                }
            }
            store.upsert(chunks);
            store.commit();
            assertEquals(1500, store.count());
            Map<String, String> all = scan(store);
            assertEquals(1500, all.size());
            assertEquals("dir/file3.py", all.get(Chunk.idFor("dir/file3.py", 6)));
        }
    }

    private static EmbeddedChunk code(String path, String language, String symbol, String text, long seed) {
        return new EmbeddedChunk(new Chunk(path, 0, 1, text.split("\n").length, language, text, 40,
                new Chunk.Context(path, symbol, "method", "")), unit(seed));
    }

    @Test
    void aHybridSearchEmbedsTheLexicalCandidatesThatHaveNoVectorYetAndRanksThemByMeaning() {
        // Three chunks match the words; two have no vector yet. The query's vector is unit(7):
        // the waiting chunk whose text the stand-in model maps to unit(7) must lead the answer.
        Chunk near = new Chunk("src/Ledger.java", 0, 1, 3, "java", "void settleLedger() { ledger.close(); }", 8,
                new Chunk.Context("src/Ledger.java\nclass Ledger", "settleLedger", "method", "Ledger"));
        Chunk far = new Chunk("src/Audit.java", 0, 1, 3, "java", "void settleAudit() { audit.flush(); }", 8);
        EmbeddedChunk embedded = code("src/Pay.java", "java", "settlePayment", "void settlePayment() {}", 11);
        Map<String, float[]> model = Map.of(near.embedParts().get(0), unit(7), near.embedParts().get(1), unit(9),
                far.embedText(), unit(8));
        List<List<String>> calls = new ArrayList<>();
        Map<String, float[]> kept = new HashMap<>();
        QueryTimeVectors late = new QueryTimeVectors(16, Duration.ofSeconds(5), texts -> {
            calls.add(texts);
            return texts.stream().map(model::get).toArray(float[][]::new);
        }, kept::putAll);
        try (StoreWriter store = openForWriting(info)) {
            store.upsert(List.of(new EmbeddedChunk(near, null), new EmbeddedChunk(far, null), embedded));
            store.commit();
            StoreReader reader = store.reader();
            assertEquals(Set.of(near, far), Set.copyOf(reader.withoutVectors(List.of(near.id(), far.id(),
                    embedded.chunk().id(), Chunk.idFor("src/Gone.java", 0))).values()),
                    "of the ids asked for, the chunks without vectors, whole (header included)");
            assertEquals(java.util.Map.of(), reader.withoutVectors(List.of(embedded.chunk().id())));

            SearchRequest hybrid = new SearchRequest("settle", unit(7), 3, SearchMode.HYBRID, Optional.empty(),
                    Optional.empty());
            HybridSearch.Answer answer = searching.search(reader, hybrid, Optional.of(late));
            assertEquals(near.id(), answer.hits().get(0).id(), "ranked first by its meaning: " + answer.hits());
            assertEquals(2, answer.embeddedNow());
            assertEquals(Set.of(near.id(), far.id()), answer.hitsEmbeddedNow());
            Set<String> inputs = Set.of("src/Ledger.java\n" + near.text(), "class Ledger", far.text());
            assertEquals(inputs, Set.copyOf(calls.get(0)), "the model reads what indexing would embed");
            assertEquals(inputs, kept.keySet(), "the vectors made are kept");

            HybridSearch.Answer without = searching.search(reader, hybrid, Optional.empty());
            assertEquals(0, without.embeddedNow());
            assertEquals(answer.hits().size(), without.hits().size());

            QueryTimeVectors one = new QueryTimeVectors(1, Duration.ofSeconds(5),
                    texts -> texts.stream().map(model::get).toArray(float[][]::new), made -> {});
            assertEquals(1, searching.search(reader, hybrid, Optional.of(one)).embeddedNow(), "bounded in chunks");

            store.addVectors(List.of(new EmbeddedChunk(near, unit(7)), new EmbeddedChunk(far, unit(8))));
            store.commit();
            calls.clear();
            assertEquals(0, searching.search(store.reader(), hybrid, Optional.of(late)).embeddedNow());
            assertEquals(List.of(), calls, "nothing is embedded once every candidate has its vector");
        }
    }

    @Test
    void storedVectorsAreReadBackByHitIdAndPutBackWhatAVectorSearchMissed() {
        EmbeddedChunk ledger = code("src/Ledger.java", "java", "settleLedger", "void settleLedger() { ledger.close(); }", 7);
        EmbeddedChunk audit = code("src/Audit.java", "java", "settleAudit", "void settleAudit() { audit.flush(); }", 8);
        EmbeddedChunk pay = code("src/Pay.java", "java", "settlePayment", "void settlePayment() {}", 9);
        Chunk waiting = new Chunk("src/Wait.java", 0, 1, 1, "java", "void settleLater() {}", 5);
        try (StoreWriter store = openForWriting(info)) {
            store.upsert(List.of(ledger, audit, pay, new EmbeddedChunk(waiting, null)));
            store.commit();
            StoreReader reader = store.reader();
            Map<String, String> ids = new HashMap<>(); // path -> hit id, as searches give them out
            for (SearchHit hit : reader.searchOne(new SearchRequest("settle", null, 10, SearchMode.LEXICAL,
                    Optional.empty(), Optional.empty()))) {
                ids.put(hit.path(), hit.id());
            }
            assertEquals(4, ids.size(), ids.toString());
            Map<String, float[]> stored = reader.vectorsOf(List.of(ids.get("src/Ledger.java"),
                    ids.get("src/Pay.java"), ids.get("src/Wait.java"), "no-such-id"));
            assertEquals(Set.of(ids.get("src/Ledger.java"), ids.get("src/Pay.java")), stored.keySet(),
                    "chunks without a vector and unknown ids are left out");
            assertArrayEquals(unit(7), stored.get(ids.get("src/Ledger.java")), 1e-6f);
            assertArrayEquals(unit(9), stored.get(ids.get("src/Pay.java")), 1e-6f);
            assertEquals(Map.of(), reader.vectorsOf(List.of()));

            // A vector list of two that missed the nearest chunk (Ledger, the query's own vector):
            // the lexical candidates put it back at its score, first, and the list keeps its length.
            float[] query = unit(7);
            List<SearchHit> lexical = reader.searchOne(new SearchRequest("settle", null, 10, SearchMode.LEXICAL,
                    Optional.empty(), Optional.empty()));
            List<SearchHit> missed = lexical.stream().filter(h -> !h.path().equals("src/Ledger.java"))
                    .filter(h -> !h.path().equals("src/Wait.java")).map(h -> h.withScore(
                            dot(query, unit(h.path().equals("src/Audit.java") ? 8 : 9)))).sorted(
                            java.util.Comparator.comparingDouble(SearchHit::score).reversed()).toList();
            List<SearchHit> recovered = GraphMisses.recover(reader, query, missed, lexical, 2);
            assertEquals(2, recovered.size(), recovered.toString());
            assertEquals("src/Ledger.java", recovered.get(0).path());
            assertEquals(1f, recovered.get(0).score(), 1e-3f);
            assertEquals(missed.get(0).path(), recovered.get(1).path(), "the weaker of the two listed is cut");
            // Whatever the lists, the answer is the exact top two of the chunks either list holds:
            // a candidate weaker than every listed hit stays out, as an exact search leaves it out.
            Map<String, Float> exact = Map.of("src/Ledger.java", 1f, "src/Audit.java", dot(query, unit(8)),
                    "src/Pay.java", dot(query, unit(9)));
            List<String> exactTwo = exact.entrySet().stream()
                    .sorted(Map.Entry.<String, Float>comparingByValue().reversed()).limit(2).map(Map.Entry::getKey)
                    .toList();
            for (List<String> listed : List.of(List.of("src/Ledger.java", "src/Pay.java"),
                    List.of("src/Audit.java", "src/Pay.java"), List.of("src/Pay.java"))) {
                List<SearchHit> vector = lexical.stream().filter(h -> listed.contains(h.path()))
                        .map(h -> h.withScore(exact.get(h.path())))
                        .sorted(java.util.Comparator.comparingDouble(SearchHit::score).reversed()).toList();
                assertEquals(exactTwo, GraphMisses.recover(reader, query, vector, lexical, 2).stream()
                        .map(SearchHit::path).toList(), "listed " + listed);
            }
        }
    }

    private static float dot(float[] a, float[] b) {
        return org.apache.lucene.util.VectorUtil.dotProduct(a, b);
    }

    /** Four chunks: a vector query near the first, words only the second has. */
    private void writeCodeChunks(StoreWriter store) {
        store.upsert(List.of(
                code("src/net/Client.java", "java", "connect", "void connect() { socket.open(timeout); }", 1),
                code("src/net/Parser.java", "java", "parseHttpResponse",
                        "Response parseHttpResponse(byte[] raw) { return Response.of(raw); }", 2),
                code("scripts/fetch.py", "python", "fetch_url", "def fetch_url(url):\n    return urlopen(url).read()", 3),
                code("src/util/Strings.java", "java", "reverse", "String reverse(String s) { return s; }", 4)));
        store.commit();
    }

    private static List<String> paths(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::path).toList();
    }

    @Test
    void lexicalSearchFindsIdentifiersByTheirParts() {
        try (StoreWriter store = openForWriting(info)) {
            writeCodeChunks(store);
            for (String query : List.of("parseHttpResponse", "parse http response", "http_response parsing")) {
                List<SearchHit> hits = search(store, new SearchRequest(query, null, 2, SearchMode.LEXICAL,
                        Optional.empty(), Optional.empty()));
                assertEquals("src/net/Parser.java", hits.get(0).path(), query + ": " + paths(hits));
                assertEquals("parseHttpResponse", hits.get(0).symbol());
            }
            assertEquals(List.of("scripts/fetch.py"), paths(search(store, new SearchRequest("fetch URL", null, 5,
                    SearchMode.LEXICAL, Optional.empty(), Optional.empty()))), "only chunks with a query word match");
            assertTrue(search(store, new SearchRequest("the of and", null, 5, SearchMode.LEXICAL, Optional.empty(),
                    Optional.empty())).isEmpty(), "stop words alone match nothing");
        }
    }

    @Test
    void hybridSearchKeepsTheBestOfBothLists() {
        try (StoreWriter store = openForWriting(info)) {
            writeCodeChunks(store);
            // The vector points at Client.java; the words at Parser.java: both lead the fused list.
            List<SearchHit> hybrid = search(store, new SearchRequest("parseHttpResponse", unit(1), 2, SearchMode.HYBRID,
                    Optional.empty(), Optional.empty()));
            assertEquals(Set.of("src/net/Client.java", "src/net/Parser.java"), Set.copyOf(paths(hybrid)));
            assertEquals("src/net/Client.java", search(store, new SearchRequest("parseHttpResponse", unit(1), 1,
                    SearchMode.VECTOR, Optional.empty(), Optional.empty())).get(0).path());
        }
    }

    @Test
    void languageAndPathFiltersApplyInEveryMode() {
        try (StoreWriter store = openForWriting(info)) {
            writeCodeChunks(store);
            for (SearchMode mode : SearchMode.values()) {
                List<SearchHit> python = search(store, new SearchRequest("fetch parse reverse connect", unit(2), 10, mode,
                        Optional.of("python"), Optional.empty()));
                assertEquals(List.of("scripts/fetch.py"), paths(python), mode.id());
                List<SearchHit> net = search(store, new SearchRequest("fetch parse reverse connect", unit(4), 10, mode,
                        Optional.empty(), Optional.of(PathGlob.of("src/net/**"))));
                assertEquals(Set.of("src/net/Client.java", "src/net/Parser.java"), Set.copyOf(paths(net)), mode.id());
                List<SearchHit> javaFiles = search(store, new SearchRequest("fetch parse reverse connect", unit(3), 10,
                        mode, Optional.empty(), Optional.of(PathGlob.of("*.java"))));
                assertEquals(3, javaFiles.size(), mode.id() + ": " + paths(javaFiles));
            }
        }
    }

    @Test
    void aCollectionOfAnotherDimensionIsRefusedAndKeepsItsChunks() {
        try (StoreWriter store = openForWriting(info)) {
            store.upsert(List.of(chunk("a.java", 0, 1)));
            store.commit();
        }
        CollectionInfo bigger = new CollectionInfo(info.name(), "bge-small", DIM * 2, "/src");
        IndexerException e = assertThrows(IndexerException.class, () -> openForWriting(bigger).close());
        assertTrue(e.getMessage().contains(Integer.toString(DIM)) && e.getMessage().contains("--reindex"), e.getMessage());
        try (StoreReader reader = openForReading(info.name())) {
            assertEquals(1, reader.count());
        }
    }
}
