package dev.indexer.cli;

import dev.indexer.config.ByteSize;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.ModelSpec;
import dev.indexer.engine.Engine;
import dev.indexer.json.Json;
import dev.indexer.pipeline.Estimate;
import dev.indexer.store.local.EmbeddedTarget;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "estimate", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        headerHeading = "", header = "Estimate what indexing a tree would take, without doing it.",
        description = {"Estimate what indexing PATH would take, without embedding or writing anything: files, bytes,"
                + " chunks, tokens, what is skipped, embedding time on this machine, store size and peak memory.",
            "The same as index --dry-run."})
final class EstimateCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    TreeOptions tree;

    @Option(names = "--index-dir", paramLabel = "DIR", description = "Where the model is unpacked. Default: as for index.")
    Path indexDir;

    @Option(names = "--json", description = "Print the estimate as one JSON object.")
    boolean json;

    EstimateCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        CommandLine commandLine = spec.commandLine();
        IndexOptions options;
        try {
            options = IndexOptions.DEFAULTS.withMaxFileSize(tree.maxFileSize.bytes());
            options = tree.followSymlinks ? options.followingSymlinks() : options;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
        IndexHome home = StoreOptions.home(indexDir, context.env(), commandLine);
        estimate(context, tree.root(commandLine), options, tree.spec(commandLine), tree.memory(commandLine),
                tree.modelCalls(commandLine), home, json);
        return ExitCodes.OK;
    }

    /** Runs a dry run for {@code index --dry-run}. */
    static void estimate(CliContext context, IndexConfig config, boolean json) {
        estimate(context, config.root(), config.options(), config.spec(), config.memory(), config.modelCalls(),
                config.home(), json);
    }

    /** Runs a dry run and prints it. */
    private static void estimate(CliContext context, Path root, IndexOptions options, CollectionSpec spec,
            MemoryBudget budget, int modelCalls, IndexHome home, boolean json) {
        // A dry run writes nothing to any store: the embedded target is only a placeholder.
        Engine engine = Engine.standard(home, new EmbeddedTarget(home, budget.luceneBufferMB()), budget, modelCalls);
        Estimate e = engine.estimate(root, options, spec);
        ModelSpec model = spec.model();
        if (json) {
            context.out().println(Json.of(Json.object("root", root.toString(), "model", model.id(),
                    "filesSeen", e.filesSeen(), "textFiles", e.textFiles(), "bytes", e.bytes(), "lines", e.lines(),
                    "characters", e.characters(), "charsPerToken", Math.round(e.charsPerToken() * 100) / 100.0,
                    "tokens", e.tokens(), "chunks", e.chunks(), "skipped", ReportPrinter.labels(e.skipped()),
                    "embedChunksPerSecond", Math.round(e.embedChunksPerSecond() * 10) / 10.0,
                    "embedSeconds", Math.round(e.embedSeconds()), "storeBytes", e.storeBytes(),
                    "memoryBudgetBytes", budget.total(), "heapBytes", budget.heap(),
                    "embedBatchTokens", budget.embedBatchTokens(), "modelCalls", modelCalls,
                    "peakMemoryBytes", budget.estimatedPeak(model, modelCalls),
                    "sampleFiles", e.sampling().files(), "chunksError", rounded(e.sampling().chunksError()),
                    "tokensError", rounded(e.sampling().tokensError()),
                    "scanSeconds", Math.round(e.scanNanos() / 1e6) / 1000.0,
                    "elapsedSeconds", Math.round(e.elapsedNanos() / 1e6) / 1000.0)));
        } else {
            print(context.out(), root, model, budget, modelCalls, e);
        }
        context.out().flush();
    }

    private static void print(PrintWriter out, Path root, ModelSpec model, MemoryBudget budget, int modelCalls,
            Estimate e) {
        out.printf(Locale.ROOT, "Estimate for %s (model %s; nothing embedded or written)%n", root, model.id());
        out.printf(Locale.ROOT, "  files      %,d seen, %,d to index%n", e.filesSeen(), e.textFiles());
        if (!e.skipped().isEmpty()) {
            out.println("  skipped    " + ReportPrinter.skipped(e.skipped()));
        }
        out.printf(Locale.ROOT, "  text       %s, %,d lines%n", ByteSize.format(e.bytes()), e.lines());
        out.printf(Locale.ROOT, "  chunks     about %,d (%s), %,d tokens to embed (%s; %.2f characters per token)%n",
                e.chunks(), error(e.sampling().chunksError()), e.tokens(), error(e.sampling().tokensError()),
                e.charsPerToken());
        out.printf(Locale.ROOT, "             from %,d of the %,d files chunked for real; the range is 19 times in 20%n",
                e.sampling().files(), e.sampling().of());
        out.printf(Locale.ROOT, "  embedding  about %s at %.1f chunks/s (the model timed on sample chunks here, less the run's other work)%n",
                duration(e.embedSeconds()), e.embedChunksPerSecond());
        out.printf(Locale.ROOT, "  store      about %s on disk%n", ByteSize.format(e.storeBytes()));
        String calls = modelCalls > 1
                ? String.format(Locale.ROOT, "%d model calls at once of %,d tokens each", modelCalls,
                        budget.embedBatchTokens() / modelCalls)
                : String.format(Locale.ROOT, "model calls of %,d tokens", budget.embedBatchTokens());
        out.printf(Locale.ROOT, "  memory     about %s peak (budget %s: heap %s, %s)%n",
                ByteSize.format(budget.estimatedPeak(model, modelCalls)), ByteSize.format(budget.total()),
                ByteSize.format(budget.heap()), calls);
        out.printf(Locale.ROOT, "  took       %.1f s (%.1f s to walk and read, the rest to measure the model)%n",
                e.elapsedNanos() / 1e9, e.scanNanos() / 1e9);
    }

    /** A relative error as "within 3%", or what a sample too small to say gives. */
    private static String error(double relative) {
        if (!Double.isFinite(relative)) {
            return "too few files to say how close";
        }
        return String.format(Locale.ROOT, "within %.0f%%", Math.max(1, Math.ceil(relative * 100)));
    }

    /** A relative error for JSON: 4 decimals, or null when the sample is too small to say. */
    private static Double rounded(double relative) {
        return Double.isFinite(relative) ? Math.round(relative * 10000) / 10000.0 : null;
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : s + " s";
    }
}
