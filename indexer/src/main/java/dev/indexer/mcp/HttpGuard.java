package dev.indexer.mcp;

import dev.indexer.text.Echo;
import io.modelcontextprotocol.json.McpJsonMapper;
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
 * or that was deleted, gets 404 with a plain JSON-RPC error. A posted body that is not one JSON-RPC
 * message gets 400 with the error {@link JsonRpcCheck} names (413 over {@link #MAX_BODY_BYTES}), and
 * whatever else the SDK refuses reaches the client as a plain JSON-RPC error too: the SDK writes
 * its errors as serialized Java exceptions ({@code jsonRpcError}, {@code cause}...) and logs each.
 */
final class HttpGuard implements Filter {
    static final String SESSION_HEADER = "Mcp-Session-Id";
    /** The longest body taken, as for a stdio line. */
    static final int MAX_BODY_BYTES = StdioGuard.MAX_LINE_BYTES;
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final McpJsonMapper json;
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
    HttpGuard(McpJsonMapper json, String bind, IntSupplier port, List<URI> allowedOrigins, Optional<String> token) {
        this.json = json;
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
        return parsedOrigin(text).orElseThrow(() -> new IllegalArgumentException("--allow-origin needs an origin such"
                + " as https://app.example.com or http://localhost:3000 (scheme, host, optional port; no path), not '"
                + text + "'"));
    }

    /** The origin a header value or option names; empty for "null" (a sandboxed page, a file) and the like. */
    private static Optional<URI> parsedOrigin(String text) {
        try {
            URI uri = new URI(text.strip());
            if (uri.getScheme() != null && uri.getHost() != null && (uri.getPath() == null || uri.getPath().isEmpty()
                    || uri.getPath().equals("/")) && uri.getQuery() == null && uri.getUserInfo() == null) {
                return Optional.of(new URI(uri.getScheme().toLowerCase(Locale.ROOT), null,
                        uri.getHost().toLowerCase(Locale.ROOT), uri.getPort(), null, null, null));
            }
        } catch (java.net.URISyntaxException e) {
            // names no origin
        }
        return Optional.empty();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String origin = request.getHeader("Origin");
        Optional<URI> from = origin == null ? Optional.empty() : parsedOrigin(origin);
        if (origin != null && !from.filter(this::allowedOrigin).isPresent()) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, from.isPresent()
                    ? "forbidden: requests from " + Echo.of(origin) + " are not allowed; start the server with"
                            + " --allow-origin " + Echo.of(origin) + " to allow them"
                    : "forbidden: requests from web pages that name no origin (" + Echo.of(origin) + ") are not"
                            + " allowed");
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
            answer(response, HttpServletResponse.SC_NOT_FOUND, JsonRpcCheck.error(null, UNKNOWN_SESSION,
                    "no such session (it ended, or this server never made it): send initialize to start a new one"));
            return;
        }
        HttpServletRequest checked = request;
        if (request.getMethod().equals("POST") && String.valueOf(request.getContentType()).contains("json")) {
            byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                answer(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, JsonRpcCheck.error(null,
                        JsonRpcCheck.PARSE_ERROR, "the message is longer than " + (MAX_BODY_BYTES >> 20) + " MB"));
                return;
            }
            JsonRpcCheck message = JsonRpcCheck.of(json, new String(body, StandardCharsets.UTF_8));
            if (!message.passed()) {
                answer(response, HttpServletResponse.SC_BAD_REQUEST, message.error());
                return;
            }
            checked = new ReadAgain(request, body);
        }
        chain.doFilter(checked, new PlainErrors(response));
        if (session != null && request.getMethod().equals("DELETE")) {
            sessions.remove(session);
        }
    }

    /** JSON-RPC's range for errors of the server's own: a session it does not know. */
    private static final int UNKNOWN_SESSION = -32001;

    private void answer(HttpServletResponse response, int status, java.util.Map<String, Object> message)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json.writeValueAsString(message));
    }

    /** A request whose body was read here, to be read again by the SDK. */
    private static final class ReadAgain extends jakarta.servlet.http.HttpServletRequestWrapper {
        private final byte[] body;

        ReadAgain(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public jakarta.servlet.ServletInputStream getInputStream() {
            java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(body);
            return new jakarta.servlet.ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(jakarta.servlet.ReadListener listener) {
                    throw new IllegalStateException("the body was read already");
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(new java.io.ByteArrayInputStream(body),
                    StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }

    /**
     * The SDK's answers, with its error bodies (a serialized {@code McpError}: {@code jsonRpcError},
     * {@code cause}, {@code localizedMessage}...) rewritten as plain JSON-RPC errors, and the
     * sessions it opens noted. An error body is written whole and flushed once; it is held until then.
     */
    private final class PlainErrors extends HttpServletResponseWrapper {
        private java.io.PrintWriter errorWriter;

        PlainErrors(HttpServletResponse response) {
            super(response);
        }

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

        @Override
        public java.io.PrintWriter getWriter() throws IOException {
            if (getStatus() < HttpServletResponse.SC_BAD_REQUEST) {
                return super.getWriter();
            }
            if (errorWriter == null) {
                java.io.PrintWriter out = super.getWriter();
                errorWriter = new java.io.PrintWriter(new java.io.StringWriter() {
                    @Override
                    public void flush() {
                        StringBuffer held = getBuffer();
                        if (held.length() > 0) {
                            out.write(plain(held.toString()));
                            out.flush();
                            held.setLength(0);
                        }
                    }

                    @Override
                    public void close() {
                        flush();
                    }
                });
            }
            return errorWriter;
        }
    }

    /** A serialized {@code McpError} as a JSON-RPC error; anything else as it is. */
    private String plain(String body) {
        try {
            if (json.readValue(body, Object.class) instanceof java.util.Map<?, ?> map
                    && map.get("jsonRpcError") instanceof java.util.Map<?, ?> error) {
                Object code = error.get("code");
                return json.writeValueAsString(JsonRpcCheck.error(null, code instanceof Number n ? n.intValue()
                        : JsonRpcCheck.INVALID_REQUEST, String.valueOf(error.get("message"))));
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: passed on as written
        }
        return body;
    }

    private void opened(String header, String value) {
        if (header.equalsIgnoreCase(SESSION_HEADER) && value != null) {
            sessions.add(value);
        }
    }

    private boolean allowedOrigin(URI uri) {
        return uri.getScheme().equals("http") && LOOPBACK_NAMES.contains(uri.getHost())
                && uri.getPort() == port.getAsInt() || allowedOrigins.contains(uri);
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
        return header != null && header.length() >= 7 && header.regionMatches(true, 0, "Bearer ", 0, 7)
                && MessageDigest.isEqual(token.orElseThrow(),
                        header.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }

    private void refuse(HttpServletResponse response, int status, String message) throws IOException {
        answer(response, status, java.util.Map.of("error", message));
    }
}
