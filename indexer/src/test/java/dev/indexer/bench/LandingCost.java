package dev.indexer.bench;

import dev.indexer.RepoDirs;
import dev.indexer.config.IndexHome;
import dev.indexer.navigate.NavigationReader;
import dev.indexer.state.Manifest;
import dev.indexer.store.HybridSearch;
import dev.indexer.store.Landing;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import dev.indexer.store.SearchRequest;
import dev.indexer.store.StoreReader;
import dev.indexer.store.local.EmbeddedTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What landing hits on definitions costs a search ({@link Landing}): the same lexical searches of
 * a built collection with hits left as chunks and landed, interleaved, warm; p50/p95/p99 of each
 * and how many hits were shown as definitions. Lexical, so that no model runs: landing does the
 * same work after a search in any mode (reads the first hits' files, scores their definitions).
 *
 * <p>Usage: {@code LandingCost INDEX_DIR COLLECTION QUERIES_TSV [ROUNDS]}, the queries one per
 * line, the text in the last tab-separated field (an evaluation set's {@code queries.tsv}).
 */
public final class LandingCost {
    private LandingCost() {}

    public static void main(String[] args) throws Exception {
        IndexHome home = new IndexHome(Path.of(args[0]));
        String name = args[1];
        List<String> queries = Files.readAllLines(Path.of(args[2]), StandardCharsets.UTF_8).stream()
                .map(l -> l.substring(l.lastIndexOf('\t') + 1)).filter(q -> !q.isBlank()).toList();
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Path root;
        // The command line names a collection's repository after its tree: the collection's only one.
        Path repoDir = RepoDirs.only(home.dir(), name);
        try (Manifest manifest = Manifest.openForReading(repoDir.resolve(Manifest.FILE_NAME))) {
            root = Path.of(manifest.meta().get("root"));
        }
        try (StoreReader store = new EmbeddedTarget(home, 16).openReader(name);
                NavigationReader navigation = NavigationReader.open(repoDir, root).orElseThrow();
                HybridSearch search = new HybridSearch(1)) {
            List<Long> plain = new ArrayList<>();
            List<Long> landed = new ArrayList<>();
            long definitions = 0;
            long hits = 0;
            for (int round = 0; round <= rounds; round++) { // round 0 warms
                for (int i = 0; i < queries.size(); i++) {
                    SearchRequest request = new SearchRequest(queries.get(i), (float[]) null, 10, SearchMode.LEXICAL,
                            Optional.empty(), Optional.empty());
                    boolean landFirst = (i + round) % 2 == 0; // who goes first alternates
                    for (int turn = 0; turn < 2; turn++) {
                        boolean land = landFirst == (turn == 0);
                        long start = System.nanoTime();
                        List<SearchHit> answer = search.search(store, request, Optional.empty(),
                                land ? (repo, path) -> navigation.definitions(path) : Landing.Definitions.NONE).hits();
                        long took = System.nanoTime() - start;
                        if (round > 0) {
                            (land ? landed : plain).add(took);
                            if (land) {
                                hits += answer.size();
                                definitions += answer.stream().filter(h -> h.id().startsWith(Landing.DEFINITION_ID))
                                        .count();
                            }
                        }
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%d queries x %d rounds, k=10, lexical, warm%n", queries.size(), rounds);
            System.out.println("| hits | p50 ms | p95 ms | p99 ms |");
            System.out.println("|---|---|---|---|");
            row("chunks as ranked", plain);
            row("landed on definitions", landed);
            System.out.printf(Locale.ROOT, "hits shown as the definition they lie in: %d of %d%n", definitions, hits);
        }
    }

    private static void row(String what, List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", what, at(sorted, 0.50), at(sorted, 0.95),
                at(sorted, 0.99));
    }

    private static double at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
