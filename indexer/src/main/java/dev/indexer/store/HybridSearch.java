package dev.indexer.store;

import dev.indexer.lexical.CodeAnalyzer;
import java.util.List;
import java.util.function.Function;

/**
 * Hybrid search, the same over every store: a vector search and a lexical search, each for
 * {@link SearchRequest#candidates()} hits, fused by weighted, min-max normalised scores
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
        int n = Math.max(request.candidates(), withRoom(k));
        List<SearchHit> vector = single.apply(request.as(SearchMode.VECTOR, n));
        // A query of stop words only has no lexical half.
        List<SearchHit> lexical = ANALYZER.terms(request.text()).isEmpty() ? List.of()
                : single.apply(request.as(SearchMode.LEXICAL, n));
        // Joined after fusing: each piece brings its own scores to the fusion, and the joined hit
        // takes its best piece's place (joining first lost span recall on the tuning sets).
        return top(HitMerging.merge(Fusion.minMax(vector, lexical, request.vectorWeight(), SearchHit::id)), k);
    }

    /** Hits to fetch for {@code k}: room for pieces that join. */
    static int withRoom(int k) {
        return 2 * k + 10;
    }

    private static List<SearchHit> top(List<SearchHit> hits, int k) {
        return hits.size() <= k ? hits : List.copyOf(hits.subList(0, k));
    }
}
