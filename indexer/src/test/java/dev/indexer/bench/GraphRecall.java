package dev.indexer.bench;

import dev.indexer.config.Defaults;
import dev.indexer.config.IndexHome;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.store.SearchHit;
import dev.indexer.store.local.NearestSearches;
import dev.indexer.store.local.OneSegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Benchmark only: how much of the exact vector answer the embedded store's nearest-vector search
 * finds, several ways side by side on one open index: graph searches for {@code FETCH} in every
 * segment (what shipped before 4 December), what ships (graph searches for at least
 * {@link NearestSearches#shippedBreadth()}, segments of at most
 * {@link NearestSearches#shippedExactLimit()} vectors read whole) and every segment read whole;
 * each keeps the best {@code FETCH} (a search for 10 hits keeps 30). For each query the exact top
 * 10 by dot product over the stored float vectors ({@link OneSegment#nearest}): the share of it
 * found, how often the exact best chunk is missing, and the median and 95th percentile time of the
 * search (the query already embedded; each way run once over all queries first, to warm the
 * index's pages).
 *
 * <p>Usage: {@code GraphRecall INDEX_HOME COLLECTION[:REPOSITORY] QUERIES FETCH [MODEL_HOME]}, model bge-small;
 * QUERIES is the evaluation's queries.tsv (the text in the fifth column) or a file of one query per
 * line ({@code #} lines skipped). {@code -Dways=100:0,60:5000} adds graph breadths and limits for
 * reading a segment whole to the table.
 */
public final class GraphRecall {
    private GraphRecall() {}

    public static void main(String[] args) throws Exception {
        IndexHome home = new IndexHome(Path.of(args[0]));
        String[] named = args[1].split(":", 2); // COLLECTION or COLLECTION:REPOSITORY
        String collection = args[1];
        Path luceneDir = home.luceneDir(named[0], named.length > 1 ? named[1] : named[0]);
        if (!Files.isDirectory(luceneDir)) {
            System.err.println("GraphRecall: no index at " + luceneDir);
            System.exit(2);
        }
        List<String> queries = Files.readAllLines(Path.of(args[2])).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("\t")).filter(fields -> fields.length == 1 || fields.length >= 5)
                .map(fields -> fields.length == 1 ? fields[0] : fields[4]).toList();
        if (queries.isEmpty()) {
            System.err.println("GraphRecall: no queries in " + args[2]
                    + " (one per line, or the text in the fifth tab-separated column)");
            System.exit(2);
        }
        int fetch = Integer.parseInt(args[3]);
        Path models = args.length > 4 ? Path.of(args[4]) : home.dir();
        List<float[]> vectors = new ArrayList<>();
        List<List<String>> exact = new ArrayList<>();
        try (OnnxEmbedder model = OnnxEmbedder.open(ModelSpec.BGE_SMALL, Defaults.MODEL_INPUT_TOKENS, 2, models)) {
            for (String query : queries) {
                float[] vector = model.embedQuery(query);
                vectors.add(vector);
                exact.add(OneSegment.nearest(luceneDir, vector, 10).stream().map(SearchHit::id).toList());
            }
        }
        // Each way: the graph's breadth and the most vectors of a segment read whole.
        Map<String, int[]> ways = new LinkedHashMap<>();
        ways.put("graph for " + fetch + " in every segment (before 4 December)", new int[] {fetch, 0});
        // -Dways=100:0,60:5000: other breadths and limits, side by side
        for (String way : System.getProperty("ways", "").split(",")) {
            if (!way.isBlank()) {
                String[] parts = way.strip().split(":");
                ways.put("graph for " + parts[0] + ", read whole up to " + parts[1],
                        new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])});
            }
        }
        ways.put("shipped: graph for " + Math.max(fetch, NearestSearches.shippedBreadth()) + ", read whole up to "
                + NearestSearches.shippedExactLimit(), new int[] {NearestSearches.shippedBreadth(),
                        NearestSearches.shippedExactLimit()});
        ways.put("every segment read whole", new int[] {fetch, Integer.MAX_VALUE});
        try (NearestSearches searches = new NearestSearches(luceneDir)) {
            System.out.printf("%s: %d queries, fetching %d%n", collection, queries.size(), fetch);
            for (String field : NearestSearches.vectorFields()) {
                System.out.printf("  %s: vectors per segment %s%n", field, searches.segmentVectors(field));
            }
            System.out.println("| search | found of the exact top 10 | exact best missing | median ms | p95 ms |");
            System.out.println("|---|---|---|---|---|");
            for (Map.Entry<String, int[]> way : ways.entrySet()) {
                for (float[] vector : vectors) {
                    searches.nearest(vector, fetch, way.getValue()[0], way.getValue()[1]);
                }
                double found = 0;
                int bestMissing = 0;
                long[] nanos = new long[vectors.size()];
                for (int i = 0; i < vectors.size(); i++) {
                    long start = System.nanoTime();
                    Set<String> hits = new HashSet<>(searches.nearest(vectors.get(i), fetch, way.getValue()[0],
                            way.getValue()[1]));
                    nanos[i] = System.nanoTime() - start;
                    List<String> want = exact.get(i);
                    found += want.stream().filter(hits::contains).count() / (double) want.size();
                    bestMissing += hits.contains(want.get(0)) ? 0 : 1;
                }
                java.util.Arrays.sort(nanos);
                System.out.printf("| %s | %.3f | %d | %.2f | %.2f |%n", way.getKey(), found / vectors.size(),
                        bestMissing, nanos[nanos.length / 2] / 1e6, nanos[(int) (nanos.length * 0.95)] / 1e6);
            }
        }
    }
}
