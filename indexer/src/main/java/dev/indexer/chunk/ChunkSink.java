package dev.indexer.chunk;

/** Takes chunks as they are cut; may block when the next stage is full. */
@FunctionalInterface
public interface ChunkSink {
    void accept(Chunk chunk) throws InterruptedException;
}
