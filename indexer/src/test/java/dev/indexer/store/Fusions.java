package dev.indexer.store;

import dev.indexer.lexical.CodeAnalyzer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Ways of fusing a vector and a lexical candidate list, for the evaluation ({@code eval/QualityEval}) to compare. */
public final class Fusions {
    /** A way of turning the two candidate lists into the hits a user sees. */
    public interface Variant {
        List<SearchHit> hits(String query, List<SearchHit> vector, List<SearchHit> lexical, int k);
    }

    private static final CodeAnalyzer ANALYZER = new CodeAnalyzer();

    private Fusions() {}

    public static Map<String, Variant> variants() {
        Map<String, Variant> v = new LinkedHashMap<>();
        v.put("vector", (q, vec, lex, k) -> top(vec, k));
        v.put("lexical", (q, vec, lex, k) -> top(lex, k));
        v.put("vector+merge", (q, vec, lex, k) -> top(HitMerging.merge(vec), k));
        v.put("lexical+merge", (q, vec, lex, k) -> top(HitMerging.merge(lex), k));
        v.put("rrf", (q, vec, lex, k) -> top(rrf(vec, filtered(q, lex), 1, 1), k));
        v.put("rrf-nofilter", (q, vec, lex, k) -> top(rrf(vec, lex, 1, 1), k));
        v.put("rrf-v1.5", (q, vec, lex, k) -> top(rrf(vec, filtered(q, lex), 1.5, 1), k));
        v.put("rrf-l1.5", (q, vec, lex, k) -> top(rrf(vec, filtered(q, lex), 1, 1.5), k));
        v.put("minmax-0.5", (q, vec, lex, k) -> top(minmax(vec, lex, 0.5), k));
        v.put("minmax-0.4", (q, vec, lex, k) -> top(minmax(vec, lex, 0.4), k));
        v.put("minmax-0.6", (q, vec, lex, k) -> top(minmax(vec, lex, 0.6), k));
        v.put("rrf+merge", (q, vec, lex, k) -> top(HitMerging.merge(rrf(vec, filtered(q, lex), 1, 1)), k));
        v.put("rrf-nofilter+merge", (q, vec, lex, k) -> top(HitMerging.merge(rrf(vec, lex, 1, 1)), k));
        v.put("merge+rrf", (q, vec, lex, k) -> top(rrf(HitMerging.merge(vec), HitMerging.merge(filtered(q, lex)),
                1, 1), k));
        v.put("merge+rrf-nofilter", (q, vec, lex, k) -> top(rrf(HitMerging.merge(vec), HitMerging.merge(lex), 1, 1),
                k));
        v.put("minmax-0.5+merge", (q, vec, lex, k) -> top(HitMerging.merge(minmax(vec, lex, 0.5)), k));
        v.put("rrf+merge+cap3", (q, vec, lex, k) -> top(capPerFile(HitMerging.merge(rrf(vec, filtered(q, lex), 1, 1)),
                3), k));
        v.put("rrf-k20+merge", (q, vec, lex, k) -> top(HitMerging.merge(rrf(vec, filtered(q, lex), 1, 1, 20)), k));
        v.put("rrf-v1.5+merge", (q, vec, lex, k) -> top(HitMerging.merge(rrf(vec, filtered(q, lex), 1.5, 1)), k));
        v.put("minmax-0.6+merge", (q, vec, lex, k) -> top(HitMerging.merge(minmax(vec, lex, 0.6)), k));
        v.put("minmax-0.7+merge", (q, vec, lex, k) -> top(HitMerging.merge(minmax(vec, lex, 0.7)), k));
        v.put("minmax-0.6f+merge", (q, vec, lex, k) -> top(HitMerging.merge(minmax(vec, filtered(q, lex), 0.6)), k));
        v.put("rrf+sym+merge", (q, vec, lex, k) -> top(HitMerging.merge(symbolBoost(q,
                rrf(vec, filtered(q, lex), 1, 1), 0.5 / 61)), k));
        // Distribution-based scaling (as Qdrant's DBSF): each list's scores as z-scores, clipped to
        // three deviations, over the 30 candidates production fetches for 10 hits.
        for (double w : new double[] {0.5, 0.6, 0.7}) {
            v.put(String.format(java.util.Locale.ROOT, "dbsf-%.1f+merge", w), (q, vec, lex, k) -> top(HitMerging.merge(
                    dbsf(top(vec, 30), filtered(q, top(lex, 30)), w)), k));
        }
        return v;
    }

    /** Scores scaled by each list's mean and deviation (mean - 3 sd is 0, mean + 3 sd is 1), then weighted. */
    static List<SearchHit> dbsf(List<SearchHit> vector, List<SearchHit> lexical, double alpha) {
        return weighted(vector, lexical, alpha, hits -> {
            double mean = hits.stream().mapToDouble(SearchHit::score).average().orElse(0);
            double sd = Math.sqrt(hits.stream().mapToDouble(h -> (h.score() - mean) * (h.score() - mean))
                    .average().orElse(0));
            return h -> sd <= 0 ? 1 : Math.max(0, Math.min(1, (h.score() - (mean - 3 * sd)) / (6 * sd)));
        });
    }

    /**
     * Adds {@code bonus} to hits whose symbol's words all appear in the query: the query names the
     * function (an exact-identifier boost for questions in plain words).
     */
    static List<SearchHit> symbolBoost(String query, List<SearchHit> hits, double bonus) {
        Set<String> terms = new HashSet<>(ANALYZER.terms(query));
        List<SearchHit> out = new ArrayList<>();
        for (SearchHit hit : hits) {
            List<String> words = hit.symbol() == null ? List.of() : ANALYZER.terms(hit.symbol());
            Set<String> parts = new LinkedHashSet<>(words.size() > 1 ? words.subList(1, words.size()) : words);
            boolean named = !parts.isEmpty() && terms.containsAll(parts);
            out.add(named ? hit.withScore((float) (hit.score() + bonus)) : hit);
        }
        out.sort(Comparator.comparingDouble(SearchHit::score).reversed());
        return out;
    }

    static List<SearchHit> top(List<SearchHit> hits, int k) {
        return hits.subList(0, Math.min(k, hits.size()));
    }

    /** Lexical hits holding at least a third of the query's distinct terms (today's hybrid filter). */
    static List<SearchHit> filtered(String query, List<SearchHit> lexical) {
        Set<String> terms = new LinkedHashSet<>(ANALYZER.terms(query));
        int needed = Math.max(1, Math.round(terms.size() / 3f));
        return lexical.stream().filter(hit -> HybridSearch.shared(terms, hit) >= needed).toList();
    }

    /** Weighted reciprocal rank fusion, k = 60. */
    static List<SearchHit> rrf(List<SearchHit> vector, List<SearchHit> lexical, double wv, double wl) {
        return rrf(vector, lexical, wv, wl, 60);
    }

    /** Weighted reciprocal rank fusion with constant {@code c}: a smaller one favours the top ranks. */
    static List<SearchHit> rrf(List<SearchHit> vector, List<SearchHit> lexical, double wv, double wl, int c) {
        Map<String, Double> score = new HashMap<>();
        Map<String, SearchHit> byId = new LinkedHashMap<>();
        for (int i = 0; i < vector.size(); i++) {
            score.merge(vector.get(i).id(), wv / (c + i + 1), Double::sum);
            byId.putIfAbsent(vector.get(i).id(), vector.get(i));
        }
        for (int i = 0; i < lexical.size(); i++) {
            score.merge(lexical.get(i).id(), wl / (c + i + 1), Double::sum);
            byId.putIfAbsent(lexical.get(i).id(), lexical.get(i));
        }
        return sorted(byId, score);
    }

    /** Scores scaled to 0..1 within each list, then alpha x vector + (1 - alpha) x lexical. */
    static List<SearchHit> minmax(List<SearchHit> vector, List<SearchHit> lexical, double alpha) {
        return weighted(vector, lexical, alpha, hits -> {
            double max = hits.stream().mapToDouble(SearchHit::score).max().orElse(1);
            double min = hits.stream().mapToDouble(SearchHit::score).min().orElse(0);
            return h -> max - min <= 0 ? 1 : (h.score() - min) / (max - min);
        });
    }

    /** Each list's scores put on one scale by {@code scale} (given the whole list), then alpha x vector + rest x lexical. */
    private static List<SearchHit> weighted(List<SearchHit> vector, List<SearchHit> lexical, double alpha,
            java.util.function.Function<List<SearchHit>, java.util.function.ToDoubleFunction<SearchHit>> scale) {
        Map<String, Double> score = new HashMap<>();
        Map<String, SearchHit> byId = new LinkedHashMap<>();
        for (List<SearchHit> hits : List.of(vector, lexical)) {
            if (hits.isEmpty()) {
                continue;
            }
            double weight = hits == vector ? alpha : 1 - alpha;
            java.util.function.ToDoubleFunction<SearchHit> normal = scale.apply(hits);
            for (SearchHit hit : hits) {
                score.merge(hit.id(), weight * normal.applyAsDouble(hit), Double::sum);
                byId.putIfAbsent(hit.id(), hit);
            }
        }
        return sorted(byId, score);
    }

    private static List<SearchHit> sorted(Map<String, SearchHit> byId, Map<String, Double> score) {
        List<SearchHit> out = new ArrayList<>();
        for (SearchHit hit : byId.values()) {
            out.add(hit.withScore((float) (double) score.get(hit.id())));
        }
        out.sort(Comparator.comparingDouble(SearchHit::score).reversed());
        return out;
    }

    static List<SearchHit> capPerFile(List<SearchHit> hits, int cap) {
        Map<String, Integer> perFile = new HashMap<>();
        List<SearchHit> kept = new ArrayList<>();
        List<SearchHit> rest = new ArrayList<>();
        for (SearchHit hit : hits) {
            if (perFile.merge(hit.path(), 1, Integer::sum) <= cap) {
                kept.add(hit);
            } else {
                rest.add(hit);
            }
        }
        kept.addAll(rest); // only if nothing else is left
        return kept;
    }
}
