package dev.indexer.store.local;

import dev.indexer.chunk.Chunk;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.IndexerException;
import dev.indexer.chunk.Chunk;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.EmbeddedChunk;
import dev.indexer.store.Nearest;
import dev.indexer.store.StoreContract;
import dev.indexer.store.StoreReader;
import dev.indexer.store.StoreWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneStoreTest extends StoreContract {
    @TempDir
    Path dir;

    @Override
    protected StoreWriter openForWriting(CollectionInfo info) {
        return writer(dir.resolve(info.name()), info);
    }

    @Override
    protected StoreReader openForReading(String name) {
        return reader(dir.resolve(name), name);
    }

    private static LuceneWriter writer(Path dir, CollectionInfo info) {
        return LuceneWriter.open(dir, info, 32, LuceneIndex.Merging.AS_THE_POLICY_SAYS);
    }

    private static LuceneReader reader(Path dir, String name) {
        return LuceneReader.open(dir, name, java.util.Optional.empty());
    }

    /**
     * Per segment of the newest commit: its documents, and how many of them (deleted or not) have a
     * vector; the two are equal or the second is 0 when chunks without vectors and with them are
     * never merged together.
     */
    private List<int[]> segmentKinds(Path index) throws java.io.IOException {
        List<int[]> kinds = new java.util.ArrayList<>();
        try (org.apache.lucene.store.Directory d = org.apache.lucene.store.FSDirectory.open(index);
                org.apache.lucene.index.DirectoryReader reader = org.apache.lucene.index.DirectoryReader.open(d)) {
            for (org.apache.lucene.index.LeafReaderContext leaf : reader.leaves()) {
                int withVectors = 0;
                for (String field : ChunkDocuments.VECTORS) {
                    org.apache.lucene.index.FloatVectorValues vectors = leaf.reader().getFloatVectorValues(field);
                    withVectors += vectors == null ? 0 : vectors.size();
                }
                kinds.add(new int[] {leaf.reader().maxDoc(), withVectors, leaf.reader().numDeletedDocs()});
            }
        }
        return kinds;
    }

    @Test
    void theGraphWarmUpBeforeVectorsLeavesTheCollectionAsItWas() throws java.io.IOException {
        Path index = dir.resolve("warm");
        Path scratch = dir.resolve(GraphWarmup.DIR_NAME);
        try (LuceneWriter store = writer(index, info)) {
            for (int f = 0; f < 30; f++) {
                store.upsert(List.of(new EmbeddedChunk(chunk("src/W" + f + ".java", 0, f).chunk(), null)));
            }
            store.commit();
            List<int[]> before = segmentKinds(index);
            store.beforeVectors(GraphWarmup.MIN_CHUNKS - 1); // a small run: nothing
            assertFalse(java.nio.file.Files.exists(scratch));
            store.beforeVectors(GraphWarmup.MIN_CHUNKS);
            assertFalse(java.nio.file.Files.exists(scratch));
            assertEquals(30, store.count());
            List<int[]> after = segmentKinds(index);
            assertEquals(before.size(), after.size());
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i));
            }
            assertEquals(1, store.chunksWithoutVectors("src/W1.java").size());
        }
    }

    @Test
    void chunksWithoutVectorsAndWithThemAreNeverMergedTogetherSoTheFirstGoWhole() throws java.io.IOException {
        Path index = dir.resolve("phases");
        int files = 400;
        try (LuceneWriter store = writer(index, info)) {
            // Words first: every chunk without its vector, a commit (a segment) every 20 files.
            for (int f = 0; f < files; f++) {
                Chunk chunk = chunk("src/F" + f + ".java", 0, f).chunk();
                store.upsert(List.of(new EmbeddedChunk(chunk, null)));
                if (f % 20 == 19) {
                    store.commit();
                }
            }
            // Then each again with its vector, which deletes the first: the merge policy works meanwhile.
            for (int f = 0; f < files; f++) {
                store.addVectors(List.of(chunk("src/F" + f + ".java", 0, f)));
                if (f % 20 == 19) {
                    store.commit();
                    for (int[] segment : segmentKinds(index)) {
                        assertTrue(segment[1] == 0 || segment[1] == segment[0],
                                "a segment of " + segment[0] + " documents, " + segment[1] + " with vectors");
                    }
                }
            }
            store.commit();
            assertTrue(store.settle(() -> false));
        }
        List<int[]> left = segmentKinds(index);
        assertEquals(files, left.stream().mapToInt(s -> s[0]).sum(), "no deleted chunk is left in any segment");
        assertTrue(left.stream().allMatch(s -> s[1] == s[0] && s[2] == 0));
        try (LuceneReader reader = reader(index, "contract")) {
            assertEquals(files, reader.count());
            assertEquals("src/F7.java", Nearest.to(reader, unit(7), 1).get(0).path());
        }
    }

    /** Documents per vector field in the newest commit, deleted ones left out. */
    private static java.util.Map<String, Integer> vectorsByField(Path index) throws java.io.IOException {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        try (org.apache.lucene.store.Directory d = org.apache.lucene.store.FSDirectory.open(index);
                org.apache.lucene.index.DirectoryReader reader = org.apache.lucene.index.DirectoryReader.open(d)) {
            for (String field : ChunkDocuments.VECTORS) {
                counts.put(field, new org.apache.lucene.search.IndexSearcher(reader)
                        .count(new org.apache.lucene.search.FieldExistsQuery(field)));
            }
        }
        return counts;
    }

    @Test
    void chunksWhoseTextNamesNoFileHaveTheirVectorsInAGraphOfTheirOwnAndCountAsEmbedded() throws Exception {
        Path index = dir.resolve("shared");
        float[] notice = unit(1);
        // The query leans towards the target method: 0.8 of it, 0.6 of the notice.
        float[] target = unit(2);
        float[] query = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            query[i] = 0.8f * target[i] + 0.6f * notice[i];
        }
        float norm = (float) Math.sqrt(org.apache.lucene.util.VectorUtil.dotProduct(query, query));
        for (int i = 0; i < DIM; i++) {
            query[i] /= norm;
        }
        java.util.Map<String, String> hashById = new java.util.HashMap<>();
        try (LuceneWriter store = writer(index, info)) {
            List<EmbeddedChunk> chunks = new java.util.ArrayList<>();
            for (int f = 0; f < 400; f++) {
                // A notice: no header, the same text and vector in every file.
                Chunk text = new Chunk("src/F" + f + ".java", 0, 1, 3, "java", "Copyright 2024 Example Corp.", 6);
                chunks.add(new EmbeddedChunk(text, notice));
                hashById.put(text.id(), text.hash());
                Chunk code = new Chunk("src/F" + f + ".java", 1, 4, 6, "java", "int f" + f + "() { return " + f + "; }",
                        9, new Chunk.Context("src/F" + f + ".java", "f" + f, "method", ""));
                chunks.add(new EmbeddedChunk(code, f == 123 ? target : unit(1000 + f)));
                hashById.put(code.id(), code.hash());
            }
            store.upsert(chunks);
            store.commit();
            assertEquals(java.util.Map.of(ChunkDocuments.SHARED_VECTOR, 400, ChunkDocuments.VECTOR, 400),
                    vectorsByField(index));
            assertEquals(800, store.vectors(hashById).size(), "the vectors of both kinds are read back");
            assertArrayEquals(notice, store.vectors(java.util.Map.of(Chunk.idFor("src/F9.java", 0),
                    hashById.get(Chunk.idFor("src/F9.java", 0)))).get(Chunk.idFor("src/F9.java", 0)), 1e-6f);
            java.util.concurrent.atomic.AtomicInteger embedded = new java.util.concurrent.atomic.AtomicInteger();
            store.scan(chunk -> embedded.addAndGet(chunk.embedded() ? 1 : 0));
            assertEquals(800, embedded.get(), "a chunk with a shared vector is embedded");
            assertEquals(List.of(), store.chunksWithoutVectors("src/F9.java"));
        }
        try (LuceneReader reader = reader(index, "contract")) {
            assertEquals(java.util.Map.of(), reader.withoutVectors(hashById.keySet()));
            List<dev.indexer.store.SearchHit> hits = Nearest.to(reader, query, 3);
            assertEquals(List.of("src/F123.java", "f123"), List.of(hits.get(0).path(), hits.get(0).symbol()), hits.toString());
            assertEquals(org.apache.lucene.util.VectorUtil.dotProduct(query, target), hits.get(0).score(), 0.02f);
            // A search by the notice's own vector finds notices, at their score.
            dev.indexer.store.SearchHit first = Nearest.to(reader, notice, 1).get(0);
            assertEquals("Copyright 2024 Example Corp.", first.text());
            assertEquals(1f, first.score(), 0.02f);
        }
    }

    /** How far int7-quantized scores of unit vectors may be from the true ones, with room. */
    private static final float QUANTIZATION_ERROR = 0.01f;

    @Test
    void aFilterThatLeavesFewerDocumentsThanAskedStillScoresTheFloatVectors() throws Exception {
        // Three Java chunks among Python ones in one segment: the filter leaves fewer than ten, so
        // Lucene runs its own exact search there, which scored the int7 copies.
        Path index = dir.resolve("few");
        try (LuceneWriter store = writer(index, info)) {
            for (int f = 0; f < 40; f++) {
                store.upsert(List.of(new EmbeddedChunk(function("G", f, f % 13 == 0), unit(7000 + f))));
            }
            store.commit();
        }
        try (org.apache.lucene.store.Directory d = org.apache.lucene.store.FSDirectory.open(index);
                org.apache.lucene.index.DirectoryReader reader = org.apache.lucene.index.DirectoryReader.open(d)) {
            org.apache.lucene.search.IndexSearcher searcher = new org.apache.lucene.search.IndexSearcher(reader);
            org.apache.lucene.search.Query javaOnly = javaOnly();
            float[] query = unit(99_000);
            org.apache.lucene.search.ScoreDoc[] hits = searcher.search(
                    LuceneQueries.nearest(query, 10, javaOnly, Integer.MAX_VALUE), 10).scoreDocs;
            assertEquals(4, hits.length); // G0, G13, G26, G39
            for (org.apache.lucene.search.ScoreDoc hit : hits) {
                String path = searcher.storedFields().document(hit.doc).get(dev.indexer.store.EmbeddedChunk.Fields.PATH);
                int f = Integer.parseInt(path.substring(5, path.lastIndexOf('.')));
                float exact = (1 + org.apache.lucene.util.VectorUtil.dotProduct(query, unit(7000 + f))) / 2;
                assertEquals(exact, hit.score, 1e-6f, path + ": scored by its int7 copy, not its vector");
            }
        }
    }

    /** Function number {@code f} of a file {@code src/NAMEf.java} or {@code .py}, as the chunker gives it. */
    private static Chunk function(String name, int f, boolean inJava) {
        String stem = "src/" + name + f;
        String symbol = name.toLowerCase(java.util.Locale.ROOT) + f;
        return new Chunk(stem + (inJava ? ".java" : ".py"), 0, 1, 2, inJava ? "java" : "python", symbol, 3,
                new Chunk.Context(stem, symbol, "function", ""));
    }

    private static org.apache.lucene.search.Query javaOnly() {
        return new org.apache.lucene.search.TermQuery(
                new org.apache.lucene.index.Term(dev.indexer.store.EmbeddedChunk.Fields.LANGUAGE, "java"));
    }

    @Test
    void segmentsReadWholeAnswerExactlyWithDeletionsAndFilters() throws Exception {
        Path index = dir.resolve("exact");
        try (LuceneWriter store = writer(index, info)) {
            for (int f = 0; f < 1200; f++) {
                store.upsert(List.of(new EmbeddedChunk(function("F", f, f % 2 == 0), unit(5000 + f))));
            }
            store.commit();
            for (int f = 0; f < 1200; f += 7) {
                store.deleteFile("src/F" + f + (f % 2 == 0 ? ".java" : ".py"));
            }
            store.commit();
        }
        try (org.apache.lucene.store.Directory d = org.apache.lucene.store.FSDirectory.open(index);
                org.apache.lucene.index.DirectoryReader reader = org.apache.lucene.index.DirectoryReader.open(d)) {
            org.apache.lucene.search.IndexSearcher searcher = new org.apache.lucene.search.IndexSearcher(reader);
            org.apache.lucene.search.Query javaOnly = javaOnly();
            for (int q = 0; q < 20; q++) {
                float[] query = unit(90_000 + q);
                for (org.apache.lucene.search.Query filter : java.util.Arrays.asList(null, javaOnly)) {
                    // Brute force: every live chunk that passes the filter, by its own vector.
                    List<String> exact = new java.util.ArrayList<>();
                    for (int f = 0; f < 1200; f++) {
                        if (f % 7 != 0 && (filter == null || f % 2 == 0)) {
                            exact.add("src/F" + f);
                        }
                    }
                    java.util.Map<String, Float> score = new java.util.HashMap<>();
                    exact.forEach(p -> score.put(p, org.apache.lucene.util.VectorUtil.dotProduct(query,
                            unit(5000 + Integer.parseInt(p.substring(5))))));
                    exact.sort(java.util.Comparator.comparing((String p) -> -score.get(p)));
                    List<String> found = new java.util.ArrayList<>();
                    for (org.apache.lucene.search.ScoreDoc hit : searcher.search(
                            LuceneQueries.nearest(query, 10, filter, Integer.MAX_VALUE), 10).scoreDocs) {
                        String path = searcher.storedFields().document(hit.doc).get(dev.indexer.store.EmbeddedChunk.Fields.PATH);
                        found.add(path.substring(0, path.lastIndexOf('.')));
                    }
                    // The store scores quantized vectors (int7, per segment), so two chunks whose true
                    // scores are within its error may swap places (which segments merged decides);
                    // anything further apart must come out exactly as the brute force ranks it.
                    String name = "query " + q + (filter == null ? "" : ", java only") + ": " + found + " against "
                            + exact.subList(0, 12);
                    float tenth = score.get(exact.get(9));
                    assertEquals(10, new java.util.HashSet<>(found).size(), name);
                    for (String p : found) {
                        assertTrue(score.containsKey(p), name + ": " + p + " is deleted or filtered out");
                        assertTrue(score.get(p) >= tenth - QUANTIZATION_ERROR, name + ": " + p + " is no top-10 hit");
                    }
                    for (String p : exact.subList(0, 10)) {
                        assertTrue(found.contains(p) || score.get(p) <= tenth + QUANTIZATION_ERROR, name + ": " + p + " missing");
                    }
                }
            }
        }
    }

    @Test
    void onlyCommittedWorkSurvivesClose() {
        try (LuceneWriter store = writer(dir, info)) {
            store.upsert(List.of(chunk("kept.java", 0, 1)));
            store.commit();
            store.upsert(List.of(chunk("lost.java", 0, 2)));
        }
        try (LuceneReader reader = reader(dir, "contract")) {
            assertEquals(1, reader.count());
            assertEquals(info, reader.info());
            assertEquals("kept.java", Nearest.to(reader, unit(2), 5).get(0).path());
        }
    }

    @Test
    void anotherModelIsRefusedWithTheRemedyButAMovedTreeIsTakenOver() {
        try (LuceneWriter store = writer(dir, info)) {
            assertTrue(store.previous().isEmpty());
            store.upsert(List.of(chunk("a.java", 0, 1)));
            store.commit();
        }
        IndexerException model = assertThrows(IndexerException.class,
                () -> writer(dir, new CollectionInfo("contract", "minilm", DIM, "/src")));
        assertTrue(model.getMessage().contains("built with model bge-small"), model.getMessage());
        assertTrue(model.getMessage().contains("--model bge-small"), model.getMessage());
        CollectionInfo moved = new CollectionInfo("contract", "bge-small", DIM, "/moved/src");
        try (LuceneWriter store = writer(dir, moved)) {
            assertEquals("/src", store.previous().orElseThrow().root());
            assertEquals(1, store.count());
            store.commit();
        }
        try (LuceneReader reader = reader(dir, "contract")) {
            assertEquals(moved, reader.info());
        }
    }

    @Test
    void searchingAMissingCollectionSaysHowToCreateIt() {
        IndexerException e = assertThrows(IndexerException.class,
                () -> reader(dir.resolve("nope"), "nope"));
        assertTrue(e.getMessage().contains("indexer index PATH --collection nope"), e.getMessage());
        assertFalse(java.nio.file.Files.exists(dir.resolve("nope")), "searching creates nothing");
    }

    @Test
    void settlingMergesTheSegmentsARunLeftAndCommitsThem() throws Exception {
        try (LuceneWriter run = LuceneWriter.open(dir, info, 16, LuceneIndex.Merging.NEVER)) {
            for (int i = 0; i < 30; i++) { // a commit per file, merges rolled back: 30 small segments
                run.upsert(List.of(chunk("f" + i + ".java", 0, i)));
                run.commit();
            }
        }
        try (LuceneWriter store = writer(dir, info)) {
            int before = segments();
            assertEquals(30, before);
            assertFalse(store.settle(() -> true) && segments() < before, "a stop at once leaves them");
            assertTrue(store.settle(() -> false));
            int after = segments();
            assertTrue(after < before / 2, before + " -> " + after);
            assertEquals(30, store.count());
            assertEquals("f7.java", Nearest.to(store.reader(), unit(7), 1).get(0).path(), "the merged graph still finds a vector");
        }
    }

    /** Segments of the newest commit, as a reader that opens the index now sees them. */
    private int segments() throws java.io.IOException {
        try (var reader = org.apache.lucene.index.DirectoryReader.open(
                org.apache.lucene.store.FSDirectory.open(dir))) {
            return reader.leaves().size();
        }
    }

    @Test
    void closeIsIdempotentAndReleasesTheWriter() {
        LuceneWriter store = writer(dir, info);
        store.upsert(List.of(chunk("a.java", 0, 1)));
        store.commit();
        store.upsert(List.of(chunk("b.java", 0, 2)));
        store.close();
        store.close(); // a second close neither throws nor commits what the first dropped
        // Lucene allows one writer per directory: this opens only if close released it.
        try (LuceneWriter again = writer(dir, info)) {
            assertEquals(1, again.count(), "the committed chunk, not the one sent after the commit");
        }
    }
}
