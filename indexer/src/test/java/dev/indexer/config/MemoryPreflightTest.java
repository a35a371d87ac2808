package dev.indexer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.IndexerException;
import dev.indexer.config.ByteSize;
import dev.indexer.config.ModelSpec;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MemoryPreflightTest {
    private static final long MB = 1L << 20;

    @Test
    void moreThanTheMachineHasIsRefused() {
        IndexerException e = assertThrows(IndexerException.class, () -> MemoryBudget.forRun(
                Optional.of(ByteSize.parse("30g")), ModelSpec.BGE_SMALL, 1024 * MB, OptionalLong.of(20L << 30)));
        assertEquals("--max-memory 30.0 GB is more than the 20.0 GB this machine has available now; use a smaller"
                + " --max-memory or free some memory.", e.getMessage());
    }

    @Test
    void aHeapBiggerThanTheBudgetMeansTheWrapperWasBypassed() {
        IndexerException e = assertThrows(IndexerException.class, () -> MemoryBudget.forRun(
                Optional.of(ByteSize.parse("512m")), ModelSpec.BGE_SMALL, 6L << 30, OptionalLong.empty()));
        assertTrue(e.getMessage().contains("run through scripts/indexer"), e.getMessage());
    }

    @Test
    void withoutAnOptionTheBudgetIsFourTimesTheHeap() {
        assertEquals(1024 * MB, MemoryBudget.forRun(Optional.empty(), ModelSpec.BGE_SMALL, 256 * MB,
                OptionalLong.of(1 << 20)).total(), "and the machine is not asked");
    }
}
