package dev.indexer.config;

import dev.indexer.IndexerException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The check before any work: does the memory budget fit this JVM, this machine and the model?
 * A run that cannot fit should say so in one sentence now, not die an hour from now.
 */
public final class MemoryPreflight {
    private MemoryPreflight() {}

    /**
     * The budget for {@code --max-memory} (empty: derived from the heap limit) and this JVM and machine.
     *
     * @throws IndexerException if it cannot run {@code model}, or the machine does not have it, with the numbers
     */
    public static MemoryBudget plan(Optional<ByteSize> maxMemory, ModelSpec model) {
        return plan(maxMemory, model, Runtime.getRuntime().maxMemory(), MachineMemory.available());
    }

    static MemoryBudget plan(Optional<ByteSize> maxMemory, ModelSpec model, long heap, OptionalLong available) {
        if (maxMemory.isEmpty()) {
            return MemoryBudget.plan(MemoryBudget.fromHeap(heap), heap, model);
        }
        long total = maxMemory.get().bytes();
        if (available.isPresent() && total > available.getAsLong()) {
            throw new IndexerException("--max-memory " + ByteSize.format(total) + " is more than the "
                    + ByteSize.format(available.getAsLong()) + " this machine has available now; use a smaller"
                    + " --max-memory or free some memory.");
        }
        if (total < MemoryBudget.minimum(model)) {
            throw MemoryBudget.tooSmall(total, model);
        }
        if (heap >= total) {
            throw new IndexerException("The JVM's heap limit (" + ByteSize.format(heap) + ") alone exceeds --max-memory "
                    + ByteSize.format(total) + "; run through scripts/indexer, which sizes the heap from"
                    + " --max-memory, or give java a smaller -Xmx.");
        }
        return MemoryBudget.plan(total, heap, model);
    }
}
