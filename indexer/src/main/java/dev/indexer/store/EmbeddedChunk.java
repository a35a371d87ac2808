package dev.indexer.store;

import dev.indexer.chunk.Chunk;

/** A chunk with its vector, ready for a store. */
public record EmbeddedChunk(Chunk chunk, float[] vector) {
    /** An estimate of the memory this holds, for byte-bounded buffers. */
    public long weight() {
        return chunk.weight() + 16L + 4L * vector.length;
    }
}
