package dev.indexer.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): an item's score is the sum over the
 * lists of {@code 1 / (K + rank)}, ranks from 1. It needs no calibration between BM25 scores and
 * cosines, which live on different scales, and an item near the top of either list stays near the top.
 */
public final class Fusion {
    /** The usual constant: it damps the weight of the very first ranks. */
    public static final int K = 60;

    private Fusion() {}

    /**
     * Fuses ranked lists of hits, best first; items are the same if {@code key} says so. The
     * first list's copy of an item is kept, with its fused score.
     */
    public static List<SearchHit> reciprocalRank(List<List<SearchHit>> rankings, int limit,
            Function<SearchHit, String> key) {
        Map<String, SearchHit> first = new LinkedHashMap<>();
        Map<String, Double> scores = new LinkedHashMap<>();
        for (List<SearchHit> ranking : rankings) {
            for (int rank = 0; rank < ranking.size(); rank++) {
                SearchHit hit = ranking.get(rank);
                String id = key.apply(hit);
                first.putIfAbsent(id, hit);
                scores.merge(id, 1.0 / (K + rank + 1), Double::sum);
            }
        }
        List<String> ids = new ArrayList<>(scores.keySet());
        // Ties keep first-seen order: the earlier list decides (List.sort is stable).
        ids.sort(Comparator.comparingDouble((String id) -> scores.get(id)).reversed());
        List<SearchHit> fused = new ArrayList<>();
        for (String id : ids.subList(0, Math.min(limit, ids.size()))) {
            fused.add(first.get(id).withScore(scores.get(id).floatValue()));
        }
        return fused;
    }
}
