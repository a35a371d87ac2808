package dev.indexer.store;

import dev.indexer.chunk.Chunk;

/** A chunk with its vector, ready for a store; {@code vector} is null for a chunk stored before it is embedded. */
public record EmbeddedChunk(Chunk chunk, float[] vector) {
    /** An estimate of the memory this holds, for byte-bounded buffers. */
    public long weight() {
        return chunk.weight() + (vector == null ? 0 : 16L + 4L * vector.length);
    }

    public boolean hasVector() {
        return vector != null;
    }
}
