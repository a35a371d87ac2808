package dev.indexer.bench;

import dev.indexer.config.Defaults;
import dev.indexer.config.IndexHome;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import dev.indexer.store.SearchRequest;
import dev.indexer.store.StoreReader;
import dev.indexer.store.local.EmbeddedTarget;
import dev.indexer.store.local.OneSegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Benchmark only: how much of the exact vector answer the embedded store's graph search finds.
 * For each query, the exact top 10 by dot product over the stored float vectors
 * ({@link OneSegment#nearest}) against the store's vector search fetching {@code FETCH} hits (a
 * search for 10 hits fetches 30): the share of the exact top 10 found, and how often the exact
 * best chunk is missing. The evaluation takes the exact list, so its figures do not show this.
 *
 * <p>Usage: {@code GraphRecall INDEX_HOME COLLECTION QUERIES_TSV FETCH [MODEL_HOME]}, queries as
 * the evaluation writes them (the query text in the fifth column), model bge-small.
 */
public final class GraphRecall {
    private GraphRecall() {}

    public static void main(String[] args) throws Exception {
        IndexHome home = new IndexHome(Path.of(args[0]));
        String collection = args[1];
        List<String> queries = Files.readAllLines(Path.of(args[2])).stream().map(line -> line.split("\t"))
                .filter(fields -> fields.length >= 5).map(fields -> fields[4]).toList();
        if (queries.isEmpty()) {
            System.err.println("GraphRecall: no queries in " + args[2]
                    + " (the text is the fifth tab-separated column)");
            System.exit(2);
        }
        int fetch = Integer.parseInt(args[3]);
        Path models = args.length > 4 ? Path.of(args[4]) : home.dir();
        try (OnnxEmbedder model = OnnxEmbedder.open(ModelSpec.BGE_SMALL, Defaults.MODEL_INPUT_TOKENS, 2, models);
                StoreReader store = new EmbeddedTarget(home, 16).openReader(collection)) {
            double found = 0;
            int bestMissing = 0;
            for (String query : queries) {
                float[] vector = model.embedQuery(query);
                List<SearchHit> exact = OneSegment.nearest(home, collection, vector, 10);
                Set<String> graph = new HashSet<>();
                store.searchOne(new SearchRequest(query, vector, fetch, SearchMode.VECTOR, Optional.empty(),
                        Optional.empty())).forEach(hit -> graph.add(hit.id()));
                found += exact.stream().filter(hit -> graph.contains(hit.id())).count() / (double) exact.size();
                bestMissing += graph.contains(exact.get(0).id()) ? 0 : 1;
            }
            System.out.printf("%s: %d queries, graph search fetching %d: %.3f of the exact top 10 found;"
                    + " the exact best missing in %d%n", collection, queries.size(), fetch, found / queries.size(),
                    bestMissing);
        }
    }
}
