package dev.indexer.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.indexer.IndexerException;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexerConfig;
import dev.indexer.embed.ModelSpec;
import dev.indexer.embed.djl.DjlEmbedder;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.SearchHit;
import dev.indexer.store.VectorStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "search", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Find the chunks of a collection closest in meaning to QUERY.")
final class SearchCommand implements Callable<Integer> {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final int SNIPPET_LINES = 3;
    private static final int SNIPPET_WIDTH = 100;

    private final CliContext context;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUERY", description = "What to look for, in plain words or code.")
    String query;

    @Mixin
    StoreOptions store;

    @Mixin
    QdrantOptions qdrant;

    @Option(names = {"-k", "--top"}, paramLabel = "K", defaultValue = "10",
            description = "How many results. Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--json", description = "One JSON object per result, one per line.")
    boolean json;

    SearchCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        CommandLine commandLine = spec.commandLine();
        if (k < 1 || k > 1000) {
            throw new CommandLine.ParameterException(commandLine, "-k must be from 1 to 1000, was " + k);
        }
        if (query.isBlank()) {
            throw new CommandLine.ParameterException(commandLine, "QUERY is empty");
        }
        String collection = store.collection(commandLine);
        IndexHome home = store.home(context.env());
        StoreTarget target = StoreTarget.of(qdrant, home, context, commandLine);
        try (VectorStore vectors = target.openForReading(collection)) {
            CollectionInfo info = vectors.info();
            ModelSpec model = modelOf(info);
            List<SearchHit> hits;
            try (DjlEmbedder embedder = DjlEmbedder.open(
                    model, IndexerConfig.CHUNK_TOKENS, Runtime.getRuntime().availableProcessors(), home.dir())) {
                hits = vectors.search(embedder.embedQuery(query), k);
            }
            print(context.out(), info, hits);
        }
        return ExitCodes.OK;
    }

    private static ModelSpec modelOf(CollectionInfo info) {
        try {
            return ModelSpec.byId(info.model());
        } catch (IllegalArgumentException e) {
            throw new IndexerException("Collection '" + info.name() + "' was built with model " + info.model()
                    + ", which this version does not have; index it again with --model " + ModelSpec.ids() + ".");
        }
    }

    private void print(PrintWriter out, CollectionInfo info, List<SearchHit> hits) {
        for (SearchHit hit : hits) {
            if (json) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("path", hit.path());
                row.put("file", info.root().isEmpty() ? hit.path() : Path.of(info.root()).resolve(hit.path()).toString());
                row.put("startLine", hit.startLine());
                row.put("endLine", hit.endLine());
                row.put("score", Math.round(hit.score() * 10000) / 10000.0);
                row.put("language", hit.language());
                row.put("text", hit.text());
                out.println(GSON.toJson(row));
            } else {
                out.printf(Locale.ROOT, "%s:%d-%d  %.3f%n", hit.path(), hit.startLine(), hit.endLine(), hit.score());
                for (String line : snippet(hit.text())) {
                    out.println("    " + line);
                }
                out.println();
            }
        }
        if (hits.isEmpty() && !json) {
            out.println("No results: collection '" + info.name() + "' is empty.");
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
