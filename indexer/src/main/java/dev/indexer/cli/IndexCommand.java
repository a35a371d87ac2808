package dev.indexer.cli;

import dev.indexer.IndexerException;
import dev.indexer.config.Defaults;
import dev.indexer.config.Rebuild;
import dev.indexer.config.Shard;
import dev.indexer.engine.CollectionWriter;
import dev.indexer.engine.Engine;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.pipeline.RunSummary;
import dev.indexer.store.StoreTarget;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "index", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        headerHeading = "", header = "Index a tree into a collection; reruns update only what changed.",
        description = {"Walk PATH, cut its text files into chunks, embed them and store them in a collection.",
            "Reruns are incremental: unchanged files are not read, changed ones are replaced, deleted ones leave the"
                + " collection, and an interrupted run continues where it stopped.",
            "Ctrl-C (or SIGTERM) stops it cleanly: what was done is kept."})
final class IndexCommand extends WriteOptions implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--max-files", paramLabel = "N",
            description = "Embed at most N files' chunks, then stop and say how many remain; run again to continue."
                    + " Every new and changed file is still made searchable by words first. Default: no limit.")
    Long maxFiles;

    @Option(names = "--reindex", description = "Drop what the collection holds and build it again from scratch"
            + " (needed to change the model).")
    boolean reindex;

    @Option(names = "--commit-interval", paramLabel = "TIME", defaultValue = Defaults.COMMIT_INTERVAL_TEXT,
            converter = Converters.Time.class,
            description = "Commit at batch ends at most this often; a crash loses at most this much work."
                    + " Default: ${DEFAULT-VALUE}.")
    Duration commitInterval;

    @Option(names = "--shard", paramLabel = "I/N", converter = Converters.Part.class,
            description = "Index only part I of N of the tree (I from 0), for N workers that share one repository"
                    + " and one Qdrant collection: a file's part is set by a hash of its path, each worker deletes"
                    + " only the gone files of its part, and together they write exactly what one run would."
                    + " Default: the whole tree.")
    Shard shard;

    @Option(names = "--dry-run", description = "Estimate instead of indexing: walk and read everything, embed only a"
            + " sample, write nothing (the same as the estimate command).")
    boolean dryRun;

    @Option(names = "--json", description = "Print the final report as JSON.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress display.")
    boolean quiet;

    IndexCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        IndexConfig config = config(spec.commandLine(), context, reindex ? Rebuild.NOW : Rebuild.NO,
                options -> options.withMaxFiles(maxFiles == null ? Long.MAX_VALUE : maxFiles)
                        .withCommitInterval(commitInterval).withShard(shard == null ? Shard.ALL : shard));
        if (dryRun) {
            EstimateCommand.estimate(context, config, json);
            return ExitCodes.OK;
        }
        StoreTarget target = qdrant.target(context.env(), config.home(), config.memory().luceneBufferMB(),
                spec.commandLine(), Optional.of(qdrantCollection));
        Engine engine = Engine.standard(config.home(), target, config.memory(), config.modelCalls());
        Cancellation cancellation = context.interrupts().begin();
        RunSummary summary;
        try (CollectionWriter collection = engine.openWriter(config.collection(), config.repo(), config.spec(),
                config.rebuild())) {
            summary = collection.index(config.root(), config.options(), ConsoleProgress.create(context, quiet),
                    cancellation);
            if (summary.outcome() != RunSummary.Outcome.INTERRUPTED) {
                settle(collection, summary, cancellation);
            }
        } finally {
            context.interrupts().end();
        }
        if (json) {
            ReportPrinter.json(context.out(), config.collection(), config.repo(), config.spec().model().id(),
                    summary);
        } else {
            String part = config.options().shard().isAll() ? "" : "part " + config.options().shard() + " of ";
            String header = "Indexed " + part + config.root() + " as repository '" + config.repo()
                    + "' into collection '" + config.collection() + "' (model " + config.spec().model().id() + ", "
                    + target.describe(config.collection()) + ")";
            ReportPrinter.text(context.out(), header, summary);
        }
        if (summary.outcome() == RunSummary.Outcome.INTERRUPTED) {
            context.err().println(String.format(Locale.ROOT, "indexer: interrupted; %,d files indexed by this run are"
                    + " kept. Run the same command again to continue where it stopped.", summary.files().indexed()));
            context.err().flush();
            return context.interrupts().exitCode();
        }
        return ExitCodes.OK;
    }

    /**
     * Merges what the run left (a completed run, or one stopped at {@code --max-files}) within
     * {@link Defaults#settleBudget}: searches then find the collection in few segments. Said on
     * stderr only when it takes long enough to be noticed, or is cut short.
     */
    private void settle(CollectionWriter collection, RunSummary summary, Cancellation cancellation) {
        Duration budget = Defaults.settleBudget(Duration.ofNanos(summary.cost().elapsedNanos()));
        long start = System.nanoTime();
        boolean settled;
        try {
            settled = collection.settle(budget, cancellation);
        } catch (IndexerException e) {
            // What the run indexed is committed: a merge that failed (a full disk, say) loses none of it.
            context.err().println("indexer: merging the index's segments failed; what was indexed is kept. "
                    + e.getMessage());
            context.err().flush();
            return;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!quiet && !json && (!settled || seconds >= 1)) {
            context.err().println(settled
                    ? String.format(Locale.ROOT, "indexer: merged the index's segments in %.1f s", seconds)
                    : String.format(Locale.ROOT, "indexer: stopped merging the index's segments after %.0f s (its"
                            + " budget: a tenth of the run, at least %d s); what merged is kept, and a server or the"
                            + " next run merges the rest", seconds, Defaults.SETTLE_MIN.toSeconds()));
            context.err().flush();
        }
    }
}
