package dev.indexer.cli;

import dev.indexer.config.Defaults;
import dev.indexer.config.IndexConfig;
import dev.indexer.config.IndexOptions;
import dev.indexer.engine.CodeCollection;
import dev.indexer.engine.Engine;
import dev.indexer.engine.Rebuild;
import dev.indexer.live.LiveIndex;
import dev.indexer.live.SourceLines;
import dev.indexer.mcp.CodeTools;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.store.StoreTarget;
import dev.indexer.walk.FileWalker;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What {@code indexer mcp} and {@code indexer serve} share: the tree and collection options of
 * {@code index}, and the life of a live index: open the collection for writing (its lock held
 * while serving), keep it up to date, serve until told to stop, then stop the run in progress
 * (what it committed is kept), release everything and exit 0.
 */
final class LiveOptions extends WriteOptions {
    @Option(names = "--no-watch", description = "Do not watch the tree: index it once at the start, and again only"
            + " when a client calls reindex.")
    boolean noWatch;

    /** What the server side of a command does once the index is live: serve, and return a handle to stop. */
    interface Serving {
        AutoCloseable start(CodeTools tools, String version);
    }

    /**
     * Runs a live index until {@code stop} is cancelled (a signal) or {@code serving}'s client goes
     * away (it cancels {@code stop} itself).
     */
    static int run(CliContext context, LiveOptions options, CommandLine commandLine, String what,
            Cancellation stop, Function<Cancellation, Serving> serving) {
        IndexConfig config = options.config(commandLine, context);
        PrintWriter err = context.err();
        Consumer<String> log = line -> {
            synchronized (err) {
                err.println("indexer " + what + ": " + line);
                err.flush();
            }
        };
        StoreTarget target = options.qdrant.target(context.env(), config.home(), config.memory().luceneBufferMB(),
                commandLine, Optional.of(options.qdrantCollection));
        Engine engine = Engine.standard(config.home(), target, config.memory());
        CountDownLatch stopped = new CountDownLatch(1);
        // A server has no --reindex: chunks of an earlier version are rebuilt rather than left unupdatable.
        try (CodeCollection collection = engine.openForWriting(config.collection(), config.spec(),
                Rebuild.IF_CHUNKS_OUTDATED);
                AutoCloseable onStop = stop.onCancel(stopped::countDown)) {
            FileWalker walker = new FileWalker(config.root(), engine.walkOptions(config.options()),
                    (path, reason, detail) -> { });
            LiveIndex live = LiveIndex.start(collection, config.root(), config.options(), walker, !options.noWatch,
                    log);
            try (AutoCloseable endpoint = serving.apply(stop).start(
                    new CodeTools(live, new SourceLines(config.root(), walker)), version())) {
                log.accept("serving collection '" + config.collection() + "' of " + config.root() + " ("
                        + target.describe(config.collection()) + "); indexing it now"
                        + (options.noWatch ? "" : ", then following its changes"));
                stopped.await();
                log.accept("stopping: what is indexed is kept");
            } finally {
                live.close();
                // Runs are stopped and what they did is committed. Closing the store can still wait
                // for a merge of index segments to notice it is abandoned (82 s for a large one on the
                // JDK): a merge that is cut short loses nothing committed and is redone later, so past
                // a few seconds the server leaves without it.
                leaveIfClosingHangs(log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (dev.indexer.IndexerException | CommandLine.ParameterException e) {
            throw e;
        } catch (Exception e) {
            throw new dev.indexer.IndexerException("The server stopped: " + e.getMessage(), e);
        }
        return ExitCodes.OK;
    }

    /** Exits (status 0) if what remains of stopping takes more than {@link #CLOSE_GRACE_MS}. */
    private static void leaveIfClosingHangs(Consumer<String> log) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(CLOSE_GRACE_MS);
            } catch (InterruptedException e) {
                return;
            }
            log.accept("stopped; a merge of index segments in progress was left unfinished (it is redone later)");
            Runtime.getRuntime().halt(ExitCodes.OK);
        }, "indexer-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** How long closing the collection may take once the runs have stopped. */
    private static final long CLOSE_GRACE_MS = 5_000;

    private IndexConfig config(CommandLine commandLine, CliContext context) {
        try {
            IndexOptions options = new IndexOptions(tree.maxFileSize.bytes(), tree.followSymlinks, batchSize,
                    Long.MAX_VALUE, Defaults.COMMIT_INTERVAL, vectorCache.bytes());
            return new IndexConfig(store.collection(commandLine), tree.root(commandLine), store.home(context.env()),
                    tree.spec(commandLine), options, tree.memory(), false);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }

    static String version() {
        try {
            String first = new VersionProvider().getVersion()[0];
            return first.substring(first.indexOf(' ') + 1);
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

}
