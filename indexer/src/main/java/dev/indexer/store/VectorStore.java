package dev.indexer.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

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

    /**
     * Adds or replaces chunks, by id. A chunk may come without its vector (the lexical phase): it is
     * searchable by words at once, and by meaning once {@link #addVectors} has given it one.
     */
    void upsert(List<EmbeddedChunk> chunks);

    /**
     * Gives stored chunks their vectors. Each chunk must be as {@link #chunksWithoutVectors} gave it
     * back: its text is what the store holds.
     */
    void addVectors(List<EmbeddedChunk> chunks);

    /** The committed chunks of a file that have no vector yet, rebuilt from what the store keeps. */
    List<dev.indexer.chunk.Chunk> chunksWithoutVectors(String path);

    /** Makes everything written so far durable. */
    void commit();

    /**
     * Tidies the store while nothing else writes: the merges its policy wants, committed, so that
     * searches visit fewer segments. Gives up, keeping what is done, as soon as {@code stop} says
     * so. Returns whether the store was left settled. Stores that merge on their own (Qdrant's
     * optimizer) have nothing to do.
     */
    default boolean settle(java.util.function.BooleanSupplier stop) {
        return true;
    }

    /** The chunks that best answer a query, best first, at most {@code request.k()} of them. */
    default List<SearchHit> search(SearchRequest request) {
        return HybridSearch.run(this::searchOne, request);
    }

    /**
     * Answers a vector or a lexical request (hybrid requests are split and fused by
     * {@link HybridSearch}, the same way for every store).
     */
    List<SearchHit> searchOne(SearchRequest request);

    /** The {@code k} chunks nearest to a unit-length query vector, best first. */
    default List<SearchHit> search(float[] query, int k) {
        return search(SearchRequest.vector(query, k));
    }

    /**
     * The stored vectors of chunks, by id, for re-use: a chunk whose text is unchanged keeps its
     * vector. {@code hashById} maps each id to the {@link dev.indexer.chunk.Chunk#hash() hash} its
     * text must still have; ids not found, or whose stored text has another hash (a run that stopped
     * between the store and the manifest), are left out, so a vector never lands on the wrong text.
     */
    Map<String, float[]> vectors(Map<String, String> hashById);

    /** Calls {@code visitor} with the id and file path of every committed chunk (for checks). */
    void scan(BiConsumer<String, String> visitor);

    /**
     * The collection as it was before this store opened it for writing; empty if opening created it
     * (then any record of earlier runs describes chunks this store does not have).
     */
    default Optional<CollectionInfo> previous() {
        return Optional.of(info());
    }

    /** What the store itself reports about the collection, for {@code status}; empty if nothing beyond counts. */
    default Map<String, Object> describe() {
        return Map.of();
    }

    /** The most distinct words a lexical query is searched by; the rarest are kept when a query has more. */
    default int maxQueryTerms() {
        return Integer.MAX_VALUE;
    }

    /** Where the store keeps its files on this machine, for disk-space checks; empty for a server. */
    default Optional<Path> localDirectory() {
        return Optional.empty();
    }

    /** Chunks in the collection as of the last commit. */
    long count();

    /** Releases resources without committing; safe to call twice. */
    @Override
    void close();
}
