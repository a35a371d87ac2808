package dev.indexer.store;

import dev.indexer.lexical.CodeAnalyzer;
import java.util.List;
import java.util.function.Function;

/**
 * Hybrid search, the same over every store: a vector search and a lexical search, each for
 * {@link #candidates} hits, fused by weighted, min-max normalised scores
 * ({@link Fusion#minMax}) with the model's weight for the vector list, then pieces of one
 * definition joined ({@link HitMerging}).
 */
public final class HybridSearch {
    private static final CodeAnalyzer ANALYZER = new CodeAnalyzer();

    private HybridSearch() {}

    /**
     * Runs {@code request}; {@code single} answers vector and lexical requests. In every mode,
     * pieces of one definition among the hits are joined into one hit ({@link HitMerging}), so
     * more are fetched than asked for, to leave room for other code.
     */
    public static List<SearchHit> run(Function<SearchRequest, List<SearchHit>> single, SearchRequest request) {
        int k = request.k();
        if (request.mode() != SearchMode.HYBRID) {
            return top(HitMerging.merge(single.apply(request.as(request.mode(), withRoom(k)))), k);
        }
        int n = candidates(k);
        List<SearchHit> vector = single.apply(request.as(SearchMode.VECTOR, n));
        List<SearchHit> lexical = hasWords(request.text()) ? single.apply(request.as(SearchMode.LEXICAL, n))
                : List.of();
        return fuse(vector, lexical, request.vectorWeight(), k);
    }

    /**
     * The hits of a hybrid search for {@code k} from its two halves, each of {@link #candidates}
     * hits: for callers that run the halves themselves (at once, on two threads).
     */
    public static List<SearchHit> fuse(List<SearchHit> vector, List<SearchHit> lexical, double vectorWeight, int k) {
        // Joined after fusing: each piece brings its own scores to the fusion, and the joined hit
        // takes its best piece's place (joining first lost span recall on the tuning sets).
        return top(HitMerging.merge(Fusion.minMax(vector, lexical, vectorWeight, SearchHit::id)), k);
    }

    /**
     * Candidates each half of a hybrid search for {@code k} hits brings to the fusion: as many as a
     * search in one mode fetches. On the JDK's 383k chunks, 50 instead of 30 for k = 10 made the
     * vector half's graph search 1.6 times slower, and on the tuning half of the evaluation they
     * ranked the same.
     */
    public static int candidates(int k) {
        return withRoom(k);
    }

    /** Whether a query has words for a lexical search (a query of stop words only has none). */
    public static boolean hasWords(String text) {
        return !ANALYZER.terms(text).isEmpty();
    }

    /** Hits to fetch for {@code k}: room for pieces that join. */
    static int withRoom(int k) {
        return 2 * k + 10;
    }

    private static List<SearchHit> top(List<SearchHit> hits, int k) {
        return hits.size() <= k ? hits : List.copyOf(hits.subList(0, k));
    }
}
