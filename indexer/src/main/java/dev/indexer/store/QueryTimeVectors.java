package dev.indexer.store;

import dev.indexer.chunk.Chunk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Meaning before coverage: while a collection's chunks still wait for vectors, a hybrid search
 * embeds the best lexical candidates that have none, so that the fusion ranks them by meaning too.
 * Bounded twice: at most {@code limit} chunks, in calls of {@link #CALL_INPUTS}, and no call starts
 * once {@code budget} has passed since the first. The vectors made are handed to {@code keep} (the
 * index home's vector cache), where the embedding phase finds them instead of making them again.
 *
 * @param limit the most chunks embedded for one search
 * @param budget the time after which no further call starts
 * @param embed the model, on documents, beside any indexing that is running
 * @param keep takes the vectors made, by embedded input ({@link Chunk#embedParts()})
 */
public record QueryTimeVectors(int limit, Duration budget, Function<List<String>, float[][]> embed,
        Consumer<Map<String, float[]>> keep) {
    /** Inputs per model call: four chunks of about a hundred tokens take some 40 ms on two cores. */
    static final int CALL_INPUTS = 4;

    /**
     * What a search's vector list became.
     *
     * @param vector the vector half's hits with the lexical candidates embedded now, best first
     * @param made the ids of the chunks embedded now
     */
    record Ranked(List<SearchHit> vector, Set<String> made) {}

    /**
     * The vector list of a hybrid search with the lexical candidates that have no vector yet
     * embedded and scored against the query (cosine, the scale of the vector half's scores).
     */
    Ranked rank(StoreReader store, SearchRequest request, List<SearchHit> vector, List<SearchHit> lexical) {
        Set<String> known = vector.stream().map(SearchHit::id).collect(Collectors.toSet());
        Map<String, SearchHit> candidates = new LinkedHashMap<>();
        lexical.stream().filter(hit -> !known.contains(hit.id())).limit(limit)
                .forEach(hit -> candidates.put(hit.id(), hit));
        if (candidates.isEmpty()) {
            return new Ranked(vector, Set.of());
        }
        Map<String, Chunk> waiting = new HashMap<>(store.withoutVectors(candidates.keySet()));
        waiting.values().removeIf(Chunk::isData); // never embedded: no vector to make now either
        if (waiting.isEmpty()) {
            return new Ranked(vector, Set.of());
        }
        List<String> ids = candidates.keySet().stream().filter(waiting::containsKey).toList(); // lexical rank
        float[] query = request.vector();
        List<SearchHit> ranked = new ArrayList<>(vector);
        Map<String, float[]> made = new LinkedHashMap<>();
        Set<String> madeIds = new HashSet<>();
        long deadline = System.nanoTime() + budget.toNanos();
        for (int from = 0; from < ids.size() && (from == 0 || System.nanoTime() < deadline); from += CALL_INPUTS) {
            List<String> call = ids.subList(from, Math.min(ids.size(), from + CALL_INPUTS));
            List<String> parts = call.stream().flatMap(id -> waiting.get(id).embedParts().stream())
                    .filter(part -> !made.containsKey(part)).distinct().toList();
            float[][] vectors = parts.isEmpty() ? new float[0][] : embed.apply(parts);
            for (int i = 0; i < parts.size(); i++) {
                made.put(parts.get(i), vectors[i]);
            }
            for (String id : call) {
                ranked.add(candidates.get(id).withScore(dot(query, waiting.get(id).vectorFrom(made::get))));
                madeIds.add(id);
            }
        }
        keep.accept(made);
        ranked.sort(Comparator.comparingDouble(SearchHit::score).reversed());
        return new Ranked(ranked, madeIds);
    }

    /** A stored vector's score against the query's: the cosine of unit vectors, as the vector half scores. */
    static float dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return (float) sum;
    }
}
