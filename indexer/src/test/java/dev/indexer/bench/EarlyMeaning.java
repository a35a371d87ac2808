package dev.indexer.bench;

import dev.indexer.config.IndexHome;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.store.HybridSearch;
import dev.indexer.store.QueryTimeVectors;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import dev.indexer.store.SearchRequest;
import dev.indexer.store.StoreReader;
import dev.indexer.store.local.EmbeddedTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Benchmark only: meaning before coverage. On a collection whose chunks mostly wait for vectors
 * (built with {@code --max-files}), each hand-written query is searched in hybrid mode as the
 * indexer searches it, with query-time vectors (the shipped bounds, vectors kept nowhere) and
 * without, alternately; the table gives file MRR@10 / R@5 and the median and 95th percentile
 * search time of each, and how many chunks were embedded per search.
 *
 * <p>Usage: {@code EarlyMeaning QUERIES.tsv INDEX_HOME COLLECTION}
 */
public final class EarlyMeaning {
    private EarlyMeaning() {}

    public static void main(String[] args) throws Exception {
        List<String[]> queries = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                queries.add(line.split("\t"));
            }
        }
        IndexHome home = new IndexHome(Path.of(args[1]));
        try (StoreReader store = new EmbeddedTarget(home, 16).openReader(args[2]);
                OnnxEmbedder model = OnnxEmbedder.open(ModelSpec.BGE_SMALL, 256, 2, home.dir());
                HybridSearch searching = new HybridSearch(2)) {
            QueryTimeVectors late = new QueryTimeVectors(16, Duration.ofMillis(150), model::embedDocumentsForSearch,
                    made -> {});
            double[][] ms = new double[2][queries.size()];
            double[] mrr = new double[2];
            double[] r5 = new double[2];
            long embedded = 0;
            for (int round = 0; round < 2; round++) { // the first round warms up
                for (int i = 0; i < queries.size(); i++) {
                    String text = queries.get(i)[0];
                    Set<String> files = Set.of(queries.get(i)[1].split("\\|"));
                    for (int variant : round % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0}) {
                        long start = System.nanoTime();
                        float[] vector = model.embedQuery(text);
                        SearchRequest request = new SearchRequest(text, () -> vector, 10, SearchMode.HYBRID,
                                Optional.empty(), Optional.empty(), ModelSpec.BGE_SMALL.hybridVectorWeight());
                        HybridSearch.Answer answer = searching.search(store, request,
                                variant == 1 ? Optional.of(late) : Optional.empty());
                        ms[variant][i] = (System.nanoTime() - start) / 1e6;
                        if (round == 1) {
                            List<String> ranked = List.copyOf(new LinkedHashSet<>(
                                    answer.hits().stream().map(SearchHit::path).toList()));
                            for (int r = 0; r < ranked.size(); r++) {
                                if (files.contains(ranked.get(r))) {
                                    mrr[variant] += 1.0 / (r + 1);
                                    r5[variant] += r < 5 ? 1 : 0;
                                    break;
                                }
                            }
                            embedded += variant == 1 ? answer.embeddedNow() : 0;
                        }
                    }
                }
            }
            int n = queries.size();
            System.out.printf("%d queries, %d chunks in the collection%n", n, store.count());
            System.out.println("| hybrid search | file MRR@10 | file R@5 | median ms | p95 ms | chunks embedded per search |");
            System.out.println("|---|---|---|---|---|---|");
            String[] names = {"words and the vectors made so far", "the same, candidates without vectors embedded now"};
            for (int v = 0; v < 2; v++) {
                double[] sorted = ms[v].clone();
                Arrays.sort(sorted);
                System.out.printf("| %s | %.3f | %.3f | %.0f | %.0f | %s |%n", names[v], mrr[v] / n, r5[v] / n,
                        sorted[n / 2], sorted[(int) Math.ceil(n * 0.95) - 1],
                        v == 1 ? String.format("%.1f", (double) embedded / n) : "0");
            }
        }
    }
}
