package dev.indexer.store;

/**
 * One search result.
 *
 * @param path file path below the collection's root
 * @param startLine first line of the chunk, 1-based
 * @param endLine last line of the chunk
 * @param score vector mode: cosine similarity (-1 to 1); lexical: BM25; hybrid: fused reciprocal rank
 * @param symbol the function or type the chunk holds or is part of; empty if none
 * @param kind what {@code symbol} is ({@code method}, {@code class}...); empty if none
 * @param container the type around {@code symbol}; empty if none
 * @param repo the repository the chunk is from, within its collection
 */
public record SearchHit(String id, String path, int startLine, int endLine, String language, String text, float score,
        String symbol, String kind, String container, String repo) {

    public SearchHit withScore(float value) {
        return new SearchHit(id, path, startLine, endLine, language, text, value, symbol, kind, container, repo);
    }

    /** This hit as a chunk of {@code name}: stores that keep one repository to an index say so here. */
    public SearchHit inRepo(String name) {
        return new SearchHit(id, path, startLine, endLine, language, text, score, symbol, kind, container, name);
    }
}
