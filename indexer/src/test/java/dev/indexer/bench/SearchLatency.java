package dev.indexer.bench;

import dev.indexer.config.IndexHome;
import dev.indexer.engine.CollectionReader;
import dev.indexer.engine.Engine;
import dev.indexer.engine.SearchQuery;
import dev.indexer.store.SearchMode;
import dev.indexer.store.local.EmbeddedTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Search latency of a collection exactly as it is on disk, through the engine's reader (what
 * {@code indexer search}, the servers and the socket all call): no server, so nothing merges the
 * segments meanwhile. Every query of QUERIES in each mode, k = 10, once to warm up and then ROUNDS
 * times; each pass sends the query with its own number of trailing spaces (the same words, another
 * text), so that the reader's kept query vectors never answer and every search embeds its query.
 * Prints the segments of each of the collection's repositories and p50/p95/p99 per mode (a
 * collection of several repositories is searched across all of them).
 *
 * <p>Usage: {@code SearchLatency INDEX_DIR COLLECTION QUERIES [ROUNDS]}; {@code -Dmodes=lexical,vector} for some modes only
 */
public final class SearchLatency {
    private SearchLatency() {}

    public static void main(String[] args) throws Exception {
        IndexHome home = IndexHome.resolve(Optional.of(Path.of(args[0])), Map.of());
        String collection = args[1];
        List<String> queries = Files.readAllLines(Path.of(args[2])).stream()
                .filter(q -> !q.isBlank() && !q.startsWith("#")).toList();
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        for (var repo : home.repos(collection).entrySet()) {
            System.out.println(repo.getKey() + ": " + ChunkOnlyBuild.segments(repo.getValue().resolve("lucene")));
        }
        // -Dmodes=lexical: only some modes (a collection still without all its vectors would embed
        // chunks at query time in the others).
        List<SearchMode> modes = java.util.Arrays.stream(System.getProperty("modes", "hybrid,vector,lexical").split(","))
                .map(SearchMode::byId).toList();
        try (CollectionReader reader = Engine.forReading(home, EmbeddedTarget.forReading(home)).openReader(collection)) {
            int pass = 0;
            for (SearchMode mode : modes) {
                for (String query : queries) {
                    reader.search(query(query + " ".repeat(pass), mode));
                }
                pass++;
            }
            System.out.printf(Locale.ROOT, "%d queries, %d rounds after a warm-up round, k = 10%n", queries.size(), rounds);
            System.out.println("| mode | p50 ms | p95 ms | p99 ms | mean ms |");
            System.out.println("|---|---|---|---|---|");
            for (SearchMode mode : modes) {
                double[] millis = new double[queries.size() * rounds];
                int n = 0;
                for (int round = 0; round < rounds; round++) {
                    for (String query : queries) {
                        SearchQuery asked = query(query + " ".repeat(pass), mode);
                        long t = System.nanoTime();
                        reader.search(asked);
                        millis[n++] = (System.nanoTime() - t) / 1e6;
                    }
                    pass++;
                }
                Arrays.sort(millis);
                System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f |%n", mode.id(),
                        LiveServerBench.percentile(millis, 50), LiveServerBench.percentile(millis, 95),
                        LiveServerBench.percentile(millis, 99), Arrays.stream(millis).average().orElse(0));
            }
        }
    }

    private static SearchQuery query(String text, SearchMode mode) {
        return new SearchQuery(text, 10, mode, Optional.empty(), Optional.empty());
    }
}
