package dev.indexer.store;

import java.util.List;

/**
 * Where chunks and their vectors live. Writes are idempotent (a chunk's id decides its place), and
 * nothing written is durable, or visible to a new reader, until {@link #commit()} returns.
 * Implementations throw {@link dev.indexer.IndexerException} for problems that stop a run.
 */
public interface VectorStore extends AutoCloseable {
    /** The collection's settings, as recorded when it was created. */
    CollectionInfo info();

    /** Removes every chunk of a file, before its new chunks are added or because it is gone. */
    void deleteFile(String path);

    /** Adds or replaces chunks, by id. */
    void upsert(List<EmbeddedChunk> chunks);

    /** Makes everything written so far durable. */
    void commit();

    /** The {@code k} chunks nearest to a unit-length query vector, best first. */
    List<SearchHit> search(float[] query, int k);

    /** Chunks in the collection as of the last commit. */
    long count();

    /** Releases resources without committing; safe to call twice. */
    @Override
    void close();
}
