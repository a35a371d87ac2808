package dev.indexer.store;

import dev.indexer.lexical.CodeAnalyzer;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Hybrid search, the same over every store: a vector search and a lexical search, each for
 * {@link SearchRequest#candidates()} hits, fused by reciprocal rank ({@link Fusion}).
 *
 * <p>Before fusing, lexical hits that share too few words with the query are dropped: a query of
 * six words that a chunk matches by one common word ("string") is weak evidence, and rank fusion
 * would otherwise promote that chunk as much as a chunk that matches every word. A hit must hold
 * a third of the query's distinct terms (at least one).
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
        Set<String> queryTerms = new LinkedHashSet<>(ANALYZER.terms(request.text()));
        List<SearchHit> lexical = queryTerms.isEmpty() ? List.of() : single.apply(request.as(SearchMode.LEXICAL, n));
        int needed = Math.max(1, Math.round(queryTerms.size() / 3f));
        List<SearchHit> strong = lexical.stream().filter(hit -> shared(queryTerms, hit) >= needed).toList();
        // Joined after fusing: each piece brings its own ranks to the fusion, and the joined hit
        // takes its best piece's place (joining first lost span recall on the tuning sets).
        return top(HitMerging.merge(Fusion.reciprocalRank(List.of(vector, strong), Integer.MAX_VALUE,
                SearchHit::id)), k);
    }

    /** Hits to fetch for {@code k}: room for pieces that join. */
    static int withRoom(int k) {
        return 2 * k + 10;
    }

    private static List<SearchHit> top(List<SearchHit> hits, int k) {
        return hits.size() <= k ? hits : List.copyOf(hits.subList(0, k));
    }

    /** How many of the query's terms the hit's path, symbol and text hold. */
    static int shared(Set<String> queryTerms, SearchHit hit) {
        Set<String> terms = new HashSet<>(ANALYZER.terms(hit.path() + " " + hit.symbol() + " " + hit.container()
                + " " + hit.text()));
        int shared = 0;
        for (String term : queryTerms) {
            if (terms.contains(term)) {
                shared++;
            }
        }
        return shared;
    }
}
