package dev.indexer.store;

import java.util.Optional;

/**
 * One query.
 *
 * @param text the query as typed, for lexical search
 * @param vector the query's unit-length embedding, for vector search; null in lexical mode
 * @param k how many hits
 * @param mode how to search
 * @param language only chunks of this language ({@code java}, {@code python}...)
 * @param path only chunks of files whose path matches this glob
 * @param vectorWeight in hybrid mode, the weight of the vector list's scores against the lexical
 *     list's (which get {@code 1 - vectorWeight}); the model's, see {@code ModelSpec.hybridVectorWeight}
 */
public record SearchRequest(String text, float[] vector, int k, SearchMode mode, Optional<String> language,
        Optional<PathGlob> path, double vectorWeight) {

    public SearchRequest {
        if (mode != SearchMode.LEXICAL && vector == null) {
            throw new IllegalArgumentException(mode.id() + " search needs the query's vector");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive, was " + k);
        }
        if (!(vectorWeight >= 0 && vectorWeight <= 1)) {
            throw new IllegalArgumentException("the vector weight must be within 0..1, was " + vectorWeight);
        }
    }

    /** A query with the default model's weight for hybrid fusion. */
    public SearchRequest(String text, float[] vector, int k, SearchMode mode, Optional<String> language,
            Optional<PathGlob> path) {
        this(text, vector, k, mode, language, path, Fusion.VECTOR_WEIGHT);
    }

    /** Nearest vectors only, no filters. */
    public static SearchRequest vector(float[] vector, int k) {
        return new SearchRequest("", vector, k, SearchMode.VECTOR, Optional.empty(), Optional.empty());
    }

    /** The same query in another mode, for another number of hits. */
    public SearchRequest as(SearchMode other, int hits) {
        return new SearchRequest(text, vector, hits, other, language, path, vectorWeight);
    }

}
