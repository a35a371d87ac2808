package dev.indexer.bench;

import dev.indexer.chunk.Symbol;
import dev.indexer.config.IndexHome;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.engine.CollectionReader;
import dev.indexer.engine.Engine;
import dev.indexer.engine.SearchQuery;
import dev.indexer.navigate.Navigation;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import dev.indexer.store.local.EmbeddedTarget;
import dev.indexer.store.local.OneSegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Benchmark only: how well builds of the same tree find a method, by queries that ask for one.
 * Each query names the definitions that answer it ({@code path#name} or {@code path#name(part of
 * its signature)}, several with {@code |}); each is resolved through the first build's outline of
 * the file to its lines, and must name exactly one definition. A hit finds a span when it or one
 * of its copies is in that file and overlaps those lines; a file when its path is the target's.
 *
 * <p>For each build (an index home holding the collection): the hybrid search and the vector
 * search as users get them (hits landed on definitions), and the stored vectors ranked exactly (no
 * graph, chunks as stored): file R@10, file MRR@10, span R@1, span R@10, span MRR@10; span R@10
 * counting only hits at least half of whose lines are the target's (so that longer hits, which
 * overlap more definitions, do not score for that alone), and the mean lines of a hit. Then each
 * query's span rank in every build and mode, so that a difference can be read query by query.
 *
 * <p>Usage: {@code SpanCompare QUERIES.tsv COLLECTION TAG=HOME [TAG=HOME...]}
 */
public final class SpanCompare {
    private SpanCompare() {}

    record Target(String path, int startLine, int endLine, String label) {}

    record Query(String text, List<Target> targets) {}

    /** A file and lines that a hit shows. */
    record Spot(String path, int startLine, int endLine) {}

    /** One hit as scored: its own lines, then its copies'. */
    record Place(List<Spot> spots) {}

    public static void main(String[] args) throws Exception {
        String collection = args[1];
        Map<String, Path> builds = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] parts = args[i].split("=", 2);
            builds.put(parts[0], Path.of(parts[1]));
        }
        List<String[]> raw = lines(Path.of(args[0]));
        List<Query> queries;
        IndexHome first = new IndexHome(builds.values().iterator().next());
        try (CollectionReader reader = Engine.forReading(first, new EmbeddedTarget(first, 16)).openReader(collection)) {
            queries = resolve(reader, raw);
        }
        System.out.printf("%d queries, %d targets%n", queries.size(),
                queries.stream().mapToInt(q -> q.targets().size()).sum());
        Map<String, List<List<Place>>> answers = new LinkedHashMap<>();
        for (Map.Entry<String, Path> build : builds.entrySet()) {
            IndexHome home = new IndexHome(build.getValue());
            List<List<Place>> hybrid = new ArrayList<>();
            List<List<Place>> vector = new ArrayList<>();
            List<List<Place>> exact = new ArrayList<>();
            try (OnnxEmbedder model = OnnxEmbedder.open(ModelSpec.BGE_SMALL, 256, 2, build.getValue())) {
                for (Query query : queries) {
                    exact.add(places(OneSegment.nearest(home, collection, model.embedQuery(query.text()), 10)));
                }
            }
            try (CollectionReader reader = Engine.forReading(home, new EmbeddedTarget(home, 16)).openReader(collection)) {
                for (Query query : queries) {
                    hybrid.add(places(search(reader, query, SearchMode.HYBRID)));
                    vector.add(places(search(reader, query, SearchMode.VECTOR)));
                }
            }
            answers.put(build.getKey() + " hybrid", hybrid);
            answers.put(build.getKey() + " vector", vector);
            answers.put(build.getKey() + " exact", exact);
        }
        System.out.println("| build, mode | file R@10 | file MRR@10 | span R@1 | span R@10 | span MRR@10"
                + " | span R@10, tight | lines a hit |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Map.Entry<String, List<List<Place>>> entry : answers.entrySet()) {
            row(entry.getKey(), queries, entry.getValue());
        }
        System.out.println();
        System.out.println("span rank per query: " + String.join(" / ", answers.keySet()));
        for (int i = 0; i < queries.size(); i++) {
            List<String> ranks = new ArrayList<>();
            for (List<List<Place>> answer : answers.values()) {
                int rank = spanRank(queries.get(i), answer.get(i));
                ranks.add(rank == 0 ? "-" : "#" + rank);
            }
            System.out.printf("# %s | %s | %s%n", queries.get(i).text(), queries.get(i).targets().get(0).label(),
                    String.join(" ", ranks));
        }
    }

    private static List<SearchHit> search(CollectionReader reader, Query query, SearchMode mode) {
        return reader.search(new SearchQuery(query.text(), 10, mode, Optional.empty(), Optional.empty())).hits();
    }

    private static List<Place> places(List<SearchHit> hits) {
        List<Place> out = new ArrayList<>();
        for (SearchHit hit : hits.subList(0, Math.min(10, hits.size()))) {
            // A hit's copies are shown with it: each is one of the hit's own places.
            List<Spot> spots = new ArrayList<>();
            spots.add(new Spot(hit.path(), hit.startLine(), hit.endLine()));
            for (SearchHit.Copy copy : hit.copies()) {
                spots.add(new Spot(copy.path(), copy.startLine(), copy.endLine()));
            }
            out.add(new Place(spots));
        }
        return out;
    }

    /** 1-based rank among the first ten hits of the first hit over a target's lines; 0 if none. */
    private static int spanRank(Query query, List<Place> answer) {
        return spanRank(query, answer, false);
    }

    /**
     * As above; {@code tight}: only a hit at least half of whose lines are the target's counts, so
     * that a longer hit over several definitions does not count for each of them.
     */
    private static int spanRank(Query query, List<Place> answer, boolean tight) {
        for (int i = 0; i < answer.size(); i++) {
            for (Spot spot : answer.get(i).spots()) {
                for (Target target : query.targets()) {
                    int overlap = Math.min(spot.endLine(), target.endLine())
                            - Math.max(spot.startLine(), target.startLine()) + 1;
                    int lines = spot.endLine() - spot.startLine() + 1;
                    if (spot.path().equals(target.path()) && overlap > 0 && (!tight || 2 * overlap >= lines)) {
                        return i + 1;
                    }
                }
            }
        }
        return 0;
    }

    /** 1-based rank among the first ten distinct files (a hit's own path first) of a target's file; 0 if none. */
    private static int fileRank(Query query, List<Place> answer) {
        List<String> seen = new ArrayList<>();
        for (Place place : answer) {
            for (Spot spot : place.spots()) {
                if (seen.contains(spot.path())) {
                    continue;
                }
                seen.add(spot.path());
                if (seen.size() > 10) {
                    return 0;
                }
                for (Target target : query.targets()) {
                    if (spot.path().equals(target.path())) {
                        return seen.size();
                    }
                }
            }
        }
        return 0;
    }

    private static void row(String name, List<Query> queries, List<List<Place>> answers) {
        double fileR10 = 0;
        double fileMrr = 0;
        double spanR1 = 0;
        double spanR10 = 0;
        double spanMrr = 0;
        double tight = 0;
        double lines = 0;
        int hits = 0;
        for (int i = 0; i < queries.size(); i++) {
            tight += spanRank(queries.get(i), answers.get(i), true) > 0 ? 1 : 0;
            for (Place place : answers.get(i)) {
                lines += place.spots().get(0).endLine() - place.spots().get(0).startLine() + 1;
                hits++;
            }
            int file = fileRank(queries.get(i), answers.get(i));
            int span = spanRank(queries.get(i), answers.get(i));
            fileR10 += file > 0 ? 1 : 0;
            fileMrr += file > 0 ? 1.0 / file : 0;
            spanR1 += span == 1 ? 1 : 0;
            spanR10 += span > 0 ? 1 : 0;
            spanMrr += span > 0 ? 1.0 / span : 0;
        }
        int n = queries.size();
        System.out.printf("| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.1f |%n", name, fileR10 / n, fileMrr / n,
                spanR1 / n, spanR10 / n, spanMrr / n, tight / n, lines / Math.max(1, hits));
    }

    private static List<String[]> lines(Path file) throws Exception {
        List<String[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                out.add(line.split("\t"));
            }
        }
        return out;
    }

    private static List<Query> resolve(CollectionReader reader, List<String[]> raw) {
        List<Query> queries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String[] line : raw) {
            List<Target> targets = new ArrayList<>();
            for (String spec : line[1].split("\\|")) {
                String path = spec.substring(0, spec.indexOf('#'));
                String rest = spec.substring(spec.indexOf('#') + 1);
                String name = rest.contains("(") ? rest.substring(0, rest.indexOf('(')) : rest;
                String part = rest.contains("(") ? rest.substring(rest.indexOf('(') + 1, rest.lastIndexOf(')')) : null;
                List<Symbol> matches = new ArrayList<>();
                for (Navigation.Entry entry : reader.navigation().outline(path).entries()) {
                    collect(entry, name, part, matches);
                }
                if (matches.size() != 1) {
                    problems.add(spec + ": " + matches.size() + " definitions " + matches.stream()
                            .map(s -> s.startLine() + " " + s.signature()).toList());
                    continue;
                }
                Symbol symbol = matches.get(0);
                targets.add(new Target(path, symbol.startLine(), symbol.endLine(), spec));
            }
            queries.add(new Query(line[0], targets));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("targets that name no single definition:\n" + String.join("\n", problems));
        }
        return queries;
    }

    private static void collect(Navigation.Entry entry, String name, String part, List<Symbol> out) {
        Symbol symbol = entry.symbol();
        String qualified = symbol.containers().isEmpty() ? symbol.name()
                : symbol.containers().get(symbol.containers().size() - 1) + "." + symbol.name();
        boolean named = name.contains(".") ? qualified.equals(name) : symbol.name().equals(name);
        if (named && (part == null || symbol.signature().contains(part))) {
            out.add(symbol);
        }
        for (Navigation.Entry child : entry.children()) {
            collect(child, name, part, out);
        }
    }
}
