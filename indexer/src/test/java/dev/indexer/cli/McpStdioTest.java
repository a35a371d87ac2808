package dev.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stdio server as a hostile or careless client meets it: lines written to a real pipe one at a
 * time, answers read back as they come. Whatever a line holds, the server answers what JSON-RPC
 * says to answer and goes on; closing stdin always stops it.
 */
class McpStdioTest {
    /** A client's first message. */
    static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

    @TempDir
    Path tree;

    @TempDir
    Path home;

    private Process server;
    private OutputStream stdin;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.destroyForcibly();
        }
    }

    private void start() throws IOException {
        Files.writeString(tree.resolve("Ledger.java"), "class Ledger { long settle() { return 1; } }\n");
        List<String> command = new ArrayList<>(List.of("/usr/bin/env", "-u", "QDRANT_URL",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "mcp", tree.toString(), "--collection",
                "c", "--index-dir", home.toString(), "--model", "minilm", "--no-watch"));
        server = new ProcessBuilder(command).redirectError(home.resolve("stderr.txt").toFile()).start();
        stdin = server.getOutputStream();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    answers.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    private void send(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    private JsonObject answer() throws InterruptedException {
        String line = answers.poll(60, TimeUnit.SECONDS);
        assertTrue(line != null, "no answer within a minute");
        return JsonParser.parseString(line).getAsJsonObject();
    }

    private JsonObject ask(String line) throws Exception {
        send(line);
        return answer();
    }

    private static void assertError(JsonObject answer, int code, String idOrNull) {
        assertTrue(answer.has("error"), answer.toString());
        assertEquals(code, answer.getAsJsonObject("error").get("code").getAsInt(), answer.toString());
        assertEquals(idOrNull == null ? "null" : idOrNull, answer.get("id").toString(), answer.toString());
    }

    @Test
    void anyLineIsAnsweredAsJsonRpcSaysAndTheServerGoesOnUntilStdinCloses() throws Exception {
        start();
        // Before initialize: ping is answered, anything else gets an error instead of silence.
        assertEquals("{}", ask("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"ping\"}").get("result").toString());
        JsonObject early = ask("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"index_status\",\"arguments\":{}}}");
        assertError(early, -32000, "\"a\"");
        assertTrue(early.getAsJsonObject("error").get("message").getAsString().contains("initialize"), early.toString());

        assertTrue(ask(INITIALIZE).has("result"), "initialize is answered");
        send(""); // a blank line is nothing to answer
        send("   ");
        assertEquals("{}", ask("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}").get("result").toString(),
                "ping between initialize and initialized");
        assertError(ask("{}"), -32600, null);
        assertError(ask("[]"), -32600, null);
        assertError(ask("[{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}]"), -32600, null);
        assertError(ask("{\"id\":4,\"method\":\"ping\"}"), -32600, "4");
        assertError(ask("{\"jsonrpc\":\"2.0\",\"id\":5,\"meth"), -32700, null);
        assertError(ask("hello"), -32700, null);
        assertError(ask("{\"jsonrpc\":\"2.0\",\"id\":{\"x\":1},\"method\":\"ping\"}"), -32600, null);
        assertError(ask("{\"jsonrpc\":\"2.0\",\"id\":6}"), -32600, "6");
        assertError(ask("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":5}"), -32602, "7");
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        JsonObject status = ask("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"index_status\",\"arguments\":{}}}");
        assertEquals(8, status.get("id").getAsInt(), status.toString());
        assertTrue(status.has("result"), status.toString());
        String said = status.getAsJsonObject("result").getAsJsonArray("content").get(0).getAsJsonObject()
                .get("text").getAsString();
        assertTrue(said.contains("Not watching the tree for changes (--no-watch)") && !said.contains("Watching by"), said);
        assertError(ask("{broken"), -32700, null);
        assertEquals("{}", ask("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}").get("result").toString(),
                "still serving after every bad line");

        stdin.close();
        assertTrue(server.waitFor(30, TimeUnit.SECONDS), "closing stdin stops the server");
        assertEquals(0, server.exitValue());
        assertNull(answers.poll(), "nothing more was written");
        String err = Files.readString(home.resolve("stderr.txt"));
        assertTrue(!err.contains("Exception") && !err.contains("\tat "), err);
    }

    @Test
    void requestsSentJustBeforeStdinClosesAreAnsweredBeforeTheServerStops() throws Exception {
        start();
        // All at once and stdin closed at once, as `printf ... | indexer mcp` does.
        stdin.write((INITIALIZE + "\n{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}\n"
                + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"search_code\","
                + "\"arguments\":{\"query\":\"settle\",\"mode\":\"lexical\"}}}\n").getBytes(StandardCharsets.UTF_8));
        stdin.close();
        assertTrue(server.waitFor(60, TimeUnit.SECONDS), "closing stdin stops the server");
        assertEquals(0, server.exitValue());
        java.util.Set<Integer> ids = new java.util.TreeSet<>();
        for (String line = answers.poll(5, TimeUnit.SECONDS); line != null; line = answers.poll(1, TimeUnit.SECONDS)) {
            JsonObject answer = JsonParser.parseString(line).getAsJsonObject();
            assertTrue(answer.has("result"), line);
            ids.add(answer.get("id").getAsInt());
        }
        assertEquals(java.util.Set.of(1, 2, 3), ids, "every request answered");
    }

    @Test
    void closingStdinStopsTheServerEvenRightAfterGarbage() throws Exception {
        start();
        send(INITIALIZE);
        send("");
        send("{]");
        stdin.close();
        assertTrue(server.waitFor(30, TimeUnit.SECONDS), "closing stdin stops the server");
        assertEquals(0, server.exitValue());
    }
}
