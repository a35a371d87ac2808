package dev.indexer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EmbedBatchesTest {
    @Test
    void everyCallStaysWithinTheTokenBudgetAndEveryChunkIsEmbeddedOnce() {
        Random random = new Random(42);
        int[] tokens = new int[500];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = 3 + random.nextInt(254);
        }
        List<int[]> batches = EmbedBatches.plan(tokens, 4096, 64);
        boolean[] seen = new boolean[tokens.length];
        for (int[] batch : batches) {
            int longest = Arrays.stream(batch).map(i -> tokens[i]).max().orElseThrow();
            assertTrue(batch.length * longest <= 4096, "padded tokens " + batch.length * longest);
            assertTrue(batch.length <= 64);
            for (int index : batch) {
                assertTrue(!seen[index], "index " + index + " twice");
                seen[index] = true;
            }
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
    }

    @Test
    void similarLengthsGoTogetherSoLittleIsPadding() {
        int[] tokens = {250, 10, 240, 12, 11, 245};
        List<int[]> batches = EmbedBatches.plan(tokens, 512, 64);
        assertEquals(List.of("[1, 4, 3]", "[2, 5]", "[0]"), batches.stream().map(Arrays::toString).toList());
    }

    @Test
    void aChunkLargerThanTheBudgetStillGetsItsOwnCall() {
        List<int[]> batches = EmbedBatches.plan(new int[] {600, 5}, 512, 64);
        assertEquals(2, batches.size());
    }

    @Test
    void inputCountIsCappedToo() {
        int[] tokens = new int[10];
        Arrays.fill(tokens, 4);
        assertEquals(4, EmbedBatches.plan(tokens, 100_000, 3).size());
    }
}
