package dev.indexer.eval;

import dev.indexer.chunk.Chunk;
import dev.indexer.chunk.ChunkingOptions;
import dev.indexer.config.ChunkerKind;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.Defaults;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.ModelSpec;
import dev.indexer.config.Rebuild;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.engine.CollectionWriter;
import dev.indexer.engine.Engine;
import dev.indexer.navigate.NavigationReader;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.pipeline.RunSummary;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.Fusions;
import dev.indexer.store.HybridSearch;
import dev.indexer.store.Landing;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import dev.indexer.store.SearchRequest;
import dev.indexer.store.StoreReader;
import dev.indexer.store.local.EmbeddedTarget;
import dev.indexer.store.local.OneSegment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.lucene.util.VectorUtil;

/**
 * The search-quality experiments of issue 12: CodeSearchNet-style evaluation sets from the
 * multi-language corpus ({@code scripts/eval-corpus}), several ways of cutting code into chunks,
 * and several ways of fusing and presenting hits, all scored on one set of queries. Each query's
 * vector and lexical candidate lists are fetched once per collection; every fusion is computed from
 * them, so trying a fusion costs no model time.
 *
 * <p>Usage: {@code QualityEval CORPUS WORK HALF LANGS MODELS SHAPES [FILES QUERIES]}, e.g.
 * {@code QualityEval /tmp/indexer-corpus /tmp/quality tune java,python bge-small packed,split 150 200}.
 * Prints one Markdown row per language, model, shape and way of searching.
 */
public final class QualityEval {
    private static final long SEED = 20261201;
    /** Candidates fetched from each list: what hybrid search fetches for ten hits. */
    private static final int CANDIDATES = 50;

    private QualityEval() {}

    /** The ways of cutting code that the experiments compare, by name. */
    static UnaryOperator<ChunkingOptions> shape(String name) {
        if (name.equals("default")) {
            return UnaryOperator.identity();
        }
        // Shapes without a size in their name have 254 tokens, as much as the model takes: the
        // default when these experiments were run (the tables in docs/benchmarks.md name them so).
        UnaryOperator<ChunkingOptions> shape = cut(name);
        return o -> shape.apply(o.withMaxTokens(254));
    }

    private static UnaryOperator<ChunkingOptions> cut(String name) {
        ChunkingOptions.HeaderStyle full = ChunkingOptions.HeaderStyle.SIGNATURES;
        return switch (name) {
            case "packed" -> o -> o.withShape(ChunkingOptions.SyntaxShape.PACKED);
            case "split" -> o -> o.withShape(new ChunkingOptions.SyntaxShape(true, 0, full));
            case "split-pack32" -> o -> o.withShape(new ChunkingOptions.SyntaxShape(true, 32, full));
            case "split-pack64" -> o -> o.withShape(new ChunkingOptions.SyntaxShape(true, 64, full));
            case "split-pack128" -> o -> o.withShape(new ChunkingOptions.SyntaxShape(true, 128, full));
            case "split-path" -> o -> o.withShape(new ChunkingOptions.SyntaxShape(true, 64,
                    ChunkingOptions.HeaderStyle.PATH));
            case "split-bare" -> o -> o.withShape(new ChunkingOptions.SyntaxShape(true, 64,
                    ChunkingOptions.HeaderStyle.NONE));
            case "split-128" -> o -> o.withShape(new ChunkingOptions.SyntaxShape(true, 64, full)).withMaxTokens(128);
            case "packed-128" -> o -> o.withShape(ChunkingOptions.SyntaxShape.PACKED).withMaxTokens(128);
            case "packed-path" -> o -> o.withShape(ChunkingOptions.SyntaxShape.PACKED.withHeader(
                    ChunkingOptions.HeaderStyle.PATH));
            case "packed-bare" -> o -> o.withShape(ChunkingOptions.SyntaxShape.PACKED.withHeader(
                    ChunkingOptions.HeaderStyle.NONE));
            case "lines" -> o -> o.withLineWindows();
            case "lines-128" -> o -> o.withLineWindows().withMaxTokens(128);
            default -> throw new IllegalArgumentException("unknown shape " + name);
        };
    }

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args[0]);
        Path work = Path.of(args[1]);
        String half = args[2];
        List<String> languages = List.of(args[3].split(","));
        List<String> models = List.of(args[4].split(","));
        List<String> shapes = List.of(args[5].split(","));
        int files = args.length > 6 ? Integer.parseInt(args[6]) : 150;
        int maxQueries = args.length > 7 ? Integer.parseInt(args[7]) : 200;
        IndexHome home = new IndexHome(work.resolve("home"));
        // -Dvariants=vector+merge,lexical+merge,rrf+merge: only those rows (what the three modes do).
        List<String> chosen = System.getProperty("variants", "").isBlank() ? List.of()
                : List.of(System.getProperty("variants").split(","));
        System.out.println("| language | half | queries | model | shape | chunks | tokens/file | search |"
                + " file R@10 | file MRR@10 | span R@10 | span MRR@10 |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String language : languages) {
            EvalSetBuilder.EvalSet set = evalSet(corpus.resolve(language).resolve(half),
                    work.resolve("sets").resolve(language + "-" + half), files, maxQueries);
            for (String model : models) {
                ModelSpec spec = ModelSpec.byId(model);
                MemoryBudget planned = MemoryBudget.plan(1L << 30, 256L << 20, spec);
                // -Dbatchtokens=N: other model calls for the same texts. The int8 model quantizes each
                // call's activations with one scale, so a text's vector depends a little on the texts
                // it is embedded with: this measures what that alone moves (docs/benchmarks.md).
                MemoryBudget memory = new MemoryBudget(planned.total(), planned.heap(),
                        Integer.getInteger("batchtokens", planned.embedBatchTokens()), planned.queueBytes(),
                        planned.luceneBufferMB());
                if (Integer.getInteger("batchtokens") != null) {
                    System.out.println("model calls of " + memory.embedBatchTokens() + " tokens, not "
                            + planned.embedBatchTokens());
                }
                for (String shape : shapes) {
                    Engine engine = new Engine(home, new EmbeddedTarget(home, memory.luceneBufferMB()), memory, 2,
                            OnnxEmbedder.factory(home.dir())).withChunking(shape(shape));
                    String name = (language + "-" + half + "-" + model + "-" + shape).replace('_', '-');
                    long chunks;
                    double tokensPerFile;
                    try (CollectionWriter collection = engine.openWriter(name,
                            new CollectionSpec(spec, ChunkerKind.SYNTAX), Rebuild.NO)) {
                        RunSummary run = collection.index(set.code(), IndexOptions.DEFAULTS, ProgressListener.NONE,
                                new Cancellation());
                        chunks = collection.reader().totals().orElseThrow().chunks();
                        tokensPerFile = tokensPerFile(run);
                    }
                    OneSegment.merge(home, name);
                    Map<EvalQuery, Lists> lists = new LinkedHashMap<>();
                    // The store's own lists, before any joining of pieces: the variants do that.
                    try (StoreReader store = new EmbeddedTarget(home, 16).openReader(name);
                            OnnxEmbedder queries = OnnxEmbedder.open(spec, Defaults.MODEL_INPUT_TOKENS, 2, home.dir())) {
                        for (EvalQuery q : set.queries()) {
                            float[] vector = queries.embedQuery(q.text());
                            lists.put(q, new Lists(
                                    OneSegment.nearest(home, name, vector, CANDIDATES),
                                    store.searchOne(new SearchRequest(q.text(), null, CANDIDATES,
                                            SearchMode.LEXICAL, Optional.empty(), Optional.empty()))));
                        }
                    }
                    Map<String, Fusions.Variant> variants = new LinkedHashMap<>(Fusions.variants());
                    // -Dsplit=0.3,0.5 [-Dmixed=true]: the header-apart experiment (see splitVariants).
                    String split = System.getProperty("split", "");
                    if (!split.isBlank()) {
                        splitVariants(home, name, spec, set.queries(), split, variants);
                    }
                    HybridSearch shipped = new HybridSearch(1);
                    // What the three search modes do, through the production code, on the same lists.
                    for (SearchMode mode : SearchMode.values()) {
                        variants.put("mode:" + mode.id(), (q, vec, lex, k) -> shipped.search(new Replay(vec, lex),
                                new SearchRequest(q, () -> new float[0], k, mode, Optional.empty(),
                                        Optional.empty(), spec.hybridVectorWeight())));
                    }
                    // -Dlanding=0.5:2,0.3:1: hits landed on definitions (Landing), text weight : name weight.
                    String landings = System.getProperty("landing", "");
                    NavigationReader navigation = landings.isBlank() ? null
                            : NavigationReader.open(home.repoDir(name), set.code().toAbsolutePath()).orElseThrow();
                    for (String l : landings.isBlank() ? new String[0] : landings.split(",")) {
                        String[] p = l.split(":");
                        HybridSearch landed = new HybridSearch(1, new Landing(Double.parseDouble(p[0]),
                                Integer.parseInt(p[1])));
                        for (SearchMode mode : SearchMode.values()) {
                            variants.put("land" + l + ":" + mode.id(), (q, vec, lex, k) -> landed.search(
                                    new Replay(vec, lex), new SearchRequest(q, () -> new float[0], k, mode,
                                            Optional.empty(), Optional.empty(), spec.hybridVectorWeight()),
                                    Optional.empty(), (repo, path) -> navigation.definitions(path)).hits());
                        }
                    }
                    // -Dlandmeaning=0.5,1.0: landing with definitions' own vectors, made here (cached per
                    // text), that share of the text score: what per-definition vectors would give.
                    String meanings = System.getProperty("landmeaning", "");
                    OnnxEmbedder definitionModel = meanings.isBlank() ? null
                            : OnnxEmbedder.open(spec, Defaults.MODEL_INPUT_TOKENS, 2, home.dir());
                    Map<String, float[]> madeVectors = new HashMap<>();
                    Landing.Meaning meaning = (query, texts) -> {
                        float[] q = madeVectors.computeIfAbsent("\u0000query:" + query, t -> definitionModel.embedQuery(query));
                        List<String> missing = texts.stream().distinct().filter(t -> !madeVectors.containsKey(t)).toList();
                        for (int from = 0; from < missing.size(); from += 16) {
                            List<String> batch = missing.subList(from, Math.min(missing.size(), from + 16));
                            float[][] made = definitionModel.embedDocuments(batch);
                            for (int i = 0; i < batch.size(); i++) {
                                madeVectors.put(batch.get(i), made[i]);
                            }
                        }
                        return texts.stream().mapToDouble(t -> VectorUtil.dotProduct(q, madeVectors.get(t))).toArray();
                    };
                    for (String m : meanings.isBlank() ? new String[0] : meanings.split(",")) {
                        HybridSearch landed = new HybridSearch(1, new Landing(0.4, 2, meaning, Double.parseDouble(m)));
                        for (SearchMode mode : new SearchMode[] {SearchMode.HYBRID}) {
                            variants.put("landmeaning" + m + ":" + mode.id(), (q, vec, lex, k) -> landed.search(
                                    new Replay(vec, lex), new SearchRequest(q, () -> new float[0], k, mode,
                                            Optional.empty(), Optional.empty(), spec.hybridVectorWeight()),
                                    Optional.empty(), (repo, path) -> navigation.definitions(path)).hits());
                        }
                    }
                    // Hybrid search as it ships, with other weights of the vector list: to choose the weight.
                    for (double w : new double[] {0.3, 0.4, 0.5, 0.6, 0.7}) {
                        variants.put(String.format(Locale.ROOT, "hybrid-w%.1f", w), (q, vec, lex, k) ->
                                shipped.search(new Replay(vec, lex), new SearchRequest(q, () -> new float[0], k,
                                        SearchMode.HYBRID, Optional.empty(), Optional.empty(), w)));
                    }
                    for (Map.Entry<String, Fusions.Variant> variant : variants.entrySet()) {
                        if (!chosen.isEmpty() && !chosen.contains(variant.getKey())) {
                            continue;
                        }
                        Comparison.Scores s = Evaluation.score(set.queries(), q -> {
                            Lists l = lists.get(q);
                            return variant.getValue().hits(q.text(), l.vector(), l.lexical(), 10);
                        });
                        System.out.printf(Locale.ROOT,
                                "| %s | %s | %d | %s | %s | %,d | %,.0f | %s | %.3f | %.3f | %.3f | %.3f |%n",
                                language, half, s.queries(), model, shape, chunks, tokensPerFile,
                                variant.getKey(), s.fileRecallAt10(), s.fileMrrAt10(), s.spanRecallAt10(),
                                s.spanMrrAt10());
                    }
                    System.out.flush();
                    String misses = System.getProperty("misses", "");
                    if (!misses.isBlank()) {
                        writeMisses(Path.of(misses).resolve(name + ".txt"), set.queries(), q -> {
                            Lists l = lists.get(q);
                            // -Dmissvariant=land0.4:2:hybrid: the misses of another variant
                            return variants.get(System.getProperty("missvariant", "mode:hybrid")).hits(q.text(),
                                    l.vector(), l.lexical(), 10);
                        });
                    }
                    if (navigation != null) {
                        navigation.close();
                    }
                    if (definitionModel != null) {
                        definitionModel.close();
                    }
                }
            }
        }
    }

    /**
     * The queries whose file hybrid search found in the top 10 but not the function: the query, the
     * function's lines, and the hits, to read why the span was missed (-Dmisses=DIR).
     */
    private static void writeMisses(Path file, List<EvalQuery> queries,
            Function<EvalQuery, List<SearchHit>> search) throws IOException {
        List<String> out = new ArrayList<>();
        for (EvalQuery q : queries) {
            List<SearchHit> hits = search.apply(q);
            boolean file10 = hits.stream().anyMatch(h -> h.path().equals(q.path())
                    || h.copies().stream().anyMatch(c -> c.path().equals(q.path())));
            boolean span10 = hits.stream().anyMatch(h -> q.overlaps(h.path(), h.startLine(), h.endLine())
                    || h.copies().stream().anyMatch(c -> q.overlaps(c.path(), c.startLine(), c.endLine())));
            // -Dfilemisses=true: the queries whose file was not found instead; -Dallqueries=true: every query.
            if (Boolean.getBoolean("allqueries") || (Boolean.getBoolean("filemisses") ? !file10 : file10 && !span10)) {
                out.add("Q: " + q.text());
                out.add("   want " + q.path() + ":" + q.firstLine() + "-" + q.lastLine() + " " + q.name());
                for (SearchHit h : hits) {
                    out.add(String.format(Locale.ROOT, "   %s %s:%d-%d %s%s", h.path().equals(q.path()) ? "*" : " ",
                            h.path(), h.startLine(), h.endLine(), h.symbol(),
                            h.copies().isEmpty() ? "" : " (" + h.copiesLine(false) + ")"));
                }
            }
        }
        Files.createDirectories(file.getParent());
        Files.write(file, out, StandardCharsets.UTF_8);
    }

    /**
     * The header-apart experiment (docs/benchmarks.md, issue 22): each chunk's text and header
     * embedded as two inputs, each distinct one once, the chunk's vector their sum with the header
     * at each of {@code weights}, at unit length; exact vector lists from those, then the shipped
     * fusion. Rows {@code split-hW:vector} and {@code split-hW:hybrid}.
     */
    private static void splitVariants(IndexHome home, String name, ModelSpec spec, List<EvalQuery> queries,
            String weights, Map<String, Fusions.Variant> variants) throws IOException {
        List<OneSegment.Stored> chunks = OneSegment.chunks(home, name);
        Map<String, float[]> embedded = new HashMap<>();
        // "mixed": a header that is only a path (no signatures) is embedded with its text, as before.
        boolean mixed = Boolean.getBoolean("mixed");
        Predicate<OneSegment.Stored> joint = c -> mixed && !c.header().contains("\n");
        // "sigapart": the path stays with the text, only the signatures line goes apart.
        boolean sigApart = Boolean.getBoolean("sigapart");
        Function<OneSegment.Stored, List<String>> parts = c -> {
            int newline = c.header().indexOf('\n');
            if (joint.test(c) || (sigApart && newline < 0)) {
                return List.of(c.header().isEmpty() ? c.text() : c.header() + "\n" + c.text());
            }
            return sigApart
                    ? List.of(c.header().substring(0, newline) + "\n" + c.text(), c.header().substring(newline + 1))
                    : List.of(c.text(), c.header());
        };
        List<String> distinct = chunks.stream().flatMap(c -> parts.apply(c).stream())
                .filter(t -> !t.isEmpty()).distinct().sorted(Comparator.comparingInt(String::length)).toList();
        long chars = 0;
        // -Dinputtokens=N: each input cut to its first N tokens (special tokens included).
        try (OnnxEmbedder model = OnnxEmbedder.open(spec, Integer.getInteger("inputtokens", Defaults.MODEL_INPUT_TOKENS),
                2, home.dir())) {
            for (int from = 0; from < distinct.size(); from += 16) {
                List<String> batch = distinct.subList(from, Math.min(distinct.size(), from + 16));
                float[][] vectors = model.embedDocuments(batch);
                for (int i = 0; i < batch.size(); i++) {
                    embedded.put(batch.get(i), vectors[i]);
                    chars += batch.get(i).length();
                }
            }
            long tokens = 0;
            for (int count : model.tokenCounter().countLines(distinct)) {
                tokens += Math.min(count + model.specialTokens(), model.maxTokens());
            }
            System.err.printf("split: %d chunks, %d distinct inputs, %d characters, %d tokens read%n", chunks.size(),
                    distinct.size(), chars, tokens);
            Map<EvalQuery, float[]> queryVectors = new LinkedHashMap<>();
            for (EvalQuery q : queries) {
                queryVectors.put(q, model.embedQuery(q.text()));
            }
            for (String w : weights.split(",")) {
                double weight = Double.parseDouble(w);
                float[][] vectors = new float[chunks.size()][];
                for (int i = 0; i < chunks.size(); i++) {
                    OneSegment.Stored c = chunks.get(i);
                    List<String> own = parts.apply(c);
                    float[] text = embedded.get(own.get(0));
                    float[] header = own.size() > 1 ? embedded.get(own.get(1)) : null;
                    // -Dpathweight=W: a header that is only a path weighs W instead.
                    double headerWeight = c.header().contains("\n") ? weight
                            : Double.parseDouble(System.getProperty("pathweight", Double.toString(weight)));
                    float[] v = new float[text.length];
                    for (int d = 0; d < v.length; d++) {
                        v[d] = (float) (text[d] + (header == null ? 0 : headerWeight * header[d]));
                    }
                    vectors[i] = Chunk.unitLength(v);
                }
                Map<EvalQuery, List<SearchHit>> vectorLists = new LinkedHashMap<>();
                for (EvalQuery q : queries) {
                    float[] query = queryVectors.get(q);
                    Integer[] order = new Integer[chunks.size()];
                    float[] scores = new float[chunks.size()];
                    for (int i = 0; i < order.length; i++) {
                        order[i] = i;
                        scores[i] = VectorUtil.dotProduct(query, vectors[i]);
                    }
                    Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
                    List<SearchHit> top = new ArrayList<>();
                    for (int i = 0; i < Math.min(CANDIDATES, order.length); i++) {
                        top.add(chunks.get(order[i]).hit().withScore(scores[order[i]]));
                    }
                    vectorLists.put(q, top);
                }
                HybridSearch shipped = new HybridSearch(1);
                for (SearchMode mode : new SearchMode[] {SearchMode.VECTOR, SearchMode.HYBRID}) {
                    variants.put("split-h" + w + ":" + mode.id(), (q, vec, lex, k) -> {
                        EvalQuery query = queries.stream().filter(e -> e.text().equals(q)).findFirst().orElseThrow();
                        return shipped.search(new Replay(vectorLists.get(query), lex), new SearchRequest(q,
                                () -> new float[0], k, mode, Optional.empty(), Optional.empty(), spec.hybridVectorWeight()));
                    });
                }
            }
        }
    }

    /** Tokens embedded per file of the set: what each choice costs in model time. */
    private static double tokensPerFile(RunSummary run) {
        return run.chunks().tokens() > 0 ? (double) run.chunks().tokens() / Math.max(1, run.files().indexed())
                : Double.NaN; // an earlier run built it: the number is in that run's row
    }

    private static List<SearchHit> top(List<SearchHit> hits, int k) {
        return hits.subList(0, Math.min(k, hits.size()));
    }

    private record Lists(List<SearchHit> vector, List<SearchHit> lexical) {}

    /** A store that answers with lists fetched before: the production search path replayed on them. */
    private record Replay(List<SearchHit> vector, List<SearchHit> lexical) implements StoreReader {
        @Override
        public CollectionInfo info() {
            throw new UnsupportedOperationException("a replay has no collection");
        }

        @Override
        public long count() {
            return 0;
        }

        @Override
        public List<SearchHit> searchOne(SearchRequest request) {
            return top(request.mode() == SearchMode.VECTOR ? vector : lexical, request.k());
        }

        @Override
        public java.util.Map<String, Chunk> withoutVectors(Collection<String> ids) {
            return java.util.Map.of(); // every chunk of an evaluation collection has its vector
        }

        @Override
        public java.util.Map<String, float[]> vectorsOf(Collection<String> ids) {
            return java.util.Map.of(); // the vector list replayed is exact: nothing it missed to put back
        }

        @Override
        public void close() {}
    }



    /** The evaluation set, built once into {@code dir} and read back on later runs. */
    private static EvalSetBuilder.EvalSet evalSet(Path source, Path dir, int files, int maxQueries)
            throws IOException {
        Path code = dir.resolve("code");
        Path saved = dir.resolve("queries.tsv");
        if (Files.exists(saved)) {
            List<EvalQuery> queries = new ArrayList<>();
            for (String line : Files.readAllLines(saved, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", 5);
                queries.add(new EvalQuery(f[4], f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3]));
            }
            int count;
            try (var walk = Files.walk(code)) {
                count = (int) walk.filter(Files::isRegularFile).count();
            }
            return new EvalSetBuilder.EvalSet(code, queries, count);
        }
        Files.createDirectories(code);
        EvalSetBuilder.EvalSet set = EvalSetBuilder.build(source, code, files, maxQueries, SEED);
        List<String> lines = new ArrayList<>();
        for (EvalQuery q : set.queries()) {
            lines.add(q.path() + "\t" + q.firstLine() + "\t" + q.lastLine() + "\t" + q.name() + "\t"
                    + q.text().replace('\t', ' ').replace('\n', ' '));
        }
        Files.write(saved, lines, StandardCharsets.UTF_8);
        return set;
    }
}
