package dev.indexer.cli;

import dev.indexer.mcp.LiveServer;
import dev.indexer.pipeline.Cancellation;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "serve", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        headerHeading = "", header = "Serve a live index of a tree over MCP's Streamable HTTP transport.",
        description = {"The tools of indexer mcp (search_code, read_code, index_status, reindex) over MCP's Streamable"
                + " HTTP transport at http://BIND:PORT/mcp, for several clients at once.",
            "It listens on the loopback address only unless --bind says otherwise. If INDEXER_TOKEN is set, requests"
                + " must carry 'Authorization: Bearer TOKEN' (others get 401). A request from a web page of another"
                + " origin (its Origin header), or, on the loopback address, for another host (its Host header), gets"
                + " 403: a page cannot read the code through the user's browser.",
            "It stops on SIGTERM or Ctrl-C: what is indexed is kept."})
final class ServeCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    LiveOptions live;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "7333",
            description = "The port to listen on (0: any free one, printed at start). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address to listen on; 0.0.0.0 for every interface (set INDEXER_TOKEN then)."
                    + " Default: ${DEFAULT-VALUE}.")
    String bind;

    @Option(names = "--allow-origin", paramLabel = "ORIGIN",
            description = "A web origin (scheme://host[:port]) whose pages may send requests, besides the server's own"
                    + " loopback origin; repeat for more. Requests with any other Origin header get 403.")
    List<String> allowOrigins = new ArrayList<>();

    ServeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be from 0 to 65535, was " + port);
        }
        List<URI> origins = new ArrayList<>();
        try {
            allowOrigins.forEach(origin -> origins.add(LiveServer.origin(origin)));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Optional<String> token = Optional.ofNullable(context.env().get("INDEXER_TOKEN")).filter(t -> !t.isBlank());
        if (token.isEmpty() && !LiveServer.loopback(bind)) {
            context.err().println("indexer serve: warning: listening on " + bind + " without INDEXER_TOKEN: anyone"
                    + " who can reach this machine can read the indexed code; set INDEXER_TOKEN to require a token.");
            context.err().flush();
        }
        Cancellation stop = context.interrupts().begin();
        try {
            return LiveOptions.run(context, live, spec.commandLine(), "serve", stop,
                    LiveServer.Transport.http(bind, port, origins, token, listening -> {
                        context.err().println("indexer serve: listening on http://" + (bind.contains(":")
                                ? "[" + bind + "]" : bind) + ":" + listening + LiveServer.HTTP_PATH
                                + (token.isPresent() ? " (bearer token required)" : ""));
                        context.err().flush();
                    }));
        } finally {
            context.interrupts().end();
        }
    }
}
