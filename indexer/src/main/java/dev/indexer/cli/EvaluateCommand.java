package dev.indexer.cli;

import com.google.gson.GsonBuilder;
import dev.indexer.IndexerException;
import dev.indexer.config.ChunkerKind;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.ModelSpec;
import dev.indexer.engine.CodeCollection;
import dev.indexer.engine.Engine;
import dev.indexer.eval.EvalSetBuilder;
import dev.indexer.eval.Evaluation;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.state.CollectionFiles;
import dev.indexer.store.SearchMode;
import dev.indexer.store.local.EmbeddedTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "evaluate", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        headerHeading = "", header = "Measure search quality on a codebase (CodeSearchNet-style).",
        description = {"Measure how well search finds code in PATH, CodeSearchNet-style: each documented function's",
            "first sentence of documentation is a query whose answer is the function; the code is indexed",
            "with every comment and docstring blanked out. Prints, for lexical, vector and hybrid search with",
            "each model and chunker: file R@10 and MRR@10 (a hit in the function's file) and span R@10 (a hit",
            "whose lines overlap the function)."})
final class EvaluateCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "The codebase (Java, Python, JavaScript, TypeScript, Go,"
            + " Rust, C, C++ files are used).")
    Path root;

    @Option(names = "--models", paramLabel = "MODEL,...", split = ",", defaultValue = "bge-small,minilm",
            description = "Models to compare. Default: ${DEFAULT-VALUE}.")
    List<String> models;

    @Option(names = "--chunkers", paramLabel = "KIND,...", split = ",", defaultValue = "syntax,lines",
            description = "Chunkers to compare. Default: ${DEFAULT-VALUE}.")
    List<String> chunkers;

    @Option(names = "--max-files", paramLabel = "N", defaultValue = "200",
            description = "Source files to index at most (a seeded random sample): indexing time grows with them."
                    + " Default: ${DEFAULT-VALUE}.")
    int maxFiles;

    @Option(names = "--max-queries", paramLabel = "N", defaultValue = "300",
            description = "Queries at most (a seeded random sample). Default: ${DEFAULT-VALUE}.")
    int maxQueries;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "20261121", description = "Seed of the samples.")
    long seed;

    @Option(names = "--work", paramLabel = "DIR",
            description = "Where the copy and the indexes go (kept). Default: a temporary directory, removed at the end.")
    Path work;

    @Option(names = "--json", description = "One JSON object per line: a model, chunker and mode each.")
    boolean json;

    @Option(names = "--markdown", description = "Rows of a Markdown table (codebase, model, chunker, mode, scores).")
    boolean markdown;

    EvaluateCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        CommandLine commandLine = spec.commandLine();
        if (!Files.isDirectory(root)) {
            throw new CommandLine.ParameterException(commandLine, "PATH is not a directory: " + root);
        }
        List<ModelSpec> modelSpecs = new ArrayList<>();
        List<ChunkerKind> chunkerKinds = new ArrayList<>();
        try {
            models.forEach(m -> modelSpecs.add(ModelSpec.byId(m)));
            chunkers.forEach(c -> chunkerKinds.add(ChunkerKind.byId(c)));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
        boolean temporary = work == null;
        Path dir = temporary ? Files.createTempDirectory("indexer-eval") : work.toAbsolutePath();
        try {
            Path copy = dir.resolve("code");
            if (Files.exists(copy)) {
                CollectionFiles.deleteContents(copy);
            }
            Files.createDirectories(copy);
            EvalSetBuilder.EvalSet set = EvalSetBuilder.build(root.toAbsolutePath(), copy, maxFiles, maxQueries, seed);
            if (set.queries().isEmpty()) {
                throw new IndexerException("No documented functions found in " + root + "; evaluation needs code whose"
                        + " functions have doc comments or docstrings.");
            }
            if (!json && !markdown) {
                context.out().printf(Locale.ROOT, "Evaluation of %s: %d queries from %d files (comments and docstrings"
                        + " blanked out of the indexed copy)%n", root, set.queries().size(), set.files());
                context.out().printf(Locale.ROOT, "%-10s %-7s %7s %7s  %-8s %8s %8s %8s%n",
                        "model", "chunker", "chunks", "index", "mode", "file R@10", "file MRR", "span R@10");
                context.out().flush();
            }
            for (ModelSpec model : modelSpecs) {
                for (ChunkerKind chunker : chunkerKinds) {
                    evaluate(set, dir.resolve("home"), model, chunker);
                }
            }
        } finally {
            if (temporary) {
                CollectionFiles.deleteContents(dir);
                Files.deleteIfExists(dir);
            }
        }
        return ExitCodes.OK;
    }

    private void evaluate(EvalSetBuilder.EvalSet set, Path home, ModelSpec model, ChunkerKind chunker) {
        String name = "eval-" + model.id() + "-" + chunker.id();
        IndexHome indexHome = IndexHome.resolve(Optional.of(home), context.env());
        MemoryBudget memory = MemoryPreflight.plan(Optional.empty(), model);
        // The evaluation measures search, on the embedded store, whatever QDRANT_URL says.
        Engine engine = Engine.standard(indexHome, new EmbeddedTarget(indexHome, memory.luceneBufferMB()), memory);
        long start = System.nanoTime();
        try (CodeCollection collection = engine.openForWriting(name, new CollectionSpec(model, chunker), true)) {
            collection.index(set.code(), IndexOptions.DEFAULTS, ProgressListener.NONE, new Cancellation());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            long chunks = collection.status(Optional.empty()).storeChunks();
            for (SearchMode mode : List.of(SearchMode.LEXICAL, SearchMode.VECTOR, SearchMode.HYBRID)) {
                Evaluation.Scores s = Evaluation.run(collection, set.queries(), mode);
                if (json) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("root", root.toString());
                    row.put("model", model.id());
                    row.put("chunker", chunker.id());
                    row.put("mode", mode.id());
                    row.put("queries", s.queries());
                    row.put("files", set.files());
                    row.put("chunks", chunks);
                    row.put("indexSeconds", took.toMillis() / 1000.0);
                    row.put("fileRecallAt10", round(s.fileRecallAt10()));
                    row.put("fileMrrAt10", round(s.fileMrrAt10()));
                    row.put("spanRecallAt10", round(s.spanRecallAt10()));
                    row.put("spanMrrAt10", round(s.spanMrrAt10()));
                    row.put("spanRecallAt1", round(s.spanRecallAt1()));
                    context.out().println(new GsonBuilder().create().toJson(row));
                } else if (markdown) {
                    context.out().printf(Locale.ROOT, "| %s | %d files, %d queries | %s | %s | %,d | %d:%02d | %s | %.3f | %.3f | %.3f |%n",
                            root.getFileName(), set.files(), s.queries(), model.id(), chunker.id(), chunks,
                            took.toMinutes(), took.toSecondsPart(), mode.id(), s.fileRecallAt10(), s.fileMrrAt10(),
                            s.spanRecallAt10());
                } else {
                    context.out().printf(Locale.ROOT, "%-10s %-7s %,7d %3d:%02d  %-8s %8.3f %8.3f %8.3f%n",
                            model.id(), chunker.id(), chunks, took.toMinutes(), took.toSecondsPart(), mode.id(),
                            s.fileRecallAt10(), s.fileMrrAt10(), s.spanRecallAt10());
                }
                context.out().flush();
            }
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
