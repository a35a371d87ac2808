package dev.indexer.mcp;

import dev.indexer.IndexerException;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.Rebuild;
import dev.indexer.engine.CollectionWriter;
import dev.indexer.engine.Engine;
import dev.indexer.live.LiveIndex;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.socket.SearchSocket;
import dev.indexer.walk.FileWalker;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The life of {@code indexer mcp} and {@code indexer serve}: open the collection for writing (its
 * lock held while serving; a collection cut by an earlier chunker is built again, since a server
 * has no {@code --reindex}), keep it up to date with its tree, serve the tools until told to stop
 * or the client goes away, then stop the run in progress (what it committed is kept) and release
 * everything.
 */
public final class LiveServer {
    /**
     * How long closing the collection may take once the runs have stopped. Closing the store can
     * still wait for a merge of index segments to notice it is abandoned (82 s for a large one on
     * the JDK): a merge that is cut short loses nothing committed and is redone later, so past a
     * few seconds the server leaves without it.
     */
    private static final long CLOSE_GRACE_MS = 5_000;

    /** The path of the HTTP endpoint. */
    public static final String HTTP_PATH = McpEndpoints.HTTP_PATH;

    /**
     * What to serve.
     *
     * @param engine the engine that opens the collection
     * @param repo the repository of the collection the tree is
     * @param spec what it is built with
     * @param root the tree it follows
     * @param options how runs walk and pace themselves
     * @param watch whether the tree is watched for changes
     * @param version the server's version, for clients
     */
    public record Served(Engine engine, String collection, String repo, CollectionSpec spec, Path root,
            IndexOptions options, LiveIndex.Watch watch, String version) {}

    /** How the tools reach clients: over a process's stdin and stdout, or over HTTP. */
    public static final class Transport {
        private final Opener opener;

        private Transport(Opener opener) {
            this.opener = opener;
        }

        /** One client over {@code in} and {@code out}; the end of {@code in} stops the server. */
        public static Transport stdio(InputStream in, OutputStream out) {
            return new Transport((tools, version, stop) -> McpEndpoints.stdio(tools, version, in, out, stop));
        }

        /**
         * Streamable HTTP at {@code http://bind:port/mcp}.
         *
         * @param allowedOrigins web origins besides the server's own that may send requests
         *     ({@code https://app.example.com}); see {@link #origin}
         * @param token when present, every request must carry {@code Authorization: Bearer TOKEN}
         * @param listening told the port once the server listens (useful with port 0)
         */
        public static Transport http(String bind, int port, List<URI> allowedOrigins, Optional<String> token,
                IntConsumer listening) {
            return new Transport((tools, version, stop) -> {
                McpEndpoints.HttpEndpoint endpoint = McpEndpoints.http(tools, version, bind, port, allowedOrigins,
                        token);
                listening.accept(endpoint.port());
                return endpoint;
            });
        }
    }

    @FunctionalInterface
    private interface Opener {
        McpEndpoints.Endpoint open(CodeTools tools, String version, Cancellation stop);
    }

    private LiveServer() {}

    /**
     * An origin as {@code --allow-origin} takes it: scheme, host and port, no path.
     *
     * @throws IllegalArgumentException saying what an origin looks like
     */
    public static URI origin(String text) {
        return HttpGuard.origin(text);
    }

    /** Whether {@code bind} names the loopback interface only: anything else is reachable from other machines. */
    public static boolean loopback(String bind) {
        return HttpGuard.isLoopback(bind);
    }

    /**
     * Serves until {@code stop} is cancelled (a signal, or the stdio client going away).
     *
     * @param log told what an operator should know, one line each
     * @throws IndexerException if the collection cannot be opened or served, saying what to do
     */
    public static void run(Served served, Transport transport, Cancellation stop, Consumer<String> log) {
        CountDownLatch stopped = new CountDownLatch(1);
        CollectionWriter writer = served.engine().openWriter(served.collection(), served.repo(), served.spec(),
                Rebuild.IF_CHUNKS_OUTDATED);
        try (AutoCloseable onStop = stop.onCancel(stopped::countDown)) {
            FileWalker walker = new FileWalker(served.root(), served.engine().walkOptions(served.options()),
                    (path, reason, detail) -> { });
            LiveIndex live = LiveIndex.start(writer, served.root(), served.options(), walker, served.watch(), log);
            // indexer search on this machine asks here rather than opening the collection cold.
            Optional<SearchSocket> socket = SearchSocket.open(
                    served.engine().repoDir(served.collection(), served.repo()),
                    new SearchSocket.Served(served.collection(), served.engine().target().describe(served.collection()),
                            () -> live.root().toString(), live::search), log);
            try (OtherRepos others = new OtherRepos(served.engine(), served.collection(), served.repo());
                    McpEndpoints.Endpoint endpoint = transport.opener.open(
                            new CodeTools(live, new SourceLines(served.root(), walker), others), served.version(),
                            stop)) {
                log.accept("serving repository '" + served.repo() + "' of collection '" + served.collection()
                        + "' from " + served.root() + " ("
                        + served.engine().target().describe(served.collection()) + "); indexing it now"
                        + (served.watch() == LiveIndex.Watch.CHANGES ? ", then following its changes" : ""));
                stopped.await();
                log.accept("stopping: what is indexed is kept");
            } finally {
                socket.ifPresent(SearchSocket::close);
                live.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            closeWithin(writer, log);
            throw e instanceof IndexerException fatal ? fatal : new IndexerException("The server stopped: "
                    + e.getMessage(), e);
        }
        closeWithin(writer, log);
    }

    /** Closes the writer, waiting at most {@link #CLOSE_GRACE_MS} for it; the rest is left to the process's end. */
    private static void closeWithin(CollectionWriter writer, Consumer<String> log) {
        Thread closing = new Thread(() -> {
            try {
                writer.close();
            } catch (RuntimeException e) {
                log.accept("closing the collection failed: " + e.getMessage());
            }
        }, "indexer-close");
        closing.setDaemon(true);
        closing.start();
        try {
            closing.join(CLOSE_GRACE_MS);
            if (closing.isAlive()) {
                log.accept("stopped; a merge of index segments in progress was left unfinished (it is redone later)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
