package dev.indexer.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The vector half of a hybrid search as an exact search would have answered it, as far as the
 * lexical half's candidates can tell. A graph search (HNSW, in either store) is approximate: where
 * many chunks have nearly the same vector it can miss the nearest outright (on the evaluation's
 * collections a graph search fetching 30 missed the exact best chunk for 8% of the Java and Go
 * queries). The lexical half often holds such a chunk; its stored vector, scored against the
 * query, puts it where an exact search would have: in the vector list if it beats the list's
 * weakest hit, the list cut back to its length. Chunks that an exact search would not have listed
 * stay out, so the fusion weighs the same lists as it would with an exact vector search.
 */
final class GraphMisses {
    private GraphMisses() {}

    /**
     * @param vector the vector half's hits, best first, at most {@code n}
     * @param lexical the lexical half's hits
     * @param n the length of the vector list
     * @return the vector list with the lexical hits that belong in it, best first, at most {@code n}
     */
    static List<SearchHit> recover(StoreReader store, float[] query, List<SearchHit> vector, List<SearchHit> lexical,
            int n) {
        Set<String> listed = vector.stream().map(SearchHit::id).collect(Collectors.toSet());
        List<SearchHit> unlisted = lexical.stream().filter(hit -> !listed.contains(hit.id())).toList();
        if (unlisted.isEmpty()) {
            return vector;
        }
        Map<String, float[]> stored = store.vectorsOf(unlisted.stream().map(SearchHit::id).toList());
        if (stored.isEmpty()) {
            return vector;
        }
        double weakest = vector.size() < n ? Double.NEGATIVE_INFINITY
                : vector.stream().mapToDouble(SearchHit::score).min().orElse(Double.NEGATIVE_INFINITY);
        List<SearchHit> recovered = new ArrayList<>(vector);
        for (SearchHit hit : unlisted) {
            float[] candidate = stored.get(hit.id());
            if (candidate != null) {
                float score = QueryTimeVectors.dot(query, candidate);
                if (score > weakest) {
                    recovered.add(hit.withScore(score));
                }
            }
        }
        if (recovered.size() == vector.size()) {
            return vector;
        }
        recovered.sort(Comparator.comparingDouble(SearchHit::score).reversed());
        return List.copyOf(recovered.subList(0, Math.min(n, recovered.size())));
    }
}
