package dev.indexer.cli;

import dev.indexer.config.IndexerVersion;
import dev.indexer.config.Rebuild;
import dev.indexer.engine.Engine;
import dev.indexer.live.LiveIndex;
import dev.indexer.mcp.LiveServer;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.store.StoreTarget;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * What {@code indexer mcp} and {@code indexer serve} share: the tree and collection options of
 * {@code index}, {@code --no-watch}, and how they start a {@link LiveServer} and log what it says.
 */
final class LiveOptions extends WriteOptions {
    @Option(names = "--no-watch", description = "Do not watch the tree: index it once at the start, and again only"
            + " when a client calls reindex.")
    boolean noWatch;

    /** Serves over {@code transport} until {@code stop} is cancelled; what is indexed is kept. */
    static int run(CliContext context, LiveOptions options, CommandLine commandLine, String what,
            Cancellation stop, LiveServer.Transport transport) {
        IndexConfig config = options.config(commandLine, context, Rebuild.IF_CHUNKS_OUTDATED, UnaryOperator.identity());
        PrintWriter err = context.err();
        Consumer<String> log = line -> {
            synchronized (err) {
                err.println("indexer " + what + ": " + line);
                err.flush();
            }
        };
        StoreTarget target = options.qdrant.target(context.env(), config.home(), config.memory().luceneBufferMB(),
                commandLine, Optional.of(options.qdrantCollection));
        Engine engine = Engine.standard(config.home(), target, config.memory(), config.modelCalls());
        LiveServer.run(new LiveServer.Served(engine, config.collection(), config.repo(), config.spec(), config.root(),
                config.options(), options.noWatch ? LiveIndex.Watch.NOTHING : LiveIndex.Watch.CHANGES, IndexerVersion.get()),
                transport, stop, log);
        return ExitCodes.OK;
    }
}
