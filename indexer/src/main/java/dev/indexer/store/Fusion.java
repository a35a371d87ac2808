package dev.indexer.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Fuses a vector and a lexical list of hits: {@link #minMax} puts each list's scores on a scale of
 * 0 to 1 (its best hit 1, its last candidate 0) and adds them with weights. Unlike reciprocal rank
 * fusion, which it replaced (still among the evaluation's variants, {@code bench/Fusions}), a weak
 * list's top hit counts for less than a strong list's, and a hit far ahead of the next one in its
 * list stays ahead. On the tuning half of the multi-language evaluation (four languages, 800
 * queries) this raised hybrid MRR@10 from 0.709 to 0.731 and span recall from 0.822 to 0.833
 * (bge-small), and it beat both halves in more languages (docs/benchmarks.md).
 */
final class Fusion {
    /** The vector list's weight when the model's is not known: bge-small's, the default model. */
    public static final double VECTOR_WEIGHT = 0.6;

    private Fusion() {}

    /**
     * Weighted fusion of min-max normalised scores: {@code vectorWeight x v + (1 - vectorWeight) x l},
     * where {@code v} and {@code l} are the hit's score in each list scaled to 0..1 within that list
     * (0 when it is not in the list; 1 for every hit of a list whose scores are all equal). Items are
     * the same if {@code key} says so; the vector list's copy of an item is kept, with its fused score.
     */
    public static List<SearchHit> minMax(List<SearchHit> vector, List<SearchHit> lexical, double vectorWeight,
            Function<SearchHit, String> key) {
        Map<String, SearchHit> first = new LinkedHashMap<>();
        Map<String, Double> scores = new LinkedHashMap<>();
        addScaled(vector, vectorWeight, key, first, scores);
        addScaled(lexical, 1 - vectorWeight, key, first, scores);
        return sorted(first, scores);
    }

    private static void addScaled(List<SearchHit> hits, double weight, Function<SearchHit, String> key,
            Map<String, SearchHit> first, Map<String, Double> scores) {
        DoubleSummaryStatistics stats = hits.stream().mapToDouble(SearchHit::score).summaryStatistics();
        double min = stats.getMin();
        double range = stats.getMax() - min;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (SearchHit hit : hits) {
            String id = key.apply(hit);
            if (!seen.add(id)) {
                continue; // a list names an item once; its first (best) place counts
            }
            first.putIfAbsent(id, hit);
            double scaled = range > 0 ? (hit.score() - min) / range : 1;
            scores.merge(id, weight * scaled, Double::sum);
        }
    }

    private static List<SearchHit> sorted(Map<String, SearchHit> first, Map<String, Double> scores) {
        List<String> ids = new ArrayList<>(scores.keySet());
        // Ties keep first-seen order: the earlier list decides (List.sort is stable).
        ids.sort(Comparator.comparingDouble((String id) -> scores.get(id)).reversed());
        return ids.stream().map(id -> first.get(id).withScore(scores.get(id).floatValue())).toList();
    }
}
