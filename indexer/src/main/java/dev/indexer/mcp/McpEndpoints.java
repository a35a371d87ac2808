package dev.indexer.mcp;

import dev.indexer.IndexerException;
import dev.indexer.pipeline.Cancellation;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The two ways {@link CodeTools} are offered: MCP over a process's stdin and stdout (how coding
 * assistants launch a server), and MCP's Streamable HTTP transport for several clients at once.
 */
final class McpEndpoints {
    /** The path of the HTTP endpoint. */
    public static final String HTTP_PATH = "/mcp";

    private static final String INSTRUCTIONS = "Search this codebase with search_code when you know what code does"
            + " but not its name (plain words or code); its hits name the function they land on, with its"
            + " lines. When you know a name, use find_symbol to go to its"
            + " definition (HashMap.resize, a prefix, camel humps), find_references for every line that uses it"
            + " (callers, overrides; complete, paged), and file_outline to see what a file defines before reading"
            + " it. Read lines with read_code; index_status says how current the index is. The index follows"
            + " the files as they are saved; a hit marked stale (its file changed or was deleted since) shows"
            + " the index's lines, so read_code the file before editing there. search_code searches this"
            + " repository; give it repo (a name, a list, or \"*\") to search other repositories indexed into"
            + " the same collection, such as a library this code uses; each hit says its repo.";

    private McpEndpoints() {}

    /** A running endpoint; closing it stops serving. */
    public interface Endpoint extends AutoCloseable {
        @Override
        void close();
    }

    /** The same server over any transport: its name, instructions, capabilities, timeout and tools. */
    private static McpSyncServer configured(McpServer.SyncSpecification<?> server, CodeTools tools, String version) {
        return server.serverInfo("indexer", version).instructions(INSTRUCTIONS)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .requestTimeout(Duration.ofMinutes(2))
                // Each tool checks its own arguments and says what is wrong in its own words; the SDK's
                // schema check would answer some values (1e300 for a line) with its JSON library's message.
                .validateToolInputs(false)
                .tools(tools.specifications())
                .build();
    }

    /**
     * Serves over {@code in} and {@code out}: one client, newline-delimited JSON-RPC messages, each
     * looked at by a {@link StdioGuard} first. The end of {@code in} cancels {@code stop}: the client
     * has gone.
     */
    static Endpoint stdio(CodeTools tools, String version, InputStream in, OutputStream out, Cancellation stop) {
        McpJsonMapper json = McpJsonDefaults.getMapper();
        StdioGuard guard = new StdioGuard(in, out, json, stop);
        StdioServerTransportProvider transport = new StdioServerTransportProvider(json, guard.input(), guard.output());
        return configured(McpServer.sync(transport), tools, version)::closeGracefully;
    }

    /**
     * Serves Streamable HTTP at {@code http://bind:port/mcp}.
     *
     * @param allowedOrigins web origins besides the server's own that may send requests (see {@link HttpGuard})
     * @param token when present, every request must carry {@code Authorization: Bearer TOKEN}, or gets 401
     * @return the endpoint, with the port it listens on (useful with port 0)
     * @throws IndexerException if the address cannot be bound
     */
    static HttpEndpoint http(CodeTools tools, String version, String bind, int port, List<URI> allowedOrigins,
            Optional<String> token) {
        McpJsonMapper json = McpJsonDefaults.getMapper();
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(json).mcpEndpoint(HTTP_PATH).keepAliveInterval(Duration.ofSeconds(30)).build();
        McpSyncServer mcp = configured(McpServer.sync(transport), tools, version);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(bind);
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(transport);
        holder.setAsyncSupported(true);
        context.addServlet(holder, HTTP_PATH);
        FilterHolder filter = new FilterHolder(new HttpGuard(json, bind, connector::getLocalPort, allowedOrigins, token));
        filter.setAsyncSupported(true);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // it never started
            }
            mcp.close();
            String reason = e instanceof IOException && e.getMessage() != null ? e.getMessage() : e.toString();
            throw new IndexerException("Could not listen on " + bind + ":" + port + " (" + reason
                    + "); choose another --port, or stop what uses it.", e);
        }
        return new HttpEndpoint(server, mcp, connector.getLocalPort());
    }

    /** The HTTP endpoint, and the port it got. */
    record HttpEndpoint(Server server, McpSyncServer mcp, int port) implements Endpoint {
        @Override
        public void close() {
            mcp.closeGracefully();
            try {
                server.stop();
            } catch (Exception e) {
                // stopping: nothing more to do
            }
        }
    }
}
