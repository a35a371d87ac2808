package dev.indexer.store.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.IndexerException;
import dev.indexer.chunk.Chunk;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.EmbeddedChunk;
import dev.indexer.store.SearchHit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneStoreTest {
    private static final int DIM = 16;

    @TempDir
    Path dir;

    private final CollectionInfo info = new CollectionInfo("test", "bge-small", DIM, "/src");

    private static float[] unit(long seed) {
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

    private static EmbeddedChunk chunk(String path, int ordinal, long seed) {
        return new EmbeddedChunk(
                new Chunk(path, ordinal, ordinal * 10 + 1, ordinal * 10 + 10, "java", path + " #" + ordinal, 5),
                unit(seed));
    }

    @Test
    void upsertIsIdempotentAndSearchFindsTheNearest() {
        try (LuceneStore store = LuceneStore.openForWriting(dir, info)) {
            List<EmbeddedChunk> chunks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                chunks.add(chunk("src/F" + (i % 10) + ".java", i / 10, i));
            }
            store.upsert(chunks);
            store.upsert(chunks.subList(0, 20));
            store.commit();
            assertEquals(50, store.count());
            List<SearchHit> hits = store.search(unit(17), 3);
            assertEquals(3, hits.size());
            SearchHit best = hits.get(0);
            assertEquals("src/F7.java", best.path());
            assertEquals(11, best.startLine());
            assertEquals(20, best.endLine());
            assertEquals("java", best.language());
            assertEquals("src/F7.java #1", best.text());
            assertEquals(1.0, best.score(), 0.02, "an exact match scores a cosine near 1 despite int7 quantization");
            assertTrue(hits.get(1).score() <= best.score());
        }
    }

    @Test
    void deleteFileRemovesAllItsChunks() {
        try (LuceneStore store = LuceneStore.openForWriting(dir, info)) {
            store.upsert(List.of(chunk("a.java", 0, 1), chunk("a.java", 1, 2), chunk("b.java", 0, 3)));
            store.commit();
            store.deleteFile("a.java");
            store.commit();
            assertEquals(1, store.count());
            assertEquals("b.java", store.search(unit(1), 5).get(0).path());
        }
    }

    @Test
    void onlyCommittedWorkSurvivesClose() {
        try (LuceneStore store = LuceneStore.openForWriting(dir, info)) {
            store.upsert(List.of(chunk("kept.java", 0, 1)));
            store.commit();
            store.upsert(List.of(chunk("lost.java", 0, 2)));
        }
        try (LuceneStore reader = LuceneStore.openForReading(dir, "test")) {
            assertEquals(1, reader.count());
            assertEquals(info, reader.info());
            assertEquals("kept.java", reader.search(unit(2), 5).get(0).path());
        }
    }

    @Test
    void anotherModelIsRefusedWithTheRemedyButAMovedTreeIsTakenOver() {
        try (LuceneStore store = LuceneStore.openForWriting(dir, info)) {
            assertTrue(store.previous().isEmpty());
            store.upsert(List.of(chunk("a.java", 0, 1)));
            store.commit();
        }
        IndexerException model = assertThrows(IndexerException.class,
                () -> LuceneStore.openForWriting(dir, new CollectionInfo("test", "minilm", DIM, "/src")));
        assertTrue(model.getMessage().contains("built with model bge-small"), model.getMessage());
        assertTrue(model.getMessage().contains("--model bge-small"), model.getMessage());
        CollectionInfo moved = new CollectionInfo("test", "bge-small", DIM, "/moved/src");
        try (LuceneStore store = LuceneStore.openForWriting(dir, moved)) {
            assertEquals("/src", store.previous().orElseThrow().root());
            assertEquals(1, store.count());
            store.commit();
        }
        try (LuceneStore reader = LuceneStore.openForReading(dir, "test")) {
            assertEquals(moved, reader.info());
        }
    }

    @Test
    void searchingAMissingCollectionSaysHowToCreateIt() {
        IndexerException e = assertThrows(IndexerException.class,
                () -> LuceneStore.openForReading(dir.resolve("nope"), "nope"));
        assertTrue(e.getMessage().contains("indexer index PATH --collection nope"), e.getMessage());
        assertFalse(java.nio.file.Files.exists(dir.resolve("nope")), "searching creates nothing");
    }

    @Test
    void closeIsIdempotent() {
        LuceneStore store = LuceneStore.openForWriting(dir, info);
        store.close();
        store.close();
    }
}
