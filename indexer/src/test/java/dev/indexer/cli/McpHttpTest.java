package dev.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP server as a web page in the user's browser (DNS rebinding) or a careless client meets
 * it, over real HTTP: foreign origins and hosts are refused, the token's scheme is matched in any
 * case, and a session it does not know gets a plain JSON-RPC error.
 */
class McpHttpTest {
    private static final String INITIALIZE = McpStdioTest.INITIALIZE;

    @TempDir
    Path tree;

    @TempDir
    Path home;

    private ChildProcess server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.process().destroyForcibly();
        }
    }

    private int serve(Map<String, String> env, String... more) throws Exception {
        Files.writeString(tree.resolve("Ledger.java"), "class Ledger { long settle() { return 1; } }\n");
        String[] args = new String[] {"serve", tree.toString(), "--collection", "c", "--index-dir", home.toString(),
            "--model", "minilm", "--no-watch", "--port", "0"};
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        server = ChildProcess.start(home.resolve("logs"), env, all);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Pattern listening = Pattern.compile("listening on http://\\S+:(\\d+)/mcp");
        while (System.nanoTime() < deadline && server.process().isAlive()) {
            Matcher m = listening.matcher(server.err());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no address announced: " + server.err());
    }

    /** A raw HTTP/1.1 POST of {@code body} with exactly these headers, for headers HttpClient will not set (Host). */
    private static String rawPost(int port, String headers, String body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String request = "POST /mcp HTTP/1.1\r\n" + headers + "Content-Type: application/json\r\n"
                    + "Accept: application/json, text/event-stream\r\nContent-Length: " + bytes.length
                    + "\r\nConnection: close\r\n\r\n" + body;
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static HttpResponse<String> post(int port, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void foreignOriginsAndHostsAreRefusedAndUnknownSessionsGetAPlainError() throws Exception {
        int port = serve(Map.of(), "--allow-origin", "https://app.example.com");
        // The DNS-rebinding request: a page of evil.example.com whose name now points at 127.0.0.1.
        String rebound = rawPost(port, "Host: evil.example.com:" + port + "\r\nOrigin: http://evil.example.com\r\n",
                INITIALIZE);
        assertTrue(rebound.startsWith("HTTP/1.1 403"), rebound);
        assertFalse(rebound.contains("protocolVersion"), rebound);
        String foreignHost = rawPost(port, "Host: evil.example.com:" + port + "\r\n", INITIALIZE);
        assertTrue(foreignHost.startsWith("HTTP/1.1 403"), foreignHost);
        assertEquals(403, post(port, Map.of("Origin", "http://evil.example.com"), INITIALIZE).statusCode());
        assertEquals(403, post(port, Map.of("Origin", "null"), INITIALIZE).statusCode());
        assertEquals(403, post(port, Map.of("Origin", "http://127.0.0.1:" + (port + 1)), INITIALIZE).statusCode(),
                "another port of this machine is another origin");

        assertEquals(200, post(port, Map.of(), INITIALIZE).statusCode(), "no Origin: not a browser");
        assertEquals(200, post(port, Map.of("Origin", "http://127.0.0.1:" + port), INITIALIZE).statusCode());
        assertEquals(200, post(port, Map.of("Origin", "http://localhost:" + port), INITIALIZE).statusCode());
        HttpResponse<String> allowed = post(port, Map.of("Origin", "https://app.example.com"), INITIALIZE);
        assertEquals(200, allowed.statusCode());
        String session = allowed.headers().firstValue("Mcp-Session-Id").orElseThrow();
        String localhost = rawPost(port, "Host: localhost:" + port + "\r\n", INITIALIZE);
        assertTrue(localhost.startsWith("HTTP/1.1 200"), localhost);

        HttpResponse<String> unknown = post(port, Map.of("Mcp-Session-Id", "no-such-session"),
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("\"jsonrpc\":\"2.0\"") && unknown.body().contains("initialize"),
                unknown.body());
        assertFalse(unknown.body().contains("stackTrace") || unknown.body().contains("Exception"), unknown.body());
        assertEquals(202, post(port, Map.of("Mcp-Session-Id", session),
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").statusCode(),
                "a session the server made goes on");
    }

    @Test
    void whateverIsPostedTheAnswerIsAPlainJsonRpcErrorAndNothingIsLogged() throws Exception {
        int port = serve(Map.of());
        String[][] cases = {
            {"{]", "400", "-32700"},
            {"", "400", "-32700"},
            {"[]", "400", "-32600"},
            {"[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", "400", "-32600"},
            {"{\"id\":1,\"method\":\"ping\"}", "400", "-32600"},
            {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":5}", "400", "-32602"},
            // valid, but without a session: the SDK's own refusal, rewritten
            {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", "400", "-32601"},
            {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":\"" + "a".repeat(5 << 20) + "\"}}",
                "413", "-32700"},
        };
        for (String[] c : cases) {
            HttpResponse<String> answer = post(port, Map.of(), c[0]);
            String shown = c[0].substring(0, Math.min(60, c[0].length()));
            assertEquals(Integer.parseInt(c[1]), answer.statusCode(), shown + " -> " + answer.body());
            assertTrue(answer.body().startsWith("{\"jsonrpc\":\"2.0\"") && answer.body().contains("\"code\":" + c[2]),
                    shown + " -> " + answer.body());
            assertFalse(answer.body().contains("jsonRpcError") || answer.body().contains("localizedMessage"),
                    answer.body());
        }
        HttpResponse<String> sandboxed = post(port, Map.of("Origin", "null"), INITIALIZE);
        assertEquals(403, sandboxed.statusCode());
        assertFalse(sandboxed.body().contains("--allow-origin"), "'null' cannot be allowed: " + sandboxed.body());
        assertEquals(200, post(port, Map.of(), INITIALIZE).statusCode(), "still serving");
        assertFalse(server.err().contains("ERROR") || server.err().contains("Exception"), server.err());
    }

    @Test
    void theBearerSchemeIsMatchedInAnyCaseAndAnOpenAddressWithoutATokenIsWarnedOf() throws Exception {
        int port = serve(Map.of("INDEXER_TOKEN", "s3cret"));
        assertEquals(401, post(port, Map.of(), INITIALIZE).statusCode());
        assertEquals(401, post(port, Map.of("Authorization", "bearer wrong"), INITIALIZE).statusCode());
        assertEquals(200, post(port, Map.of("Authorization", "bearer s3cret"), INITIALIZE).statusCode());
        assertEquals(200, post(port, Map.of("Authorization", "BEARER s3cret"), INITIALIZE).statusCode());
        server.signal("TERM");
        server.waitFor();
        assertFalse(server.err().contains("warning"), server.err());

        server = null;
        ChildProcess open = ChildProcess.start(home.resolve("logs"), Map.of(), "serve", tree.toString(),
                "--collection", "d", "--index-dir", home.toString(), "--model", "minilm", "--no-watch", "--port", "0",
                "--bind", "0.0.0.0");
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!open.err().contains("listening on") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(open.err().contains("warning: listening on 0.0.0.0 without INDEXER_TOKEN"), open.err());
        } finally {
            open.signal("TERM");
            open.waitFor();
        }
    }
}
