package dev.indexer.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.indexer.IndexerException;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexerConfig;
import dev.indexer.embed.ModelSpec;
import dev.indexer.embed.djl.DjlEmbedder;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.PathGlob;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import dev.indexer.store.SearchRequest;
import dev.indexer.store.VectorStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "search", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Find the chunks of a collection that best answer QUERY: by meaning and by words (hybrid, the",
            "default), by meaning only (vector) or by words only (lexical).",
            "With --queries FILE, answer one query per line, one JSON line each."})
final class SearchCommand implements Callable<Integer> {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final int SNIPPET_LINES = 3;
    private static final int SNIPPET_WIDTH = 100;

    private final CliContext context;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "QUERY", description = "What to look for, in plain words or code.")
    String query;

    @Option(names = "--queries", paramLabel = "FILE",
            description = "Answer each line of FILE as a query (blank lines and lines starting with # are skipped),"
                    + " printing one JSON object per query: {\"query\": ..., \"hits\": [...]}. The model loads once.")
    Path queries;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "hybrid",
            description = "hybrid (vector and lexical results fused by reciprocal rank), vector (meaning) or lexical"
                    + " (BM25 over code-aware words: names split at camelCase, snake_case and dots). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--lang", paramLabel = "LANG", description = "Only chunks in this language: java, python, typescript...")
    String language;

    @Option(names = "--path", paramLabel = "GLOB",
            description = "Only files whose path matches GLOB: '*.py' (any directory), 'src/**', 'src/**/*Test.java'.")
    String pathGlob;

    @Mixin
    QdrantOptions qdrant;

    @Mixin
    StoreOptions store;

    @Option(names = {"-k", "--top"}, paramLabel = "K", defaultValue = "10",
            description = "How many results. Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--json", description = "One JSON object per result, one per line.")
    boolean json;

    SearchCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        CommandLine commandLine = spec.commandLine();
        if (k < 1 || k > 1000) {
            throw new CommandLine.ParameterException(commandLine, "-k must be from 1 to 1000, was " + k);
        }
        if ((query == null) == (queries == null)) {
            throw new CommandLine.ParameterException(commandLine, "give either QUERY or --queries FILE");
        }
        if (query != null && query.isBlank()) {
            throw new CommandLine.ParameterException(commandLine, "QUERY is empty");
        }
        SearchMode searchMode;
        Optional<PathGlob> glob;
        try {
            searchMode = SearchMode.byId(mode);
            glob = Optional.ofNullable(pathGlob).map(PathGlob::of);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
        List<String> texts = queries == null ? List.of(query) : readQueries(queries);
        String collection = store.collection(commandLine);
        IndexHome home = store.home(context.env());
        StoreTarget target = StoreTarget.of(qdrant, home, context, commandLine);
        try (VectorStore vectors = target.openForReading(collection)) {
            CollectionInfo info = vectors.info();
            // Lexical search needs no model: no start-up cost, no model memory.
            Optional<DjlEmbedder> embedder = searchMode == SearchMode.LEXICAL ? Optional.empty()
                    : Optional.of(DjlEmbedder.open(modelOf(info), IndexerConfig.CHUNK_TOKENS,
                            Runtime.getRuntime().availableProcessors(), home.dir()));
            try {
                for (String text : texts) {
                    float[] vector = embedder.map(e -> e.embedQuery(text)).orElse(null);
                    List<SearchHit> hits = vectors.search(new SearchRequest(
                            text, vector, k, searchMode, Optional.ofNullable(language), glob));
                    if (queries != null) {
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("query", text);
                        line.put("hits", hits.stream().map(h -> row(info, h)).toList());
                        context.out().println(GSON.toJson(line));
                    } else {
                        print(context.out(), info, hits, searchMode);
                    }
                }
            } finally {
                embedder.ifPresent(DjlEmbedder::close);
            }
        }
        context.out().flush();
        return ExitCodes.OK;
    }

    private static List<String> readQueries(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IndexerException("Cannot read the queries file " + file + "; give a readable file with one query"
                    + " per line.");
        }
        try (var lines = Files.lines(file)) {
            return lines.map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
    }

    private static ModelSpec modelOf(CollectionInfo info) {
        try {
            return ModelSpec.byId(info.model());
        } catch (IllegalArgumentException e) {
            throw new IndexerException("Collection '" + info.name() + "' was built with model " + info.model()
                    + ", which this version does not have; index it again with --model " + ModelSpec.ids() + ".");
        }
    }

    private static Map<String, Object> row(CollectionInfo info, SearchHit hit) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("path", hit.path());
        row.put("file", info.root().isEmpty() ? hit.path() : Path.of(info.root()).resolve(hit.path()).toString());
        row.put("startLine", hit.startLine());
        row.put("endLine", hit.endLine());
        row.put("score", Math.round(hit.score() * 100000) / 100000.0);
        row.put("language", hit.language());
        row.put("symbol", hit.symbol());
        row.put("kind", hit.kind());
        row.put("container", hit.container());
        row.put("text", hit.text());
        return row;
    }

    private void print(PrintWriter out, CollectionInfo info, List<SearchHit> hits, SearchMode searchMode) {
        for (SearchHit hit : hits) {
            if (json) {
                out.println(GSON.toJson(row(info, hit)));
            } else {
                // Fused scores are small (1/61 at best per list): they need a digit more.
                String score = String.format(Locale.ROOT, searchMode == SearchMode.HYBRID ? "%.4f" : "%.3f", hit.score());
                String symbol = hit.symbol().isEmpty() ? "" : "  " + hit.kind() + " " + hit.symbol()
                        + (hit.container().isEmpty() ? "" : " in " + hit.container());
                out.printf(Locale.ROOT, "%s:%d-%d  %s%s%n", hit.path(), hit.startLine(), hit.endLine(), score, symbol);
                for (String line : snippet(hit.text())) {
                    out.println("    " + line);
                }
                out.println();
            }
        }
        if (hits.isEmpty() && !json) {
            out.println("No results in collection '" + info.name() + "'"
                    + (language != null || pathGlob != null ? " with these filters." : "."));
        }
        out.flush();
    }

    /** The first few non-blank lines, shortened, with common indentation removed. */
    static List<String> snippet(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).limit(SNIPPET_LINES).toList();
        int indent = lines.stream().mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream()
                .map(l -> l.substring(indent).stripTrailing())
                .map(l -> l.length() > SNIPPET_WIDTH ? l.substring(0, SNIPPET_WIDTH - 3) + "..." : l)
                .toList();
    }
}
