package dev.indexer.mcp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * What every HTTP request passes before the MCP SDK sees it. A web page the user visits can send
 * requests to a server on the user's own machine; with DNS rebinding it can even read the answers
 * (the MCP transport specification tells servers to check {@code Origin} for this reason). So:
 * a request whose {@code Origin} is not the server's own loopback origin, nor one allowed with
 * {@code --allow-origin}, gets 403; on a loopback address, so does one whose {@code Host} is not
 * the loopback address it listens on. With a token, a request without {@code Authorization:
 * Bearer TOKEN} (the scheme in any case) gets 401. A request for a session this server never made,
 * or that was deleted, gets 404 with a plain JSON-RPC error (the SDK answers it with a serialized
 * Java exception).
 */
final class HttpGuard implements Filter {
    static final String SESSION_HEADER = "Mcp-Session-Id";
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final boolean loopback;
    private final IntSupplier port;
    private final List<URI> allowedOrigins;
    private final Optional<byte[]> token;
    /** Sessions the SDK opened (read off its answers) and not yet deleted. */
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();

    /**
     * @param bind the address listened on
     * @param port the port listened on, once known
     * @param allowedOrigins origins besides the server's own that may send requests ({@code https://app.example.com})
     * @param token the bearer token every request must carry, if any
     */
    HttpGuard(String bind, IntSupplier port, List<URI> allowedOrigins, Optional<String> token) {
        this.loopback = isLoopback(bind);
        this.port = port;
        this.allowedOrigins = List.copyOf(allowedOrigins);
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code bind} names this machine's loopback interface only. */
    static boolean isLoopback(String bind) {
        return LOOPBACK_NAMES.contains(bind.toLowerCase(Locale.ROOT)) || bind.startsWith("127.");
    }

    /**
     * An origin as {@code --allow-origin} takes it: scheme, host and port if not the scheme's default.
     *
     * @throws IllegalArgumentException saying what an origin looks like
     */
    static URI origin(String text) {
        try {
            URI uri = new URI(text.strip());
            if (uri.getScheme() != null && uri.getHost() != null && (uri.getPath() == null || uri.getPath().isEmpty()
                    || uri.getPath().equals("/")) && uri.getQuery() == null && uri.getUserInfo() == null) {
                return new URI(uri.getScheme().toLowerCase(Locale.ROOT), null, uri.getHost().toLowerCase(Locale.ROOT),
                        uri.getPort(), null, null, null);
            }
        } catch (java.net.URISyntaxException e) {
            // said below
        }
        throw new IllegalArgumentException("--allow-origin needs an origin such as https://app.example.com or"
                + " http://localhost:3000 (scheme, host, optional port; no path), not '" + text + "'");
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String origin = request.getHeader("Origin");
        if (origin != null && !allowedOrigin(origin)) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "forbidden: requests from " + origin + " are not"
                    + " allowed; start the server with --allow-origin " + origin + " to allow them");
            return;
        }
        if (loopback && !ownHost(request.getHeader("Host"))) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "forbidden: this server answers only requests"
                    + " addressed to its loopback address");
            return;
        }
        if (token.isPresent() && !authorized(request.getHeader("Authorization"))) {
            response.setHeader("WWW-Authenticate", "Bearer");
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "unauthorized: this server needs the bearer"
                    + " token set in INDEXER_TOKEN");
            return;
        }
        String session = request.getHeader(SESSION_HEADER);
        if (session != null && !sessions.contains(session)) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            response.setContentType("application/json");
            response.getWriter().write("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,\"message\":"
                    + "\"no such session (it ended, or this server never made it): send initialize to start"
                    + " a new one\"}}");
            return;
        }
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void setHeader(String name, String value) {
                opened(name, value);
                super.setHeader(name, value);
            }

            @Override
            public void addHeader(String name, String value) {
                opened(name, value);
                super.addHeader(name, value);
            }
        });
        if (session != null && request.getMethod().equals("DELETE")) {
            sessions.remove(session);
        }
    }

    private void opened(String header, String value) {
        if (header.equalsIgnoreCase(SESSION_HEADER) && value != null) {
            sessions.add(value);
        }
    }

    private boolean allowedOrigin(String origin) {
        URI uri;
        try {
            uri = origin(origin);
        } catch (IllegalArgumentException e) {
            return false; // "null" (a sandboxed page, a file) and anything else that names no origin
        }
        if (uri.getScheme().equals("http") && LOOPBACK_NAMES.contains(uri.getHost()) && uri.getPort() == port.getAsInt()) {
            return true;
        }
        return allowedOrigins.contains(uri);
    }

    private boolean ownHost(String host) {
        if (host == null) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon > 0 && colon > name.lastIndexOf(']')) {
            if (!name.substring(colon + 1).equals(Integer.toString(port.getAsInt()))) {
                return false;
            }
            name = name.substring(0, colon);
        }
        return LOOPBACK_NAMES.contains(name);
    }

    private boolean authorized(String header) {
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(token.orElseThrow(),
                header.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }

    private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getWriter().write("{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }
}
