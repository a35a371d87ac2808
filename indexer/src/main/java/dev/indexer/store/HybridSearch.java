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

    /** Runs {@code request}; {@code single} answers vector and lexical requests. */
    public static List<SearchHit> run(Function<SearchRequest, List<SearchHit>> single, SearchRequest request) {
        if (request.mode() != SearchMode.HYBRID) {
            return single.apply(request);
        }
        int n = request.candidates();
        List<SearchHit> vector = single.apply(request.as(SearchMode.VECTOR, n));
        Set<String> queryTerms = new LinkedHashSet<>(ANALYZER.terms(request.text()));
        List<SearchHit> lexical = queryTerms.isEmpty() ? List.of() : single.apply(request.as(SearchMode.LEXICAL, n));
        int needed = Math.max(1, Math.round(queryTerms.size() / 3f));
        List<SearchHit> strong = lexical.stream().filter(hit -> shared(queryTerms, hit) >= needed).toList();
        return Fusion.reciprocalRank(List.of(vector, strong), request.k(), SearchHit::id);
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
