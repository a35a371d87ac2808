package dev.indexer.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorCacheTest {
    @TempDir
    Path dir;

    private static float[] vector(int seed) {
        float[] v = new float[384];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(seed * 31 + i);
        }
        return v;
    }

    @Test
    void anEntryServesOnlyItsExactTextAndModel() {
        try (VectorCache cache = VectorCache.open(dir.resolve("v.db"), 1L << 30)) {
            cache.put("bge-small", Map.of("int add(int a, int b) { return a + b; }", vector(1)));
            Map<String, float[]> hit = cache.get("bge-small", List.of("int add(int a, int b) { return a + b; }"));
            assertArrayEquals(vector(1), hit.get("int add(int a, int b) { return a + b; }"), "exactly what was put");
            assertTrue(cache.get("bge-small", List.of("int add(int a, int b) { return a - b; }")).isEmpty(),
                    "another text, however close, is a miss");
            assertTrue(cache.get("bge-small", List.of("int add(int a, int b) { return a + b; } ")).isEmpty());
            assertTrue(cache.get("minilm", List.of("int add(int a, int b) { return a + b; }")).isEmpty(),
                    "another model's vector for the same text is a miss");
        }
        try (VectorCache reopened = VectorCache.open(dir.resolve("v.db"), 1L << 30)) {
            assertEquals(1, reopened.get("bge-small", List.of("int add(int a, int b) { return a + b; }")).size(),
                    "kept on disk");
        }
    }

    @Test
    void pastItsBoundTheLeastRecentlyUsedGoFirst() {
        long entry = 80 + 4 * 384;
        try (VectorCache cache = VectorCache.open(dir.resolve("v.db"), 10 * entry)) {
            for (int i = 0; i < 8; i++) {
                cache.put("m", Map.of("text " + i, vector(i)));
            }
            cache.get("m", List.of("text 0", "text 1")); // used again: now the most recent
            Map<String, float[]> more = new LinkedHashMap<>();
            for (int i = 8; i < 12; i++) {
                more.put("text " + i, vector(i));
            }
            cache.put("m", more);
            assertTrue(cache.bytes() <= 10 * entry, "within its bound: " + cache.bytes());
            assertEquals(2, cache.get("m", List.of("text 0", "text 1")).size(), "recently used ones stay");
            assertEquals(0, cache.get("m", List.of("text 2", "text 3")).size(), "the oldest went");
            assertEquals(4, cache.get("m", List.of("text 8", "text 9", "text 10", "text 11")).size());
        }
    }
}
