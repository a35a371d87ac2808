package dev.indexer.store;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * One query to a store.
 *
 * @param text the query as typed, for lexical search
 * @param embedding makes the query's unit-length embedding, for vector search; called at most once,
 *     and only by a search that needs it, so that a hybrid search can embed the query while its
 *     lexical half runs
 * @param k how many hits
 * @param mode how to search
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
        embedding = once(embedding);
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
     * The query's embedding, made now if it was not yet.
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
        return () -> {
            if (vector == null) {
                throw new IllegalStateException("a lexical request has no query vector");
            }
            return vector;
        };
    }

    /** {@code make}, called at most once whatever threads ask. */
    private static Supplier<float[]> once(Supplier<float[]> make) {
        if (make instanceof Once) {
            return make;
        }
        return new Once(make);
    }

    private static final class Once implements Supplier<float[]> {
        private final Supplier<float[]> make;
        private float[] made;

        Once(Supplier<float[]> make) {
            this.make = make;
        }

        @Override
        public synchronized float[] get() {
            if (made == null) {
                made = make.get();
            }
            return made;
        }
    }
}
