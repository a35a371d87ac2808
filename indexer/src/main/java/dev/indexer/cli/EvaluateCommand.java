package dev.indexer.cli;

import dev.indexer.config.ChunkerKind;
import dev.indexer.config.ModelSpec;
import dev.indexer.eval.Comparison;
import dev.indexer.json.Json;
import dev.indexer.state.CollectionFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "evaluate", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        headerHeading = "", header = "Measure search quality on a codebase (CodeSearchNet-style).",
        description = {"Measure how well search finds code in PATH, CodeSearchNet-style: the first sentence of each"
                + " documented function's documentation is a query whose answer is the function, and the code is"
                + " indexed with every comment and docstring blanked out.",
            "For lexical, vector and hybrid search with each model and chunker, it prints file R@10 and MRR@10 (a hit"
                + " in the function's file) and span R@10 (a hit whose lines overlap the function)."})
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
        List<ModelSpec> modelSpecs;
        List<ChunkerKind> chunkerKinds;
        try {
            modelSpecs = models.stream().map(ModelSpec::byId).toList();
            chunkerKinds = chunkers.stream().map(ChunkerKind::byId).toList();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
        boolean temporary = work == null;
        Path dir = temporary ? Files.createTempDirectory("indexer-eval") : work.toAbsolutePath();
        try {
            Comparison.run(root, dir, new Comparison.Sample(maxFiles, maxQueries, seed), modelSpecs, chunkerKinds,
                    new Printer());
        } finally {
            if (temporary) {
                CollectionFiles.deleteTree(dir);
            }
        }
        return ExitCodes.OK;
    }

    /** Prints the rows as they come: a table, JSON lines or Markdown rows. */
    private final class Printer implements Comparison.Listener {
        private int files;

        @Override
        public void built(int queries, int fileCount) {
            files = fileCount;
            if (!json && !markdown) {
                context.out().printf(Locale.ROOT, "Evaluation of %s: %d queries from %d files (comments and docstrings"
                        + " blanked out of the indexed copy)%n", root, queries, fileCount);
                context.out().printf(Locale.ROOT, "%-10s %-7s %7s %7s  %-8s %8s %8s %8s%n",
                        "model", "chunker", "chunks", "index", "mode", "file R@10", "file MRR", "span R@10");
                context.out().flush();
            }
        }

        @Override
        public void scored(Comparison.Row row) {
            Comparison.Scores s = row.scores();
            Duration took = row.indexTime();
            if (json) {
                context.out().println(Json.of(Json.object("root", root.toString(), "model", row.model().id(),
                        "chunker", row.chunker().id(), "mode", row.mode().id(), "queries", s.queries(), "files", files,
                        "chunks", row.chunks(), "indexSeconds", took.toMillis() / 1000.0,
                        "fileRecallAt10", round(s.fileRecallAt10()), "fileMrrAt10", round(s.fileMrrAt10()),
                        "spanRecallAt10", round(s.spanRecallAt10()), "spanMrrAt10", round(s.spanMrrAt10()),
                        "spanRecallAt1", round(s.spanRecallAt1()))));
            } else if (markdown) {
                context.out().printf(Locale.ROOT, "| %s | %d files, %d queries | %s | %s | %,d | %d:%02d | %s | %.3f | %.3f | %.3f |%n",
                        root.getFileName(), files, s.queries(), row.model().id(), row.chunker().id(), row.chunks(),
                        took.toMinutes(), took.toSecondsPart(), row.mode().id(), s.fileRecallAt10(), s.fileMrrAt10(),
                        s.spanRecallAt10());
            } else {
                context.out().printf(Locale.ROOT, "%-10s %-7s %,7d %3d:%02d  %-8s %8.3f %8.3f %8.3f%n",
                        row.model().id(), row.chunker().id(), row.chunks(), took.toMinutes(), took.toSecondsPart(),
                        row.mode().id(), s.fileRecallAt10(), s.fileMrrAt10(), s.spanRecallAt10());
            }
            context.out().flush();
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
