package dev.indexer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShardTest {
    @Test
    void everyPathFallsInExactlyOnePartOfN() {
        for (int n : List.of(1, 2, 3, 4, 8, 100)) {
            int[] counts = new int[n];
            for (int f = 0; f < 20_000; f++) {
                String path = "src/module" + (f % 37) + "/File" + f + ".java";
                int holders = 0;
                for (int i = 0; i < n; i++) {
                    if (new Shard(i, n).holds(path)) {
                        holders++;
                        counts[i]++;
                    }
                }
                assertEquals(1, holders, path + " in " + n + " parts");
            }
            for (int i = 0; i < n; i++) {
                // 20,000 / n each, give or take a few standard deviations of a fair split.
                double expected = 20_000.0 / n;
                assertTrue(Math.abs(counts[i] - expected) < 5 * Math.sqrt(expected) + 1,
                        "part " + i + " of " + n + ": " + counts[i]);
            }
        }
    }

    /** A store selects a part by a range of slots: the same files as {@link Shard#holds}. */
    @Test
    void aPartIsARangeOfSlotsWithNoGapsOrOverlaps() {
        for (int n : List.of(1, 2, 3, 7, 8, 4096)) {
            long expectedFirst = 0;
            for (int i = 0; i < n; i++) {
                Shard part = new Shard(i, n);
                assertEquals(expectedFirst, part.firstSlot(), i + "/" + n);
                expectedFirst = part.endSlot();
            }
            assertEquals(1L << 32, expectedFirst, "the last part ends at 2^32 for " + n);
        }
        for (int f = 0; f < 5_000; f++) {
            String path = "dir" + (f % 13) + "/file" + f + ".go";
            long slot = Shard.slot(path);
            for (int n : List.of(3, 8)) {
                for (int i = 0; i < n; i++) {
                    Shard part = new Shard(i, n);
                    assertEquals(part.holds(path), slot >= part.firstSlot() && slot < part.endSlot(), path + " " + part);
                }
            }
        }
    }

    /** Workers on other machines and versions must agree: the function is fixed, so these are too. */
    @Test
    void thePartOfAPathIsFixed() {
        assertEquals(List.of(PINNED), List.of(Shard.partOf("src/main/java/Main.java", 4),
                Shard.partOf("README.md", 4), Shard.partOf("a/b/c.py", 1000)));
        assertTrue(Shard.ALL.holds("anything"));
        assertTrue(Shard.ALL.isAll());
        assertFalse(new Shard(0, 2).isAll());
    }

    private static final Integer[] PINNED = {0, 2, 387};

    @Test
    void onlyIOverNWithIBelowNIsAccepted() {
        assertEquals(new Shard(3, 4), Shard.parse("3/4"));
        assertEquals(new Shard(0, 1), Shard.parse(" 0 / 1 "));
        assertEquals("2/8", Shard.parse("2/8").toString());
        for (String bad : List.of("3/2", "2/2", "0/0", "a/b", "-1/2", "1", "", "1/2/3", "0/5000", "99999999999/2")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shard.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--shard must be I/N"), e.getMessage());
        }
    }
}
