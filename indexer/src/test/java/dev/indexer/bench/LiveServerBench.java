package dev.indexer.bench;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmarks of {@code indexer mcp} as a client sees it: the real server in a child JVM (the
 * wrapper's JVM settings), driven over stdio by the MCP Java SDK's client.
 *
 * <ul>
 *   <li>{@code latency TREE COLLECTION INDEX_DIR QUERIES [ROUNDS]}: waits until the server has caught up
 *       with the tree, then times {@code search_code} (k = 10) for every query in each mode, ROUNDS
 *       times, after one warm-up round; prints p50/p95/p99 per mode, and the server's RSS.
 *   <li>{@code leak TREE INDEX_DIR CYCLES}: edits one file of TREE CYCLES times, each time waiting
 *       until a search finds the edit; prints the server's RSS (and RssAnon) over the cycles, the
 *       first 10 against the last 10, its CPU time over 30 idle seconds afterwards, and its RSS after them.
 * </ul>
 */
public final class LiveServerBench {
    private LiveServerBench() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "latency" -> latency(Path.of(args[1]), args[2], Path.of(args[3]), Path.of(args[4]),
                    args.length > 5 ? Integer.parseInt(args[5]) : 3);
            case "leak" -> leak(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("latency or leak");
        }
    }

    private static McpSyncClient start(Path tree, String collection, Path home) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of("-u", "QDRANT_URL", "MALLOC_ARENA_MAX=2", java, "-Xmx256m",
                "-Xms32m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:+UseSerialGC", "-Xss512k"));
        // More options for the server's JVM, e.g. -XX:NativeMemoryTracking=summary to see where memory goes.
        String extra = System.getenv().getOrDefault("BENCH_SERVER_JAVA_OPTS", "");
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.indexer.cli.Main", "mcp",
                tree.toString(), "--collection", collection, "--index-dir", home.toString()));
        StdioClientTransport transport = new StdioClientTransport(
                ServerParameters.builder("/usr/bin/env").args(command).build(), McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(line -> System.err.println("server: " + line));
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofMinutes(10))
                .initializationTimeout(Duration.ofMinutes(2)).build();
        client.initialize();
        return client;
    }

    /** The server: this JVM's only child that is a JVM. */
    private static ProcessHandle server() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().orElseThrow();
    }

    private static long statusKb(ProcessHandle process, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** User and system CPU time of a process, in clock ticks (/proc/PID/stat fields 14 and 15). */
    private static long cpuTicks(ProcessHandle process) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * Waits until the server has settled: after its first run it merges the segments a build left
     * (and commits them), which is CPU work that would otherwise be timed with the searches.
     */
    private static void awaitIdle(ProcessHandle server) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long before = cpuTicks(server);
        while (true) {
            Thread.sleep(2000);
            long now = cpuTicks(server);
            if (now - before < 10) { // under 5% of one core
                break;
            }
            before = now;
        }
        System.out.printf(Locale.ROOT, "settled (merges done) %.0f s after watching began; RSS %d MB%n",
                (System.nanoTime() - start) / 1e9, statusKb(server, "VmRSS") / 1024);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(McpSyncClient client) {
        return (Map<String, Object>) client.callTool(new McpSchema.CallToolRequest("index_status", Map.of()))
                .structuredContent();
    }

    private static void awaitWatching(McpSyncClient client) throws InterruptedException {
        long start = System.nanoTime();
        while (!"watching".equals(status(client).get("state"))) {
            Thread.sleep(200);
        }
        System.out.printf(Locale.ROOT, "caught up with the tree in %.1f s: %s%n", (System.nanoTime() - start) / 1e9,
                status(client));
    }

    @SuppressWarnings("unchecked")
    private static int hits(McpSyncClient client, String query, String mode, int k) {
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("search_code",
                Map.of("query", query, "mode", mode, "limit", k)));
        if (Boolean.TRUE.equals(result.isError())) {
            throw new IllegalStateException(result.content().toString());
        }
        return ((List<Object>) ((Map<String, Object>) result.structuredContent()).get("hits")).size();
    }

    private static void latency(Path tree, String collection, Path home, Path queriesFile, int rounds)
            throws Exception {
        List<String> queries = Files.readAllLines(queriesFile).stream()
                .filter(q -> !q.isBlank() && !q.startsWith("#")).toList();
        McpSyncClient client = start(tree, collection, home);
        try {
            awaitWatching(client);
            ProcessHandle server = server();
            awaitIdle(server);
            System.out.printf(Locale.ROOT, "%d queries, %d rounds after a warm-up round, k = 10%n", queries.size(),
                    rounds);
            System.out.println("| mode | p50 ms | p95 ms | p99 ms | mean ms | server RSS after, MB | RssAnon, MB |");
            System.out.println("|---|---|---|---|---|---|---|");
            List<String> modes = List.of("hybrid", "vector", "lexical");
            // The server keeps the vectors of its last queries: every pass sends each query with its
            // own number of trailing spaces (the same words, the same answer, another text), so that
            // every timed search embeds its query. Warm every mode before timing any: the first mode
            // timed would otherwise pay for the compilation of code the others share.
            int pass = 0;
            for (String mode : modes) {
                for (String query : queries) {
                    hits(client, query + " ".repeat(pass), mode, 10);
                }
                pass++;
            }
            for (String mode : modes) {
                double[] millis = new double[queries.size() * rounds];
                int n = 0;
                for (int round = 0; round < rounds; round++) {
                    for (String query : queries) {
                        String text = query + " ".repeat(pass);
                        long t = System.nanoTime();
                        hits(client, text, mode, 10);
                        millis[n++] = (System.nanoTime() - t) / 1e6;
                    }
                    pass++;
                }
                row(mode, millis, server);
            }
            // The same queries again, as the last hybrid pass sent them: their vectors are kept.
            double[] again = new double[queries.size()];
            int n = 0;
            for (String query : queries) {
                String text = query + " ".repeat(rounds + modes.size() - 1);
                long t = System.nanoTime();
                hits(client, text, "hybrid", 10);
                again[n++] = (System.nanoTime() - t) / 1e6;
            }
            row("hybrid, a query asked again", again, server);
        } finally {
            client.closeGracefully();
        }
    }

    private static void row(String label, double[] millis, ProcessHandle server) throws IOException {
        Arrays.sort(millis);
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %d | %d |%n", label, percentile(millis, 50),
                percentile(millis, 95), percentile(millis, 99), Arrays.stream(millis).average().orElse(0),
                statusKb(server, "VmRSS") / 1024, statusKb(server, "RssAnon") / 1024);
    }

    /** {@code i} in base 26, written with the letters a to z. */
    private static String letters(int i) {
        StringBuilder word = new StringBuilder();
        int rest = i;
        do {
            word.append((char) ('a' + rest % 26));
            rest /= 26;
        } while (rest > 0);
        return word.toString();
    }

    static double percentile(double[] sorted, double p) {
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static void leak(Path tree, Path home, int cycles) throws Exception {
        Path file = tree.resolve("leak-check/Edited.java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "class Edited { int start() { return 0; } }\n");
        McpSyncClient client = start(tree, "leak-check", home);
        try {
            awaitWatching(client);
            ProcessHandle server = server();
            long[] rss = new long[cycles];
            long[] anon = new long[cycles];
            double[] seconds = new double[cycles];
            for (int i = 0; i < cycles; i++) {
                // Letters only: the lexical analyzer cuts words at digits, and "marker" alone is in
                // the previous edit too, so a marker with digits is found before its edit is indexed.
                String marker = "marker" + letters(i);
                long t = System.nanoTime();
                Files.writeString(file, "class Edited {\n    /** Edit number " + i + ". */\n    int " + marker
                        + "() { return " + i + "; }\n}\n");
                while (hits(client, marker, "lexical", 1) == 0) {
                    Thread.sleep(20);
                }
                seconds[i] = (System.nanoTime() - t) / 1e9;
                while (!"watching".equals(status(client).get("state"))) { // its vectors made too
                    Thread.sleep(20);
                }
                hits(client, "edit number " + i, "hybrid", 10);
                rss[i] = statusKb(server, "VmRSS");
                anon[i] = statusKb(server, "RssAnon");
                if (i % 20 == 0 || i == cycles - 1) {
                    System.out.printf(Locale.ROOT, "cycle %d: RSS %d MB, RssAnon %d MB, edit searchable after %.2f s%n",
                            i + 1, rss[i] / 1024, anon[i] / 1024, seconds[i]);
                }
            }
            int window = Math.min(10, cycles / 2);
            double early = Arrays.stream(rss, 0, window).average().orElse(0) / 1024;
            double late = Arrays.stream(rss, cycles - window, cycles).average().orElse(0) / 1024;
            double earlyAnon = Arrays.stream(anon, 0, window).average().orElse(0) / 1024;
            double lateAnon = Arrays.stream(anon, cycles - window, cycles).average().orElse(0) / 1024;
            double[] sorted = seconds.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "RSS: first %d cycles %.1f MB, last %d %.1f MB, ratio %.3f%n", window, early,
                    window, late, late / early);
            System.out.printf(Locale.ROOT, "RssAnon: first %.1f MB, last %.1f MB, ratio %.3f%n", earlyAnon, lateAnon,
                    lateAnon / earlyAnon);
            System.out.printf(Locale.ROOT, "edit to searchable: median %.2f s, p95 %.2f s, max %.2f s%n",
                    percentile(sorted, 50), percentile(sorted, 95), sorted[sorted.length - 1]);
            long before = cpuTicks(server);
            Thread.sleep(30_000);
            long ticks = cpuTicks(server) - before;
            System.out.printf(Locale.ROOT, "idle for 30 s: %d clock ticks of CPU (%.2f s); then RSS %d MB, RssAnon %d MB%n",
                    ticks, ticks / 100.0, statusKb(server, "VmRSS") / 1024, statusKb(server, "RssAnon") / 1024);
        } finally {
            client.closeGracefully();
        }
    }
}
