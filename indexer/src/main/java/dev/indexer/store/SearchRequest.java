package dev.indexer.store;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * One query to a store.
 *
 * @param text the query as typed, for lexical search
 * @param embedding makes the query's unit-length embedding, for vector search; called only by the
 *     search that needs it, so that a hybrid search embeds the query while its lexical half runs
 * @param language only chunks of this language ({@code java}, {@code python}...)
 * @param path only chunks of files whose path matches this glob
 * @param vectorWeight in hybrid mode, the weight of the vector list's scores against the lexical
 *     list's (which get {@code 1 - vectorWeight}); the model's, see {@code ModelSpec.hybridVectorWeight}
 */
public record SearchRequest(String text, Supplier<float[]> embedding, int k, SearchMode mode,
        Optional<String> language, Optional<PathGlob> path, double vectorWeight) {

    public SearchRequest {
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive, was " + k);
        }
        if (!(vectorWeight >= 0 && vectorWeight <= 1)) {
            throw new IllegalArgumentException("the vector weight must be within 0..1, was " + vectorWeight);
        }
    }

    /** A query whose vector is known already (null in lexical mode), with the default model's hybrid weight. */
    public SearchRequest(String text, float[] vector, int k, SearchMode mode, Optional<String> language,
            Optional<PathGlob> path) {
        this(text, known(mode, vector), k, mode, language, path, Fusion.VECTOR_WEIGHT);
    }

    /** Nearest vectors only, no filters. */
    public static SearchRequest vector(float[] vector, int k) {
        return new SearchRequest("", vector, k, SearchMode.VECTOR, Optional.empty(), Optional.empty());
    }

    /**
     * The query's embedding, made now: a search asks for it once.
     *
     * @throws IllegalStateException for a lexical request, which has none
     */
    public float[] vector() {
        return embedding.get();
    }

    /** The same query in another mode, for another number of hits; the embedding is shared. */
    public SearchRequest as(SearchMode other, int hits) {
        return new SearchRequest(text, embedding, hits, other, language, path, vectorWeight);
    }

    private static Supplier<float[]> known(SearchMode mode, float[] vector) {
        if (vector == null && mode != SearchMode.LEXICAL) {
            throw new IllegalArgumentException(mode.id() + " search needs the query's vector");
        }
        return vector != null ? () -> vector : () -> {
            throw new IllegalStateException("a lexical request has no query vector");
        };
    }
}
