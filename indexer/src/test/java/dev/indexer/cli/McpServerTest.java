package dev.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server in a child JVM, driven by the MCP Java SDK's client: over its stdin and stdout
 * as a coding assistant launches it, and over Streamable HTTP with two clients at once.
 */
class McpServerTest {
    @TempDir
    Path tree;

    @TempDir
    Path home;

    private final List<McpSyncClient> clients = new ArrayList<>();

    @BeforeEach
    void writeTree() throws IOException {
        write("billing/Ledger.java", """
                package billing;

                /** Keeps the money owed by customers. */
                class Ledger {
                    /** Settles every open invoice of a customer against a payment. */
                    long settleInvoices(long customer, long payment) {
                        return payment - customer;
                    }
                }
                """);
        write("net/retry.py", """
                import time


                def retry_with_backoff(call, attempts=5):
                    \"\"\"Calls a flaky function again, waiting twice as long after each failure.\"\"\"
                    delay = 0.1
                    for _ in range(attempts):
                        try:
                            return call()
                        except IOError:
                            time.sleep(delay)
                            delay *= 2
                """);
        write("config/settings.py", """
                # Where the service keeps its files.
                DATA_DIR = "/var/lib/service"
                AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLQ"
                """);
    }

    @AfterEach
    void closeClients() {
        for (McpSyncClient client : clients) {
            try {
                client.closeGracefully();
            } catch (RuntimeException e) {
                // the server may be gone already
            }
        }
    }

    private void write(String relative, String text) throws IOException {
        Path file = tree.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** The server command: this test's class path, QDRANT_URL left out so the embedded store is used. */
    private List<String> serverCommand(String command, String... more) {
        List<String> args = new ArrayList<>(List.of("-u", "QDRANT_URL",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), command, tree.toString(),
                "--collection", "live", "--index-dir", home.toString(), "--model", "minilm"));
        args.addAll(List.of(more));
        return args;
    }

    private McpSyncClient stdioClient() {
        ServerParameters server = ServerParameters.builder("/usr/bin/env").args(serverCommand("mcp")).build();
        StdioClientTransport transport = new StdioClientTransport(server, McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(line -> { });
        // Schema caching: the client checks every structured result against the tool's outputSchema.
        return started(McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(60)).enableCallToolSchemaCaching(true).build());
    }

    private McpSyncClient started(McpSyncClient client) {
        clients.add(client);
        client.initialize();
        return client;
    }

    private static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> hits(CallToolResult result) {
        assertFalse(Boolean.TRUE.equals(result.isError()), String.valueOf(result.content()));
        return (List<Map<String, Object>>) ((Map<String, Object>) result.structuredContent()).get("hits");
    }

    private static String text(CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    /** Asks until {@code done} holds, for at most {@code limit}; returns how long it took. */
    private static Duration until(Duration limit, java.util.function.BooleanSupplier done) throws InterruptedException {
        long start = System.nanoTime();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - start > limit.toNanos()) {
                throw new AssertionError("not within " + limit);
            }
            Thread.sleep(100);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static Predicate<List<Map<String, Object>>> topIs(String path) {
        return hits -> !hits.isEmpty() && hits.get(0).get("path").equals(path);
    }

    private boolean indexed(McpSyncClient client) {
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) call(client, "index_status", Map.of()).structuredContent();
        return status.get("state").equals("watching") && ((Number) status.get("chunksEmbedded")).longValue() > 0;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> structured(CallToolResult result) {
        assertFalse(Boolean.TRUE.equals(result.isError()), String.valueOf(result.content()));
        return (Map<String, Object>) result.structuredContent();
    }

    @Test
    @SuppressWarnings("unchecked")
    void overStdioItFindsDefinitionsOutlinesAndReferencesAndRefusesBadNamesWithTheRule() throws Exception {
        write("billing/Invoices.java", """
                package billing;

                class Invoices {
                    private final Ledger ledger = new Ledger();

                    long settleAll(long customer) {
                        return ledger.settleInvoices(customer, 0) + ledger.settleInvoices(customer, 1);
                    }
                }
                """);
        McpSyncClient client = stdioClient();
        until(Duration.ofSeconds(60), () -> indexed(client));

        List<Map<String, Object>> definitions = (List<Map<String, Object>>) structured(call(client, "find_symbol",
                Map.of("query", "billing.Ledger#settleInvoices"))).get("definitions");
        assertEquals("billing/Ledger.java", definitions.get(0).get("path"), definitions.toString());
        assertEquals(6, definitions.get(0).get("startLine"));
        assertEquals("method", definitions.get(0).get("kind"));
        assertEquals("qualified", definitions.get(0).get("match"));
        assertTrue(definitions.get(0).get("signature").toString().contains("settleInvoices(long customer, long payment)"));
        assertEquals("net/retry.py", ((List<Map<String, Object>>) structured(call(client, "find_symbol",
                Map.of("query", "retry_with", "kind", "function"))).get("definitions")).get(0).get("path"));
        assertTrue(text(call(client, "find_symbol", Map.of("query", "sI"))).contains("billing/Ledger.java:6-8"),
                "camel humps, rendered as text too");

        Map<String, Object> outline = structured(call(client, "file_outline", Map.of("path", "billing/Invoices.java")));
        List<Map<String, Object>> top = (List<Map<String, Object>>) outline.get("definitions");
        assertEquals("Invoices", top.get(0).get("name"));
        assertEquals(List.of("ledger", "settleAll"), ((List<Map<String, Object>>) top.get(0).get("children")).stream()
                .map(c -> c.get("name")).toList());

        Map<String, Object> refs = structured(call(client, "find_references", Map.of("name", "settleInvoices",
                "limit", 1)));
        assertEquals(2, ((Number) refs.get("files")).intValue());
        List<Map<String, Object>> byFile = (List<Map<String, Object>>) refs.get("byFile");
        assertEquals("billing/Invoices.java", byFile.get(0).get("path"));
        Map<String, Object> line = ((List<Map<String, Object>>) byFile.get(0).get("lines")).get(0);
        assertEquals(7, line.get("line"));
        assertEquals("settleAll", ((Map<String, Object>) line.get("definition")).get("name"));
        Map<String, Object> next = structured(call(client, "find_references", Map.of("name", "settleInvoices",
                "cursor", refs.get("next"), "limit", 10)));
        assertEquals(List.of("billing/Ledger.java"), ((List<Map<String, Object>>) next.get("byFile")).stream()
                .map(f -> f.get("path")).toList(), "the next page continues after the first: one line per line");
        assertEquals(null, next.get("next"));

        // search_code in pages: the next continues the ranking, none repeats, the last has no cursor.
        List<Object> paths = new ArrayList<>();
        Object cursor = null;
        for (int page = 0; page < 10; page++) {
            Map<String, Object> arguments = new java.util.HashMap<>(Map.of("query", "settle invoices ledger", "limit", 1,
                    "mode", "lexical"));
            if (cursor != null) {
                arguments.put("cursor", cursor);
            }
            Map<String, Object> answer = structured(call(client, "search_code", arguments));
            ((List<Map<String, Object>>) answer.get("hits")).forEach(h -> paths.add(h.get("path") + ":" + h.get("startLine")));
            cursor = answer.get("next");
            if (cursor == null) {
                break;
            }
        }
        assertEquals(paths.stream().distinct().count(), paths.size(), paths.toString());
        assertTrue(paths.size() >= 2 && paths.get(0).toString().startsWith("billing/"), paths.toString());
        assertTrue(text(call(client, "search_code", Map.of("query", "other words", "cursor", "bm90LWEtY3Vyc29y")))
                .contains("not one search_code gave"));

        // Bad input: the rule, and the server goes on serving.
        for (Map<String, Object> bad : List.of(Map.<String, Object>of("query", " "), Map.<String, Object>of("query",
                "x".repeat(500)), Map.<String, Object>of("query", "settle.*"), Map.<String, Object>of("query", "Ledger",
                "kind", "gizmo"))) {
            CallToolResult refused = call(client, "find_symbol", bad);
            assertTrue(refused.isError(), bad.toString());
            assertTrue(text(refused).matches("(?s)Error: .*(empty|at most 200|letters, digits|the kinds are).*"),
                    text(refused));
        }
        assertTrue(text(call(client, "find_references", Map.of("name", "a|b"))).contains("one identifier"));
        assertTrue(text(call(client, "file_outline", Map.of("path", "../../etc/passwd"))).contains("outside"));
        assertTrue(text(call(client, "find_references", Map.of("name", "x", "cursor", "%%%"))).contains("cursor"));
        assertEquals("billing/Ledger.java", ((List<Map<String, Object>>) structured(call(client, "find_symbol",
                Map.of("query", "Ledger"))).get("definitions")).get(0).get("path"), "still serving");
    }

    @Test
    void searchCodeSearchesTheCollectionsOtherRepositoriesWhenAskedAndSaysWhichEachHitIsFrom() throws Exception {
        Path other = home.resolve("other-tree");
        Files.createDirectories(other.resolve("queue"));
        Files.writeString(other.resolve("queue/Backlog.java"), """
                package queue;

                /** Work waiting for a worker. */
                class Backlog {
                    /** Hands the oldest waiting job to a free worker. */
                    Job dispatchOldestJob(Worker worker) {
                        return worker.take(jobs.poll());
                    }
                }
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, IndexerCli.run(new String[] {"index", other.toString(), "--collection", "live", "--repo",
                "github.com/acme/queue", "--index-dir", home.toString(), "--model", "minilm"}, Map.of(),
                new PrintWriter(out), new PrintWriter(err), Optional.empty()), err.toString());

        ServerParameters params = ServerParameters.builder("/usr/bin/env")
                .args(serverCommand("mcp", "--repo", "github.com/acme/billing")).build();
        StdioClientTransport transport = new StdioClientTransport(params, McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(line -> { });
        McpSyncClient client = started(McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(60)).enableCallToolSchemaCaching(true).build());
        until(Duration.ofSeconds(60), () -> indexed(client));
        assertEquals("github.com/acme/billing", structured(call(client, "index_status", Map.of())).get("repo"),
                "index_status names the repository the server indexes");
        String query = "hand the oldest job to a worker, settle invoices";
        List<Map<String, Object>> own = hits(call(client, "search_code", Map.of("query", query, "limit", 10)));
        assertTrue(own.stream().allMatch(h -> h.get("repo").equals("github.com/acme/billing")), own.toString());
        List<Map<String, Object>> queue = hits(call(client, "search_code", Map.of("query", query, "repo",
                "github.com/acme/queue")));
        assertEquals("queue/Backlog.java", queue.get(0).get("path"), queue.toString());
        assertTrue(queue.stream().allMatch(h -> h.get("repo").equals("github.com/acme/queue")), queue.toString());
        assertEquals(other.resolve("queue/Backlog.java").toString(), queue.get(0).get("file"),
                "indexed on this machine: its file is known");
        for (Object every : List.of("*", List.of("github.com/acme/billing", "github.com/acme/queue"))) {
            List<Map<String, Object>> all = hits(call(client, "search_code", Map.of("query", query, "limit", 10,
                    "repo", every)));
            assertEquals(java.util.Set.of("github.com/acme/billing", "github.com/acme/queue"),
                    all.stream().map(h -> h.get("repo")).collect(java.util.stream.Collectors.toSet()), all.toString());
        }
        assertTrue(text(call(client, "search_code", Map.of("query", query, "repo", "*")))
                .contains("[github.com/acme/queue] queue/Backlog.java"));
        CallToolResult unknown = call(client, "search_code", Map.of("query", query, "repo", "github.com/acme/nope"));
        assertTrue(unknown.isError());
        assertTrue(text(unknown).contains("'github.com/acme/nope'") && text(unknown).contains("github.com/acme/queue"),
                text(unknown));
        CallToolResult number = call(client, "search_code", Map.of("query", query, "repo", 7));
        assertTrue(number.isError() && text(number).contains("repo must be a string or a list"), text(number));
        CallToolResult mixed = call(client, "search_code", Map.of("query", query, "repo", List.of("*", "x")));
        assertTrue(mixed.isError() && text(mixed).contains("\"*\""), text(mixed));
        // and the server goes on
        assertFalse(hits(call(client, "search_code", Map.of("query", query))).isEmpty());
    }

    @Test
    void aHitOfAFileDeletedSinceItWasIndexedSaysSoAndStillMatchesTheToolsSchema() throws Exception {
        // Not watching: the deletion stays unseen by the index, as between two runs of indexer index.
        ServerParameters server = ServerParameters.builder("/usr/bin/env").args(serverCommand("mcp", "--no-watch"))
                .build();
        StdioClientTransport transport = new StdioClientTransport(server, McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(line -> { });
        McpSyncClient client = started(McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(60)).enableCallToolSchemaCaching(true).build());
        until(Duration.ofSeconds(60), () -> indexed(client));
        Files.delete(tree.resolve("net/retry.py"));
        CallToolResult result = call(client, "search_code", Map.of("query", "wait longer after each failed attempt",
                "language", "python", "limit", 3));
        List<Map<String, Object>> hits = hits(result);
        assertEquals("net/retry.py", hits.get(0).get("path"), hits.toString());
        assertEquals("deleted", hits.get(0).get("stale"), hits.get(0).toString());
        assertTrue(text(result).contains("(the file was deleted since it was indexed: this is what it held)")
                && text(result).contains("Note: net/retry.py was deleted since it was indexed"), text(result));
        List<Map<String, Object>> java = hits(call(client, "search_code", Map.of("query",
                "settle the invoices a customer owes", "language", "java", "limit", 3)));
        assertFalse(java.get(0).containsKey("stale"), "a file as it was indexed: " + java.get(0));
    }

    @Test
    void overStdioItListsItsToolsAnswersFollowsTheTreeAndStopsWhenStdinCloses() throws Exception {
        McpSyncClient client = stdioClient();
        List<McpSchema.Tool> tools = client.listTools().tools();
        assertEquals(List.of("file_outline", "find_references", "find_symbol", "index_status", "read_code", "reindex",
                        "search_code"),
                tools.stream().map(McpSchema.Tool::name).sorted().toList());
        McpSchema.Tool search = tools.stream().filter(t -> t.name().equals("search_code")).findFirst().orElseThrow();
        assertEquals(List.of("query"), search.inputSchema().get("required"));
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) search.inputSchema().get("properties");
        assertTrue(properties.keySet().containsAll(List.of("query", "limit", "mode", "language", "path")),
                search.inputSchema().toString());
        for (McpSchema.Tool tool : tools) {
            assertEquals("object", tool.outputSchema().get("type"), tool.name() + " declares what it returns");
        }
        assertEquals(List.of("hits"), search.outputSchema().get("required"));

        until(Duration.ofSeconds(60), () -> indexed(client));
        List<Map<String, Object>> hits = hits(call(client, "search_code",
                Map.of("query", "settle the invoices a customer owes", "limit", 3)));
        assertEquals("billing/Ledger.java", hits.get(0).get("path"), hits.toString());
        assertTrue(List.of("settleInvoices", "Ledger").contains(hits.get(0).get("symbol")), hits.toString());
        assertTrue((Integer) hits.get(0).get("startLine") <= 6 && (Integer) hits.get(0).get("endLine") >= 7);
        assertTrue(hits.get(0).get("text").toString().contains("long settleInvoices("));
        assertTrue(text(call(client, "search_code", Map.of("query", "settleInvoices")))
                .contains("billing/Ledger.java"), "a readable rendering beside the structure");
        List<Map<String, Object>> python = hits(call(client, "search_code",
                Map.of("query", "wait longer after each failed attempt", "language", "python", "limit", 2)));
        assertEquals("net/retry.py", python.get(0).get("path"));
        // Any case names the language, as on the command line; every hit is of that language.
        List<Map<String, Object>> java = hits(call(client, "search_code",
                Map.of("query", "settle the invoices a customer owes", "language", "JAVA")));
        assertFalse(java.isEmpty());
        assertTrue(java.stream().allMatch(h -> h.get("language").equals("java")), java.toString());
        assertEquals("billing/Ledger.java", java.get(0).get("path"));
        assertTrue(java.get(0).get("file").toString().endsWith("/billing/Ledger.java"), java.get(0).toString());

        // Malformed calls: an error that says what is wrong, and the server goes on.
        CallToolResult noQuery = call(client, "search_code", Map.of("limit", 3));
        assertTrue(noQuery.isError());
        assertTrue(text(noQuery).contains("query"), text(noQuery));
        CallToolResult badMode = call(client, "search_code", Map.of("query", "x", "mode", "psychic"));
        assertTrue(badMode.isError());
        assertTrue(text(badMode).contains("mode"), text(badMode));
        McpError unknown = assertThrows(McpError.class, () -> call(client, "grep_everything", Map.of()));
        assertTrue(unknown.getMessage().contains("grep_everything") || unknown.getMessage().contains("Unknown tool"),
                unknown.getMessage());
        assertEquals("billing/Ledger.java", hits(call(client, "search_code", Map.of("query", "settleInvoices")))
                .get(0).get("path"));

        // read_code: lines of the tree, secrets redacted, nothing outside it.
        CallToolResult lines = call(client, "read_code", Map.of("path", "billing/Ledger.java", "startLine", 5,
                "endLine", 6));
        assertFalse(Boolean.TRUE.equals(lines.isError()), text(lines));
        @SuppressWarnings("unchecked")
        Map<String, Object> excerpt = (Map<String, Object>) lines.structuredContent();
        assertEquals("    /** Settles every open invoice of a customer against a payment. */\n"
                + "    long settleInvoices(long customer, long payment) {", excerpt.get("text"));
        assertEquals(9, excerpt.get("totalLines"));
        String settings = text(call(client, "read_code", Map.of("path", "config/settings.py", "startLine", 1,
                "endLine", 3)));
        assertTrue(settings.contains("DATA_DIR") && !settings.contains("AKIAIOSFODNN7EXAMPLQ"), settings);
        assertTrue(call(client, "read_code", Map.of("path", "../outside.txt", "startLine", 1, "endLine", 2))
                .isError());
        assertTrue(call(client, "read_code", Map.of("path", "billing/Ledger.java", "startLine", 50, "endLine", 60))
                .isError());

        // Hostile arguments: the tool's own sentence, never a library's; a line past the end is the end.
        CallToolResult nul = call(client, "read_code", Map.of("path", "billing/Ledger\u0000.java", "startLine", 1,
                "endLine", 2));
        assertTrue(nul.isError() && text(nul).contains("'billing/Ledger\\u0000.java' cannot be a path here"), text(nul));
        for (Object last : List.of(2147483648L, 1e300, new java.math.BigInteger("99999999999999999999999"))) {
            CallToolResult tail = call(client, "read_code", Map.of("path", "billing/Ledger.java", "startLine", 8,
                    "endLine", last));
            assertFalse(Boolean.TRUE.equals(tail.isError()), text(tail));
            assertEquals(9, ((Map<?, ?>) tail.structuredContent()).get("endLine"), text(tail));
        }
        CallToolResult farStart = call(client, "read_code", Map.of("path", "billing/Ledger.java", "startLine",
                2147483648L, "endLine", 2147483649L));
        assertEquals("Error: startLine must be from 1 to 2147483647, was 2147483648", text(farStart));
        CallToolResult fraction = call(client, "read_code", Map.of("path", "billing/Ledger.java", "startLine", 1.5,
                "endLine", 3));
        assertEquals("Error: startLine must be a whole number, was 1.5", text(fraction));
        String megabyte = "zq".repeat(500_000);
        assertFalse(hits(call(client, "search_code", Map.of("query", megabyte))).isEmpty(), "the meaning of something");
        CallToolResult nothing = call(client, "search_code", Map.of("query", megabyte, "mode", "lexical"));
        assertTrue(text(nothing).startsWith("No matches for: zqzq") && text(nothing).length() < 400
                && text(nothing).contains("(1,000,000 characters in all)"), text(nothing).substring(0, Math.min(300, text(nothing).length())));

        // The tree changes while it runs: a new file is found, a deleted one disappears.
        write("geo/Distance.java", """
                package geo;

                class Distance {
                    /** The great-circle distance between two points on the earth, by the haversine formula. */
                    static double haversineKilometres(double lat1, double lon1, double lat2, double lon2) {
                        return 0;
                    }
                }
                """);
        Map<String, Object> words = Map.of("query", "haversineKilometres", "mode", "lexical");
        Duration found = until(Duration.ofSeconds(10),
                () -> topIs("geo/Distance.java").test(hits(call(client, "search_code", words))));
        Files.delete(tree.resolve("billing/Ledger.java"));
        Duration gone = until(Duration.ofSeconds(10), () -> hits(call(client, "search_code",
                Map.of("query", "settleInvoices", "mode", "lexical"))).stream()
                .noneMatch(h -> h.get("path").equals("billing/Ledger.java")));
        assertTrue(found.toMillis() < 10_000 && gone.toMillis() < 10_000);
        // Navigation follows the tree too: the new method is a definition, the deleted file's are gone.
        until(Duration.ofSeconds(10), () -> text(call(client, "find_symbol", Map.of("query",
                "Distance.haversineKilometres"))).startsWith("geo/Distance.java:5-7  method geo.Distance.haversineKilometres"));
        until(Duration.ofSeconds(10), () -> text(call(client, "find_symbol", Map.of("query", "Ledger.settleInvoices")))
                .startsWith("No definitions match"));
        assertTrue(text(call(client, "find_references", Map.of("name", "settleInvoices"))).startsWith("No indexed file"));

        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) call(client, "index_status", Map.of()).structuredContent();
        assertTrue(List.of("watching", "indexing").contains(status.get("state")), status.toString());
        assertEquals(3L, ((Number) status.get("filesIndexed")).longValue(), status.toString());
        assertTrue(status.containsKey("lastUpdate") && status.containsKey("lastError"), status.toString());
        // The server's resident memory, anonymous and file-backed apart (its mapped index is the latter).
        Map<String, Object> memory = (Map<String, Object>) status.get("memory");
        assertTrue(((Number) memory.get("rssAnonBytes")).longValue() > 10 << 20, memory.toString());
        assertTrue(((Number) memory.get("rssFileBytes")).longValue() > 1 << 20, memory.toString());
        assertTrue(text(call(client, "index_status", Map.of())).matches("(?s).*Memory: [0-9.]+ MB anonymous, [0-9.]+ MB"
                + " file-backed.*"), "and as text");

        // Another writer is told that a server keeps the collection current; a search works alongside.
        ChildProcess index = ChildProcess.start(home.resolve("logs"), Map.of(), "index", tree.toString(),
                "--collection", "live", "--index-dir", home.toString(), "--model", "minilm", "-q");
        assertEquals(1, index.waitFor());
        assertTrue(index.err().contains("kept up to date by an indexer server (pid"), index.err());
        // status, from another process, finds the server and its memory, the two kinds apart.
        ChildProcess statusCli = ChildProcess.start(home.resolve("logs"), Map.of(), "status", "--collection", "live",
                "--index-dir", home.toString(), "--json");
        assertEquals(0, statusCli.waitFor(), statusCli.err());
        com.google.gson.JsonObject server = com.google.gson.JsonParser.parseString(statusCli.out()).getAsJsonObject()
                .getAsJsonObject("server");
        String pid = index.err().replaceAll("(?s).*\\(pid (\\d+)\\).*", "$1");
        assertEquals(pid, server.get("pid").getAsString(), statusCli.out());
        assertTrue(server.getAsJsonObject("memory").get("rssAnonBytes").getAsLong() > 10 << 20, statusCli.out());
        assertTrue(server.getAsJsonObject("memory").get("rssFileBytes").getAsLong() > 1 << 20, statusCli.out());
        // search asks the server, over its socket in the collection's directory (the owner's only).
        Path socket = dev.indexer.RepoDirs.only(home, "live").resolve("search.sock");
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(socket)));
        ChildProcess cli = ChildProcess.start(home.resolve("logs"), Map.of(), "search", "haversine distance",
                "--collection", "live", "--index-dir", home.toString(), "--json", "--verbose");
        assertEquals(0, cli.waitFor(), cli.err());
        assertTrue(cli.out().contains("geo/Distance.java"), cli.out());
        assertTrue(cli.err().matches("(?s)indexer: answered by the server that holds collection 'live' \\(pid " + pid
                + "\\) in \\d+ ms\n"), cli.err());
        String asked = cli.out();

        // Closing stdin stops it: the lock is released, its socket removed and what was indexed is kept.
        client.closeGracefully();
        clients.clear();
        until(Duration.ofSeconds(20), () -> !Files.exists(socket));
        ChildProcess alone = ChildProcess.start(home.resolve("logs"), Map.of(), "search", "haversine distance",
                "--collection", "live", "--index-dir", home.toString(), "--json", "--verbose");
        assertEquals(0, alone.waitFor(), alone.err());
        assertEquals(asked, alone.out(), "the server's answer is the one a search of its own gives");
        assertTrue(alone.err().startsWith("indexer: no server listens for searches of collection 'live' on this machine; searching it"
                + " here\nindexer: searched here in "), alone.err());
        until(Duration.ofSeconds(20), () -> {
            ChildProcess again;
            try {
                again = ChildProcess.start(home.resolve("logs"), Map.of(), "index", tree.toString(), "--collection",
                        "live", "--index-dir", home.toString(), "--model", "minilm", "--json", "-q");
                return again.waitFor() == 0 && again.out().contains("\"filesIndexed\":0");
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void overHttpTwoClientsAtOnceTheTokenIsEnforcedAndSigtermStopsIt() throws Exception {
        ChildProcess server = ChildProcess.start(home.resolve("logs"), Map.of("INDEXER_TOKEN", "s3cret-token"),
                "serve", tree.toString(), "--collection", "live", "--index-dir", home.toString(), "--model", "minilm",
                "--port", "0");
        String url = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Pattern listening = Pattern.compile("listening on (http://\\S+/mcp)");
        while (url == null && System.nanoTime() < deadline && server.process().isAlive()) {
            Matcher m = listening.matcher(server.err());
            if (m.find()) {
                url = m.group(1);
            }
            Thread.sleep(100);
        }
        assertTrue(url != null, "no address announced: " + server.err());
        HttpClient http = HttpClient.newHttpClient();
        String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
        for (String token : new String[] {null, "wrong"}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(initialize));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            assertEquals(401, http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        String base = url.substring(0, url.length() - "/mcp".length());
        List<McpSyncClient> two = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(base)
                    .endpoint("/mcp")
                    .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer s3cret-token"))
                    .build();
            two.add(started(McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                    .enableCallToolSchemaCaching(true).build()));
        }
        until(Duration.ofSeconds(60), () -> indexed(two.get(0)));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Map<String, Object>>>> answers = new ArrayList<>();
            for (McpSyncClient client : two) {
                answers.add(pool.submit(() -> {
                    List<Map<String, Object>> last = List.of();
                    for (int i = 0; i < 10; i++) {
                        last = hits(call(client, "search_code", Map.of("query", "retry a flaky call with backoff")));
                    }
                    return last;
                }));
            }
            for (Future<List<Map<String, Object>>> answer : answers) {
                assertEquals("net/retry.py", answer.get().get(0).get("path"));
            }
        } finally {
            pool.shutdownNow();
        }
        server.signal("TERM");
        assertEquals(0, server.waitFor(), server.err());
        assertTrue(server.err().contains("stopping: what is indexed is kept"), server.err());
        assertFalse(server.err().contains("Exception"), server.err());
    }
}
