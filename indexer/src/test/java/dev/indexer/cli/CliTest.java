package dev.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CliTest {
    @TempDir
    static Path tree;

    @TempDir
    static Path home;

    record Result(int code, String out, String err) {}

    static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = IndexerCli.run(args, env, new PrintWriter(out), new PrintWriter(err), Optional.empty());
        return new Result(code, out.toString(), err.toString());
    }

    static Result run(String... args) {
        return run(Map.of(), args);
    }

    @BeforeAll
    static void writeTree() throws IOException {
        Files.createDirectories(tree.resolve("geo"));
        Files.createDirectories(tree.resolve("text"));
        Files.createDirectories(tree.resolve("net"));
        Files.createDirectories(tree.resolve("auth"));
        Files.writeString(tree.resolve("geo/Haversine.java"), """
                package geo;

                final class Haversine {
                    private static final double R = 6371.0;

                    static double km(double lat1, double lon1, double lat2, double lon2) {
                        double dLat = Math.toRadians(lat2 - lat1);
                        double dLon = Math.toRadians(lon2 - lon1);
                        double a = Math.pow(Math.sin(dLat / 2), 2)
                                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
                        return 2 * R * Math.asin(Math.sqrt(a));
                    }
                }
                """);
        Files.writeString(tree.resolve("text/slug.py"), """
                import re
                import unicodedata


                def slugify(title):
                    normalized = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
                    return re.sub(r"[^a-z0-9]+", "-", normalized.lower()).strip("-")
                """);
        Files.writeString(tree.resolve("net/backoff.go"), """
                package net

                import (
                	"math/rand"
                	"time"
                )

                func nextDelay(attempt int) time.Duration {
                	base := 100 * time.Millisecond << attempt
                	if base > 30*time.Second {
                		base = 30 * time.Second
                	}
                	return base/2 + time.Duration(rand.Int63n(int64(base/2)))
                }
                """);
        Files.writeString(tree.resolve("auth/passwords.ts"), """
                import { pbkdf2Sync, randomBytes, timingSafeEqual } from "crypto";

                export function hashSecret(plain: string): string {
                  const salt = randomBytes(16);
                  const key = pbkdf2Sync(plain, salt, 310000, 32, "sha256");
                  return salt.toString("hex") + ":" + key.toString("hex");
                }

                export function verifySecret(plain: string, stored: string): boolean {
                  const [salt, key] = stored.split(":");
                  const candidate = pbkdf2Sync(plain, Buffer.from(salt, "hex"), 310000, 32, "sha256");
                  return timingSafeEqual(candidate, Buffer.from(key, "hex"));
                }
                """);
        Files.writeString(tree.resolve(".env"), "API_TOKEN=abc\n");
        Files.write(tree.resolve("logo.png"), CliTest.class.getResourceAsStream("/logo.png").readAllBytes());
        Result indexed = run(Map.of("INDEXER_HOME", home.toString()), "index", tree.toString(),
                "--collection", "e2e", "--batch-size", "2", "--quiet");
        assertEquals(0, indexed.code(), indexed.err());
    }

    @Test
    void indexReportsWhatItDidAndWhereTheIndexWent() {
        Result rebuilt = run(Map.of("INDEXER_HOME", home.toString()), "index", tree.toString(),
                "--collection", "report", "--json", "--quiet");
        assertEquals(0, rebuilt.code(), rebuilt.err());
        JsonObject report = JsonParser.parseString(rebuilt.out()).getAsJsonObject();
        assertEquals(4, report.get("filesIndexed").getAsInt());
        assertEquals(5, report.get("filesNew").getAsInt(), "4 sources and the PNG were read");
        assertEquals(1, report.getAsJsonObject("skipped").get("secret").getAsInt());
        assertEquals(1, report.getAsJsonObject("skipped").get("binary").getAsInt());
        assertEquals("bge-small", report.get("model").getAsString());
        assertTrue(report.get("chunks").getAsInt() >= 4);
        assertTrue(Files.isDirectory(dev.indexer.RepoDirs.only(home, "report").resolve("lucene")), "INDEXER_HOME decides where collections go");

        Result again = run(Map.of("INDEXER_HOME", home.toString()), "index", tree.toString(),
                "--collection", "report", "--json", "--quiet");
        JsonObject rerun = JsonParser.parseString(again.out()).getAsJsonObject();
        assertEquals(0, rerun.get("filesIndexed").getAsInt());
        assertEquals(5, rerun.get("filesUnchanged").getAsInt(), "the PNG is remembered as binary, not read again");
        assertEquals(0, rerun.get("chunksEmbedded").getAsInt());
        assertEquals(0, rerun.get("remaining").getAsInt());
    }

    static Stream<Arguments> plainEnglishQueries() {
        return Stream.of(
                Arguments.of("great-circle distance between two coordinates on the globe", "geo/Haversine.java"),
                Arguments.of("make a url friendly string from an article heading", "text/slug.py"),
                Arguments.of("wait longer after each failed attempt before retrying", "net/backoff.go"),
                Arguments.of("store user passwords securely with a salt", "auth/passwords.ts"));
    }

    @ParameterizedTest
    @MethodSource("plainEnglishQueries")
    void searchFindsAFunctionByWhatItDoes(String query, String expectedFile) {
        Result result = run("search", query, "--collection", "e2e", "--index-dir", home.toString(), "-k", "3");
        assertEquals(0, result.code(), result.err());
        String first = result.out().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith(expectedFile + ":"), "first hit for '" + query + "':\n[" + result.out() + "]" + result.err());
        // path:lines  fused score  [kind symbol [in container]]
        assertTrue(first.matches(".+:\\d+-\\d+  \\d\\.\\d{4}(  \\w+ \\S+( in \\S+)?)?"), first);
    }

    /** Model calls two at a time build a collection that answers by meaning as one at a time does. */
    @Test
    void twoModelCallsAtOnceEmbedEveryChunkAndFindByMeaning() {
        String calls = Integer.toString(Math.min(2, Runtime.getRuntime().availableProcessors()));
        Result indexed = run(Map.of("INDEXER_HOME", home.toString()), "index", tree.toString(),
                "--collection", "calls", "--model-calls", calls, "--batch-size", "2", "--vector-cache", "0",
                "--json", "--quiet");
        assertEquals(0, indexed.code(), indexed.err());
        JsonObject report = JsonParser.parseString(indexed.out()).getAsJsonObject();
        assertEquals(4, report.get("filesIndexed").getAsInt());
        assertEquals(report.get("chunks").getAsInt(), report.get("chunksEmbedded").getAsInt(), indexed.out());
        for (Arguments query : plainEnglishQueries().toList()) {
            String text = (String) query.get()[0];
            Result found = run("search", text, "--collection", "calls", "--index-dir", home.toString(),
                    "--mode", "vector", "-k", "1");
            assertEquals(0, found.code(), found.err());
            assertTrue(found.out().startsWith(query.get()[1] + ":"), text + ":\n" + found.out());
        }
    }

    @Test
    void symbolsOutlineAndRefsAnswerFromTheIndexAsTextAndJson() {
        String[] where = {"--collection", "e2e", "--index-dir", home.toString()};
        Result symbols = run(concat(new String[] {"symbols", "Haversine.km"}, where));
        assertEquals(0, symbols.code(), symbols.err());
        assertTrue(symbols.out().startsWith("geo/Haversine.java:6-"), symbols.out());
        assertTrue(symbols.out().contains("method geo.Haversine.km"), symbols.out());
        Result json = run(concat(new String[] {"symbols", "verifySecret", "--json"}, where));
        JsonObject answer = JsonParser.parseString(json.out()).getAsJsonObject();
        JsonObject first = answer.getAsJsonArray("definitions").get(0).getAsJsonObject();
        assertEquals("auth/passwords.ts", first.get("path").getAsString());
        assertEquals("function", first.get("kind").getAsString());
        Result outline = run(concat(new String[] {"outline", "geo/Haversine.java"}, where));
        assertEquals(0, outline.code(), outline.err());
        assertTrue(outline.out().contains("class Haversine") && outline.out().contains("    6-")
                && outline.out().contains("method km"), outline.out());
        Result refs = run(concat(new String[] {"refs", "R"}, where));
        assertEquals(0, refs.code(), refs.err());
        assertTrue(refs.out().startsWith("R: "), refs.out());
        assertTrue(refs.out().contains("geo/Haversine.java") && refs.out().contains("[in method km]"), refs.out());
        // A file of the working directory outside the root keeps the root's refusal.
        Result notIndexed = run(concat(new String[] {"outline", "pom.xml"}, where));
        assertEquals(2, notIndexed.code());
        assertTrue(notIndexed.err().startsWith("'pom.xml' is not an indexed file of this collection"), notIndexed.err());
        assertEquals(List.of("(indexer outline --help shows the usage)"), notIndexed.err().lines().skip(1).toList(),
                "the refusal and a pointer to the usage, not the usage itself");
        Result outside = run(concat(new String[] {"outline", "../../etc/passwd"}, where));
        assertEquals(2, outside.code());
        assertTrue(outside.err().startsWith("'../../etc/passwd' is outside the collection's root"), outside.err());
    }

    @Test
    void outlineReadsARelativePathFromTheWorkingDirectoryToo() throws IOException {
        Path geo = tree.resolve("geo");
        assertEquals(List.of(geo.resolve("Haversine.java").toString(), geo.resolve("Haversine.java").toRealPath().toString())
                .stream().distinct().toList(), OutlineCommand.fromWorkingDirectory("Haversine.java", geo));
        assertEquals(List.of(), OutlineCommand.fromWorkingDirectory("Nowhere.java", geo));
        assertEquals(List.of(), OutlineCommand.fromWorkingDirectory(geo.resolve("Haversine.java").toString(), geo));
        assertEquals(List.of(), OutlineCommand.fromWorkingDirectory("geo", tree)); // a directory is no file
        assertEquals(List.of(), OutlineCommand.fromWorkingDirectory("a\u0000b", tree));
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new);
    }

    @Test
    void searchJsonHasOneObjectPerHit() {
        Result result = run("search", "hash a password", "--collection", "e2e", "--index-dir", home.toString(),
                "-k", "2", "--json");
        assertEquals(0, result.code(), result.err());
        List<String> lines = result.out().lines().toList();
        assertEquals(2, lines.size());
        JsonObject hit = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals("auth/passwords.ts", hit.get("path").getAsString());
        assertEquals(tree.resolve("auth/passwords.ts").toString(), hit.get("file").getAsString());
        // The hit is hashSecret (lines 3-7), whole.
        assertTrue(hit.get("startLine").getAsInt() <= 3 && hit.get("endLine").getAsInt() >= 7, hit.toString());
        assertTrue(hit.get("text").getAsString().contains("pbkdf2Sync(plain, salt"), hit.toString());
        assertEquals("typescript", hit.get("language").getAsString());
    }

    @Test
    void lexicalSearchNeedsNoModelAndFindsNamesByTheirParts() {
        Result result = run("search", "haversine distance", "--collection", "e2e", "--index-dir", home.toString(),
                "--mode", "lexical", "-k", "1");
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().startsWith("geo/Haversine.java:"), result.out());
    }

    @Test
    void languageAndPathFiltersNarrowTheHits() {
        Result python = run("search", "hash a password", "--collection", "e2e", "--index-dir", home.toString(),
                "--lang", "python", "--json");
        assertEquals(0, python.code(), python.err());
        assertFalse(python.out().isBlank());
        assertTrue(python.out().lines().allMatch(l -> l.contains("\"language\":\"python\"")), python.out());
        Result glob = run("search", "hash a password", "--collection", "e2e", "--index-dir", home.toString(),
                "--path", "net/**", "--json");
        List<String> globbed = glob.out().lines().toList();
        assertFalse(globbed.isEmpty(), "the glob matches net/backoff.go:\n" + glob.err());
        assertEquals("net/backoff.go", JsonParser.parseString(globbed.get(0)).getAsJsonObject().get("path").getAsString());
        assertTrue(globbed.stream().allMatch(l -> l.contains("\"path\":\"net/")), glob.out());
        // Languages are named in any case, as the MCP tool takes them.
        for (String java : List.of("Java", "JAVA", " java ")) {
            Result hits = run("search", "hash a password", "--collection", "e2e", "--index-dir", home.toString(),
                    "--lang", java, "--json");
            assertEquals(0, hits.code(), hits.err());
            assertFalse(hits.out().isBlank(), java + " finds the Java files:\n" + hits.err());
            assertTrue(hits.out().lines().allMatch(l -> l.contains("\"language\":\"java\"")), hits.out());
        }
        Result none = run("search", "hash a password", "--collection", "e2e", "--index-dir", home.toString(),
                "--lang", "cobol");
        assertEquals(0, none.code());
        assertTrue(none.out().contains("No results in collection 'e2e' with these filters."), none.out());
    }

    @Test
    void queriesFromAFileGiveOneJsonLineEach() throws IOException {
        Path queries = tree.getParent().resolve("queries-" + System.nanoTime() + ".txt");
        Files.writeString(queries, "# evaluation queries\nhash a password\n\ngreat-circle distance on the globe\n");
        Result result = run("search", "--queries", queries.toString(), "--collection", "e2e", "--index-dir",
                home.toString(), "-k", "2");
        assertEquals(0, result.code(), result.err());
        List<String> lines = result.out().lines().toList();
        assertEquals(2, lines.size(), result.out());
        JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals("hash a password", first.get("query").getAsString());
        assertEquals(2, first.getAsJsonArray("hits").size());
        assertEquals("auth/passwords.ts", first.getAsJsonArray("hits").get(0).getAsJsonObject().get("path").getAsString());
        JsonObject second = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        assertEquals("geo/Haversine.java",
                second.getAsJsonArray("hits").get(0).getAsJsonObject().get("path").getAsString());
        Result missing = run("search", "--queries", "/no/such/file", "--collection", "e2e", "--index-dir", home.toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("The queries file /no/such/file does not exist"), missing.err());
    }

    @Test
    void anotherModelForAnExistingCollectionIsAFatalErrorWithARemedy() {
        Result result = run("index", tree.toString(), "--collection", "e2e", "--index-dir", home.toString(),
                "--model", "minilm", "--quiet");
        assertEquals(1, result.code());
        assertTrue(result.err().contains("was built with model bge-small (not minilm)"), result.err());
        assertTrue(result.err().contains("--reindex"), result.err());
        assertEquals(1, result.err().lines().count(), "one sentence, no stack trace:\n" + result.err());
    }

    static Stream<Arguments> usageErrors() {
        String t = tree.toString();
        return Stream.of(
                Arguments.of(new String[] {}, "a command is required"),
                Arguments.of(new String[] {"index"}, "Missing required"),
                Arguments.of(new String[] {"index", "/no/such/dir", "--collection", "x"}, "does not exist"),
                // Without --collection the tree's repository names it; a file system's root names nothing.
                Arguments.of(new String[] {"index", "/"}, "No collection name can be made from /; name one with --collection"),
                Arguments.of(new String[] {"index", t, "--collection", "bad name"}, "not a valid collection name"),
                Arguments.of(new String[] {"index", t, "--collection", "x", "--batch-size", "0"}, "--batch-size must be"),
                Arguments.of(new String[] {"index", t, "--collection", "x", "--batch-size", "many"}, "'many' is not an int"),
                Arguments.of(new String[] {"index", t, "--collection", "x", "--max-file-size", "5XB"}, "512k, 5MB, 1g"),
                Arguments.of(new String[] {"index", t, "--collection", "x", "--max-files", "0"}, "--max-files must be"),
                Arguments.of(new String[] {"index", t, "--collection", "x", "--model", "gpt"}, "unknown model 'gpt'"),
                Arguments.of(new String[] {"index", t, "--collection", "x", "--model-calls", "0"},
                        "--model-calls: 0 is not from 1 to "),
                Arguments.of(new String[] {"estimate", t, "--model-calls", "100000"},
                        "--model-calls: 100000 is not from 1 to "),
                Arguments.of(new String[] {"index", t, "--collection", "x", "--model-calls", "two"},
                        "'two' is not an int"),
                Arguments.of(new String[] {"index", t, "--collection", "x", "--frobnicate"}, "Unknown option"),
                Arguments.of(new String[] {"index", t, "--collection", "x", "--commit-interval", "soon"},
                        "'soon' is not a duration"),
                Arguments.of(new String[] {"status", "/tmp"}, "PATH needs --collection"),
                Arguments.of(new String[] {"drop", "--collection", "../etc"}, "not a valid collection name"),
                Arguments.of(new String[] {"search", "q"}, "--collection"),
                Arguments.of(new String[] {"search", " ", "--collection", "x"}, "QUERY is empty"),
                Arguments.of(new String[] {"search", "q", "--collection", "x", "-k", "0"}, "-k must be from 1 to 1000"),
                Arguments.of(new String[] {"search", "q", "--collection", "x", "--mode", "fuzzy"},
                        "unknown search mode 'fuzzy'"),
                Arguments.of(new String[] {"search", "q", "--collection", "x", "--path", "src/[ab"}, "'[' without ']'"),
                Arguments.of(new String[] {"search", "--collection", "x"}, "give either QUERY or --queries FILE"),
                Arguments.of(new String[] {"search", "q", "--queries", "f.txt", "--collection", "x"},
                        "give either QUERY or --queries FILE"),
                Arguments.of(new String[] {"index", t, "--collection", "x", "--chunker", "words"}, "unknown chunker 'words'"),
                Arguments.of(new String[] {"symbols", " ", "--collection", "x"}, "the symbol name is empty"),
                Arguments.of(new String[] {"symbols", "get.*", "--collection", "x"}, "wildcards and regular expressions"),
                Arguments.of(new String[] {"symbols", "x".repeat(500), "--collection", "x"}, "at most 200"),
                Arguments.of(new String[] {"symbols", "get", "--collection", "x", "--path", "src/[ab"}, "'[' without ']'"),
                Arguments.of(new String[] {"refs", "a", "--collection", "x", "--path", "{a"}, "path glob"),
                Arguments.of(new String[] {"outline"}, "Missing required parameter"),
                Arguments.of(new String[] {"refs", "a", "--collection", "x", "-k", "0"}, "-k must be from 1 to 500, was 0"),
                Arguments.of(new String[] {"symbols", "a", "--collection", "x", "-k", "501"}, "-k must be from 1 to 500"),
                Arguments.of(new String[] {"nosuchcommand", "--help"}, "unknown command 'nosuchcommand'"),
                Arguments.of(new String[] {"nosuchcommand"}, "unknown command 'nosuchcommand'"),
                Arguments.of(new String[] {"status", "--index-dir", ""}, "--index-dir is empty"),
                Arguments.of(new String[] {"status", "--index-dir", "/"}, "--index-dir / is the root of a file system"),
                Arguments.of(new String[] {"search", "q", "--collection", "x", "--index-dir", "/"}, "root of a file system"),
                Arguments.of(new String[] {"index", t, "--collection", "x", "--index-dir", t},
                        "the tree to index; keep the index outside it"),
                Arguments.of(new String[] {"index", t, "--collection", "x", "--index-dir", t + "/./"},
                        "the tree to index; keep the index outside it"));
    }

    @ParameterizedTest
    @MethodSource("usageErrors")
    void usageErrorsExitWithTwoAndSayWhatIsWrong(String[] args, String message) {
        Result result = run(args);
        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().contains(message), "expected '" + message + "' in:\n" + result.err());
    }

    @Test
    void aValueThatBreaksARuleIsItsMessageAndAPointerNotTheUsage() {
        for (String[] args : List.of(new String[] {"symbols", " ", "--collection", "x"},
                new String[] {"symbols", "get.*", "--collection", "x"},
                new String[] {"refs", "a", "--collection", "x", "-k", "0"},
                new String[] {"symbols", "x".repeat(500), "--collection", "x"},
                new String[] {"search", "q", "--collection", "x", "--path", "src/[ab"},
                // The same for every value the command line turns down, its own checks and picocli's.
                new String[] {"index", tree.toString(), "--collection", "x", "--batch-size", "abc"},
                new String[] {"index", tree.toString(), "--collection", "x", "--model-calls", "0"},
                new String[] {"status", "--index-dir", ""},
                new String[] {"search", "q", "--queries", "q.txt", "--collection", "x"},
                new String[] {"symbols", "a", "--collection", "no/such"})) {
            Result result = run(args);
            assertEquals(2, result.code(), result.err());
            List<String> lines = result.err().lines().toList();
            assertEquals(2, lines.size(), result.err());
            assertEquals("(indexer " + args[0] + " --help shows the usage)", lines.get(1));
        }
        // What was typed is repeated with its control characters escaped, not sent to the terminal.
        for (String[] args : List.of(new String[] {"symbols", "a\u001b[31mred", "--collection", "x"},
                new String[] {"no\u001b]0;title\u0007such"})) {
            Result result = run(args);
            assertEquals(2, result.code(), result.err());
            assertFalse(result.err().chars().anyMatch(c -> c == 0x1b || c == 0x07), result.err());
            assertTrue(result.err().contains("\\u001b"), result.err());
        }
        // Something missing (a parameter, a required option, a command) still shows the usage.
        for (String[] args : List.of(new String[] {"outline"}, new String[] {"search", "q"},
                new String[] {"search", "--collection", "x"}, new String[] {})) {
            Result missing = run(args);
            assertEquals(2, missing.code(), missing.err());
            String usage = args.length == 0 ? "Usage: indexer " : "Usage: indexer " + args[0];
            assertTrue(missing.err().contains(usage), missing.err());
        }
    }

    @Test
    void aQueriesFileThatCannotBeReadIsOneSentence(@TempDir Path dir) throws IOException {
        run("index", tree.toString(), "--collection", "q", "--index-dir", home.toString(), "--model", "minilm", "--quiet");
        Path notUtf8 = Files.write(dir.resolve("queries.txt"), new byte[] {'a', 'd', 'd', '\n', '#', '\n', (byte) 0xff, '\n'});
        for (var c : List.of(new String[] {dir.toString(), "is a directory"},
                new String[] {dir.resolve("none").toString(), "does not exist"},
                new String[] {notUtf8.toString(), "Line 3 of the queries file " + notUtf8 + " is not UTF-8"})) {
            Result result = run("search", "--queries", c[0], "--collection", "q", "--index-dir", home.toString());
            assertEquals(1, result.code(), result.err());
            assertTrue(result.err().contains(c[1]), result.err());
            assertEquals(1, result.err().lines().count(), "one sentence, no stack trace:\n" + result.err());
        }
        assertFalse(Files.exists(Path.of("collections")), "nothing written to the working directory");
    }

    @Test
    void searchingACollectionThatDoesNotExistIsFatal() {
        Result result = run("search", "anything", "--collection", "missing", "--index-dir", home.toString());
        assertEquals(1, result.code());
        assertTrue(result.err().contains("There is no collection 'missing'"), result.err());
    }

    @Test
    void helpListsCommandsOptionsAndExitCodes() {
        Result top = run("--help");
        assertEquals(0, top.code());
        for (String command : List.of("index", "search", "status", "drop")) {
            assertTrue(top.out().contains("  " + command + " "), command + " missing from:\n" + top.out());
        }
        assertTrue(top.out().contains("2   usage error"), top.out());
        Result index = run("index", "--help");
        assertEquals(0, index.code());
        for (String option : List.of("--collection", "--batch-size", "--max-file-size", "--max-files", "--index-dir",
                "--model", "bge-small, minilm", "--reindex", "--commit-interval", "--follow-symlinks", "--json")) {
            assertTrue(index.out().contains(option), option + " missing from:\n" + index.out());
        }
    }

    @Test
    void statusWithoutACollectionListsTheCollections() {
        Result text = run("status", "--index-dir", home.toString());
        assertEquals(0, text.code(), text.err());
        String line = text.out().lines().filter(l -> l.strip().startsWith("e2e ")).findFirst().orElseThrow(
                () -> new AssertionError("no line for e2e in:\n" + text.out()));
        assertTrue(line.contains("embedded") && line.contains("bge-small") && line.contains("4 files"), line);
        Result json = run("status", "--index-dir", home.toString(), "--json");
        JsonObject listed = JsonParser.parseString(json.out()).getAsJsonObject();
        JsonObject e2e = null;
        for (var c : listed.getAsJsonArray("collections")) {
            if (c.getAsJsonObject().get("name").getAsString().equals("e2e")) {
                e2e = c.getAsJsonObject();
            }
        }
        assertTrue(e2e != null, json.out());
        assertEquals(4, e2e.get("files").getAsInt());
        assertEquals("completed", e2e.get("lastRunOutcome").getAsString());
        Result empty = run("status", "--index-dir", tree.resolve("geo").toString());
        assertEquals(0, empty.code());
        assertTrue(empty.out().startsWith("No collections in "), empty.out());
    }

    @Test
    void topLevelHelpGivesEachCommandAWholeSentence() {
        Result top = run("--help");
        for (String command : List.of("index", "search", "estimate", "status", "drop", "evaluate")) {
            String line = top.out().lines().filter(l -> l.startsWith("  " + command + " ")).findFirst().orElseThrow();
            assertTrue(line.strip().endsWith("."), "cut short: " + line);
        }
    }

    @Test
    void versionNamesTheBuild() {
        Result result = run("--version");
        assertEquals(0, result.code());
        assertTrue(result.out().startsWith("indexer 0."), result.out());
    }

    /** The memory check runs before anything is created (MemoryBudget.forRun). */
    @Test
    void theCommandRefusesBeforeAnyWork() {
        Result result = run("index", System.getProperty("java.io.tmpdir"), "--collection", "never",
                "--max-memory", "64m", "--index-dir", System.getProperty("java.io.tmpdir") + "/indexer-never");
        assertEquals(1, result.code());
        assertTrue(result.err().contains("is too small for model bge-small"), result.err());
        assertTrue(!java.nio.file.Files.exists(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
                "indexer-never", "collections")), "nothing was created");
    }

    /** A budget that fits one model call but not a second at once says so, and how to run within it. */
    @Test
    void aBudgetTooSmallForTwoModelCallsNamesTheCalls() {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "two model calls need two cores");
        Result result = run("index", System.getProperty("java.io.tmpdir"), "--collection", "never",
                "--max-memory", "256m", "--model-calls", "2",
                "--index-dir", System.getProperty("java.io.tmpdir") + "/indexer-never");
        assertEquals(1, result.code());
        assertTrue(result.err().contains("is too small for model bge-small with 2 model calls at once")
                && result.err().contains("or --model-calls 1."), result.err());
    }
}
