package dev.indexer.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.stream.JsonReader;
import dev.indexer.TestVectors;
import dev.indexer.config.IndexHome;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.engine.CollectionReader;
import dev.indexer.engine.Engine;
import dev.indexer.engine.SearchQuery;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import dev.indexer.store.local.EmbeddedTarget;
import dev.indexer.store.local.OneSegment;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Benchmark only: search quality of this indexer and of the LangChain4j peer on the same queries.
 * Each query names the files that answer it; a system's answer is its hits' files, repeats dropped,
 * in rank order; the table gives file Recall@1, Recall@5 and MRR@10.
 *
 * <p>The peer's answers come from the store its ingestion saved ({@code store.json}, LangChain4j's
 * {@code InMemoryEmbeddingStore}): the query is embedded as the peer's own query path does (the
 * same bge-small model, no query prefix) and its segments ranked by cosine, as
 * {@code InMemoryEmbeddingStore.search} does. This indexer is searched as its users search it.
 *
 * <p>Usage: {@code PeerCompare QUERIES.tsv MARKER PEER_STORE.json INDEX_HOME COLLECTION}; MARKER is
 * the corpus root as it appears in the peer's absolute paths ({@code java/time/}), after which the
 * path is compared with the query's files.
 */
public final class PeerCompare {
    private PeerCompare() {}

    record Query(String text, Set<String> files) {}

    record Segment(String file, float[] vector) {}

    public static void main(String[] args) throws Exception {
        List<Query> queries = queries(Path.of(args[0]));
        String marker = args[1];
        Path home = Path.of(args[3]);
        String collection = args[4];
        List<Segment> peer = peerStore(Path.of(args[2]), marker);
        System.out.printf("%d queries; the peer's store: %d segments%n", queries.size(), peer.size());
        List<List<String>> peerAnswers = new ArrayList<>();
        // This indexer's vectors ranked exactly (every stored vector, no graph): what the vectors
        // themselves answer, apart from the luck of a build's graphs (docs/benchmarks.md).
        List<List<String>> exact = new ArrayList<>();
        IndexHome index = new IndexHome(home);
        try (OnnxEmbedder model = OnnxEmbedder.open(ModelSpec.BGE_SMALL, 256, 2, home)) {
            for (Query query : queries) {
                float[] q = model.embedDocuments(List.of(query.text()))[0];
                List<Segment> ranked = new ArrayList<>(peer);
                ranked.sort(Comparator.comparingDouble((Segment s) -> -TestVectors.cosine(q, s.vector())));
                peerAnswers.add(files(ranked.stream().limit(50).map(Segment::file).toList()));
                exact.add(files(OneSegment.nearest(index, collection, model.embedQuery(query.text()), 50).stream()
                        .map(SearchHit::path).toList()));
            }
        }
        List<List<String>> hybrid = new ArrayList<>();
        List<List<String>> vector = new ArrayList<>();
        try (CollectionReader reader = Engine.forReading(index, new EmbeddedTarget(index, 16)).openReader(collection)) {
            for (Query query : queries) {
                hybrid.add(files(ours(reader, query, SearchMode.HYBRID)));
                vector.add(files(ours(reader, query, SearchMode.VECTOR)));
            }
        }
        System.out.println("| system | file R@1 | file R@5 | file MRR@10 |");
        System.out.println("|---|---|---|---|");
        row("LangChain4j peer (its splitter, vector search)", queries, peerAnswers);
        row("indexer, hybrid (default)", queries, hybrid);
        row("indexer, vector", queries, vector);
        row("indexer, vector, exact (no graph)", queries, exact);
        for (int i = 0; i < queries.size(); i++) {
            System.out.printf("# %s | peer %s | hybrid %s | vector %s | exact %s%n", queries.get(i).text(),
                    rank(queries.get(i), peerAnswers.get(i)), rank(queries.get(i), hybrid.get(i)),
                    rank(queries.get(i), vector.get(i)), rank(queries.get(i), exact.get(i)));
        }
    }

    private static List<String> ours(CollectionReader reader, Query query, SearchMode mode) {
        return reader.search(new SearchQuery(query.text(), 30, mode, Optional.empty(), Optional.empty())).hits()
                .stream().map(SearchHit::path).toList();
    }

    private static List<String> files(List<String> hits) {
        return List.copyOf(new LinkedHashSet<>(hits));
    }

    private static String rank(Query query, List<String> answer) {
        for (int i = 0; i < Math.min(10, answer.size()); i++) {
            if (query.files().contains(answer.get(i))) {
                return "#" + (i + 1);
            }
        }
        return "-";
    }

    private static void row(String system, List<Query> queries, List<List<String>> answers) {
        double r1 = 0;
        double r5 = 0;
        double mrr = 0;
        for (int i = 0; i < queries.size(); i++) {
            List<String> answer = answers.get(i);
            for (int r = 0; r < Math.min(10, answer.size()); r++) {
                if (queries.get(i).files().contains(answer.get(r))) {
                    r1 += r == 0 ? 1 : 0;
                    r5 += r < 5 ? 1 : 0;
                    mrr += 1.0 / (r + 1);
                    break;
                }
            }
        }
        int n = queries.size();
        System.out.printf("| %s | %.3f | %.3f | %.3f |%n", system, r1 / n, r5 / n, mrr / n);
    }

    private static List<Query> queries(Path file) throws Exception {
        List<Query> queries = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\t");
            queries.add(new Query(parts[0], Set.of(parts[1].split("\\|"))));
        }
        return queries;
    }

    /** The peer's segments: the file each came from (below the marker) and its vector. */
    private static List<Segment> peerStore(Path json, String marker) throws Exception {
        List<Segment> segments = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(json, StandardCharsets.UTF_8); JsonReader reader = new JsonReader(in)) {
            reader.beginObject();
            while (reader.hasNext()) {
                if (!reader.nextName().equals("entries")) {
                    reader.skipValue();
                    continue;
                }
                reader.beginArray();
                while (reader.hasNext()) {
                    JsonObject entry = com.google.gson.JsonParser.parseReader(reader).getAsJsonObject();
                    JsonObject metadata = entry.getAsJsonObject("embedded").getAsJsonObject("metadata")
                            .getAsJsonObject("metadata");
                    String path = metadata.get("absolute_directory_path").getAsString() + "/"
                            + metadata.get("file_name").getAsString();
                    int at = path.indexOf(marker);
                    String file = at < 0 ? path : path.substring(at + marker.length());
                    List<Float> values = new ArrayList<>();
                    for (JsonElement v : entry.getAsJsonObject("embedding").getAsJsonArray("vector")) {
                        values.add(v.getAsFloat());
                    }
                    float[] vector = new float[values.size()];
                    for (int i = 0; i < vector.length; i++) {
                        vector[i] = values.get(i);
                    }
                    segments.add(new Segment(file, vector));
                }
                reader.endArray();
            }
            reader.endObject();
        }
        return segments;
    }
}
