package dev.indexer.store;

import dev.indexer.chunk.Chunk;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Searches a collection as of the last commit a reader has seen: cheap to open, safe to use from
 * many threads at once, and as many as wanted per process. Each search sees the newest commit.
 * Implementations throw {@link dev.indexer.IndexerException} for problems the user must act on.
 */
public interface StoreReader extends AutoCloseable {
    /** The collection's settings, as recorded when it was created. */
    CollectionInfo info();

    /** Chunks in the collection as of the newest commit. */
    long count();

    /**
     * Answers a vector or a lexical request with at most {@code request.k()} hits, best first
     * (hybrid requests are split and fused by {@link HybridSearch}, the same way for every store).
     */
    List<SearchHit> searchOne(SearchRequest request);

    /**
     * Of the chunks with these ids (as {@link SearchHit#id()} gives them), those that have no
     * vector yet (the lexical phase stores chunks before the model has seen them), with the header
     * and text the model embeds, by id.
     */
    Map<String, Chunk> withoutVectors(Collection<String> ids);

    /**
     * The stored vectors of the chunks with these ids (as {@link SearchHit#id()} gives them), by
     * id; chunks without one, and ids the store does not hold, are left out. A hybrid search
     * scores with them the lexical candidates that the vector half missed ({@link GraphMisses}).
     */
    Map<String, float[]> vectorsOf(Collection<String> ids);

    /** The most distinct words a lexical query is searched by; the rarest are kept when a query has more. */
    default int maxQueryTerms() {
        return Integer.MAX_VALUE;
    }

    /** What the store itself reports about the collection, for {@code status}; empty if nothing beyond counts. */
    default Map<String, Object> describe() {
        return Map.of();
    }

    /** Releases what the reader holds; safe to call twice. */
    @Override
    void close();
}
