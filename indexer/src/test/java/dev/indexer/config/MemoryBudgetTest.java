package dev.indexer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.IndexerException;
import dev.indexer.config.ModelSpec;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    private static final long MB = 1L << 20;

    /** The heap the wrapper gives a budget. */
    private static long heapOf(long total) {
        return total * MemoryBudget.HEAP_PERCENT / 100;
    }

    @Test
    void aDefaultSizedBudgetGetsFullModelCalls() {
        MemoryBudget plan = MemoryBudget.plan(1024 * MB, 256 * MB, ModelSpec.BGE_SMALL);
        assertEquals(1024, plan.embedBatchTokens());
        assertEquals(8 * MB, plan.queueBytes());
        assertEquals(32, plan.luceneBufferMB());
        // heap in use 48 + 32 + 24 = 104, JVM 64, model 110, activations 34 MB
        assertEquals(312 * MB, plan.estimatedPeak(ModelSpec.BGE_SMALL));
        assertEquals(332 * MB, plan.estimatedPeak(ModelSpec.BGE_SMALL, 2), "a second call at once: 20 MB more");
    }

    @Test
    void a256MegabyteBudgetWorksWithSmallerCallsAndBuffers() {
        MemoryBudget plan = MemoryBudget.plan(256 * MB, heapOf(256 * MB), ModelSpec.BGE_SMALL);
        assertEquals(64 * MB, plan.heap());
        assertEquals(512, plan.embedBatchTokens(), "64 heap + 174 fixed + 17 for 512 tokens = 255 MB");
        assertEquals(4 * MB, plan.queueBytes());
        assertEquals(8, plan.luceneBufferMB());
        assertTrue(plan.estimatedPeak(ModelSpec.BGE_SMALL) <= 256 * MB);
    }

    @Test
    void modelCallsGrowWithTheBudgetUpToTheFastestSize() {
        int previous = 0;
        for (long total = 256; total <= 4096; total += 64) {
            MemoryBudget plan = MemoryBudget.plan(total * MB, heapOf(total * MB), ModelSpec.BGE_SMALL);
            assertTrue(plan.embedBatchTokens() >= previous);
            assertTrue(plan.estimatedPeak(ModelSpec.BGE_SMALL) <= total * MB, "estimate within budget at " + total);
            previous = plan.embedBatchTokens();
        }
        assertEquals(1024, previous);
    }

    @Test
    void tooSmallABudgetIsRefusedWithTheNumbersAndTheRemedy() {
        IndexerException e = assertThrows(IndexerException.class,
                () -> MemoryBudget.plan(64 * MB, heapOf(64 * MB), ModelSpec.BGE_SMALL));
        assertEquals("--max-memory 64.0 MB is too small for model bge-small: the JVM and the model need 174 MB,"
                + " one model call 8.5 MB and the heap 48.0 MB or more; use --max-memory 256 MB or more,"
                + " or --model minilm.", e.getMessage());
        assertTrue(MemoryBudget.minimum(ModelSpec.MINILM) < MemoryBudget.minimum(ModelSpec.BGE_SMALL));
        MemoryBudget.plan(MemoryBudget.minimum(ModelSpec.MINILM), heapOf(MemoryBudget.minimum(ModelSpec.MINILM)),
                ModelSpec.MINILM);
    }

    @Test
    void aSecondModelCallAtOnceIsPaidForFromTheBudget() {
        // 300 MB: heap 75 + JVM and model 174 + 34 for 1,024 tokens = 283 with one call; a second
        // call's 20 MB leaves room for 512 tokens only (75 + 194 + 17 = 286).
        MemoryBudget one = MemoryBudget.plan(300 * MB, heapOf(300 * MB), ModelSpec.BGE_SMALL, 1);
        MemoryBudget two = MemoryBudget.plan(300 * MB, heapOf(300 * MB), ModelSpec.BGE_SMALL, 2);
        assertEquals(1024, one.embedBatchTokens());
        assertEquals(512, two.embedBatchTokens());
        assertTrue(two.estimatedPeak(ModelSpec.BGE_SMALL, 2) <= 300 * MB);
        // Each call gets a full-length input at least: two calls need 512 tokens, not 256.
        assertEquals((double) MemoryBudget.minimum(ModelSpec.BGE_SMALL) + (20.0 + 8.5) * MB * 100 / 75,
                (double) MemoryBudget.minimum(ModelSpec.BGE_SMALL, 2), 2.0);
        IndexerException e = assertThrows(IndexerException.class,
                () -> MemoryBudget.plan(256 * MB, heapOf(256 * MB), ModelSpec.BGE_SMALL, 2));
        assertEquals("--max-memory 256 MB is too small for model bge-small with 2 model calls at once: the JVM and"
                + " the model need 194 MB, 2 model calls of 256 tokens 17.0 MB and the heap 48.0 MB or more; use"
                + " --max-memory 288 MB or more, or --model-calls 1.", e.getMessage());
    }

    @Test
    void aBudgetTooSmallForTheDefaultCallsRunsFewerRatherThanRefusing() {
        java.util.Optional<ByteSize> small = java.util.Optional.of(new ByteSize(256 * MB));
        java.util.Optional<ByteSize> ample = java.util.Optional.of(new ByteSize(300 * MB));
        assertEquals(1, MemoryBudget.defaultCalls(small, ModelSpec.BGE_SMALL, 2));
        assertEquals(2, MemoryBudget.defaultCalls(ample, ModelSpec.BGE_SMALL, 2));
        assertEquals(2, MemoryBudget.defaultCalls(ample, ModelSpec.BGE_SMALL, 16), "two calls, however many cores");
        assertEquals(1, MemoryBudget.defaultCalls(ample, ModelSpec.BGE_SMALL, 1), "one core: one call");
        MemoryBudget.plan(256 * MB, heapOf(256 * MB), ModelSpec.BGE_SMALL, 1);
        // A plan's tokens bound the calls a library caller gets by default.
        assertEquals(1, MemoryBudget.forReading(256 * MB).callsAtMost(2));
        assertEquals(2, MemoryBudget.plan(1024 * MB, 256 * MB, ModelSpec.BGE_SMALL).callsAtMost(2));
        assertEquals(4, MemoryBudget.plan(1024 * MB, 256 * MB, ModelSpec.BGE_SMALL).callsAtMost(8));
    }

    @Test
    void theDefaultBudgetFollowsTheHeap() {
        assertEquals(1024 * MB, MemoryBudget.fromHeap(256 * MB));
    }
}
