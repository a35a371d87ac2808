package dev.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.indexer.StoredChunks;
import dev.indexer.state.Manifest;
import dev.indexer.store.StoreWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile but realistic user does: damaged indexes, odd file names, no locale, signals,
 * secrets in ordinary files, an index inside the tree it indexes, a bad server address.
 */
class HostileInputTest {
    @TempDir
    Path tree;

    @TempDir
    Path home;

    record Result(int code, String out, String err) {
        JsonObject json() {
            return JsonParser.parseString(out).getAsJsonObject();
        }
    }

    private Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--index-dir")) {
            all.add("--index-dir");
            all.add(home.toString());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = IndexerCli.run(all.toArray(String[]::new), Map.of(), new PrintWriter(out), new PrintWriter(err),
                Optional.empty());
        return new Result(code, out.toString(), err.toString());
    }

    private Result index(String collection, String... extra) {
        List<String> args = new ArrayList<>(List.of("index", tree.toString(), "--collection", collection, "--json",
                "-q", "--model", "minilm"));
        args.addAll(List.of(extra));
        return cli(args.toArray(String[]::new));
    }

    private void write(String relative, String content) throws IOException {
        Path file = tree.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private void writeSources(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            write("src/m" + (i % 5) + "/Unit" + i + ".java", "class Unit" + i + " {\n    /** Returns " + i
                    + " times the input. */\n    long times" + i + "(long x) { return x * " + i + "; }\n}\n");
        }
    }

    /**
     * Files of one chunk each (about 90 tokens, within a chunk's 128) that take the model a while:
     * with tiny files a fast machine embeds the rest of a run between one look at the manifest and
     * the signal.
     */
    private void writeBulkySources(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            StringBuilder body = new StringBuilder();
            for (int s = 1; s <= 4; s++) {
                body.append("        long step").append(s).append(" = step").append(s - 1).append(" * ").append(i + s)
                        .append(" + x % ").append(s + 2).append(";\n");
            }
            write("src/m" + (i % 5) + "/Unit" + i + ".java", "class Unit" + i + " {\n    long times" + i
                    + "(long x) {\n        long step0 = x;\n" + body + "        return step4;\n    }\n}\n");
        }
    }

    private Path lucene(String collection) {
        return dev.indexer.RepoDirs.only(home, collection).resolve("lucene");
    }

    // ---- 1. a damaged store

    @Test
    void aStoreThatLostItsIndexIsRebuiltWithAWarningAndSearchSaysSoMeanwhile() throws IOException {
        writeSources(6);
        assertEquals(0, index("k").code());
        deleteTree(lucene("k"));
        Result search = cli("search", "times", "--collection", "k", "--mode", "lexical");
        assertEquals(1, search.code(), "no silent 'No results': " + search.out());
        assertTrue(search.err().contains("is missing") && search.err().contains("indexer index " + tree), search.err());
        Result again = index("k");
        assertEquals(0, again.code(), again.err());
        assertEquals(6, again.json().get("filesIndexed").getAsInt(), "every file indexed again");
        assertTrue(again.err().contains("did not hold repository '" + tree.getFileName() + "'; indexing every file again"), again.err());
        assertEquals("src/m2/Unit2.java", firstLexicalHit("k", "times2"));
    }

    @Test
    void aStoreMissingTheChunksOfSomeFilesGetsThemIndexedAgain() throws IOException {
        writeSources(6);
        assertEquals(0, index("k").code());
        try (StoreWriter store = StoredChunks.open(home, "k")) {
            store.deleteFile("src/m3/Unit3.java"); // what restoring an older copy of the index amounts to
            store.commit();
        }
        Result again = index("k");
        assertEquals(0, again.code(), again.err());
        assertEquals(1, again.json().get("filesIndexed").getAsInt(), "only the file whose chunks were missing");
        assertTrue(again.err().contains("the store holds 5 of the 6 chunks the manifest lists"), again.err());
        assertEquals("src/m3/Unit3.java", firstLexicalHit("k", "times3"));
    }

    @Test
    void missingSegmentFilesAskForReindexNotForPermissions() throws IOException {
        writeSources(3);
        assertEquals(0, index("k").code());
        // The term dictionaries: without them no segment opens.
        try (DirectoryStream<Path> files = Files.newDirectoryStream(lucene("k"), "*.tim")) {
            for (Path file : files) {
                Files.delete(file);
            }
        }
        Result damaged = index("k");
        assertEquals(1, damaged.code());
        assertEquals(1, damaged.err().lines().count(), damaged.err());
        assertTrue(damaged.err().contains("is damaged") && damaged.err().contains("--reindex"), damaged.err());
        assertFalse(damaged.err().contains("writable"), damaged.err());
        Result search = cli("search", "times", "--collection", "k", "--mode", "lexical");
        assertEquals(1, search.code());
        assertTrue(search.err().contains("--reindex"), search.err());
        Result rebuilt = index("k", "--reindex");
        assertEquals(0, rebuilt.code(), rebuilt.err());
        assertEquals(3, rebuilt.json().get("filesIndexed").getAsInt());
    }

    private String firstLexicalHit(String collection, String query) {
        Result search = cli("search", query, "--collection", collection, "--mode", "lexical", "--json", "-k", "1");
        assertEquals(0, search.code(), search.err());
        return JsonParser.parseString(search.out().lines().findFirst().orElseThrow()).getAsJsonObject()
                .get("path").getAsString();
    }

    // ---- 2-4. names, locales, directories

    @Test
    void aFileNameThatIsNotUtf8IsSkippedWithItsTrueReason() throws Exception {
        writeSources(1);
        Process make = new ProcessBuilder("sh", "-c", "printf 'print(1)\\n' > \"$(printf 'bad\\377name.py')\"")
                .directory(tree.toFile()).start();
        assertEquals(0, make.waitFor());
        Result result = index("names");
        assertEquals(0, result.code(), result.err());
        JsonObject report = result.json();
        assertEquals(1, report.getAsJsonObject("skipped").get("badly named").getAsInt(), result.out());
        assertEquals(1, report.get("filesIndexed").getAsInt());
        Result text = cli("index", tree.toString(), "--collection", "names-text", "-q", "--model", "minilm");
        assertTrue(text.out().contains("(its name is not valid UTF-8)"), text.out());
        assertFalse(text.out().contains("vanished"), text.out());
    }

    @Test
    void aDirectoryThatOpensButCannotBeListedIsSkippedAndTheRunGoesOn() throws Exception {
        Path unlistable = Path.of("/proc/1/map_files");
        boolean refuses;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(unlistable)) {
            entries.iterator().hasNext();
            refuses = false;
        } catch (IOException | java.nio.file.DirectoryIteratorException | SecurityException e) {
            refuses = true;
        }
        assumeTrue(refuses, "needs a directory that opens but cannot be listed: /proc/1/map_files here");
        writeSources(2);
        Files.createSymbolicLink(tree.resolve("maps"), unlistable);
        Result result = index("dirs", "--follow-symlinks");
        assertEquals(0, result.code(), result.err());
        assertEquals(2, result.json().get("filesIndexed").getAsInt());
        assertEquals(1, result.json().getAsJsonObject("skipped").get("unreadable").getAsInt(), result.out());
        Result estimate = cli("estimate", tree.toString(), "--follow-symlinks", "--model", "minilm");
        assertEquals(0, estimate.code(), estimate.err());
        assertFalse(estimate.err().contains("Exception"), estimate.err());
        Result root = cli("estimate", unlistable.toString(), "--model", "minilm");
        assertEquals(1, root.code());
        assertEquals(1, root.err().lines().count(), root.err());
        assertTrue(root.err().contains("cannot list /proc/1/map_files"), root.err());
    }

    @Test
    void theIndexHomeInsideTheTreeIsNeverIndexedAndRerunsSettle() throws IOException {
        writeSources(3);
        Path inside = tree.resolve(".idx");
        Result first = cli("index", tree.toString(), "--collection", "self", "--index-dir", inside.toString(), "--json",
                "-q", "--model", "minilm");
        assertEquals(0, first.code(), first.err());
        assertEquals(3, first.json().get("filesIndexed").getAsInt());
        Result second = cli("index", tree.toString(), "--collection", "self", "--index-dir", inside.toString(),
                "--json", "-q", "--model", "minilm");
        JsonObject rerun = second.json();
        assertEquals(0, rerun.get("filesNew").getAsInt(), second.out());
        assertEquals(0, rerun.get("filesChanged").getAsInt(), second.out());
        assertEquals(1, rerun.getAsJsonObject("skipped").get("index directory").getAsInt(), second.out());
        // Another index home in the tree (another --index-dir, earlier) is recognised by its marker.
        Result elsewhere = index("other");
        assertEquals(0, elsewhere.code(), elsewhere.err());
        assertEquals(3, elsewhere.json().get("filesIndexed").getAsInt(), elsewhere.out());
        assertEquals(1, elsewhere.json().getAsJsonObject("skipped").get("index directory").getAsInt(), elsewhere.out());
    }

    // ---- 7. secrets

    @Test
    void secretsInOrdinaryFilesAreRedactedBeforeAnythingIsStored() throws IOException {
        write("config.py", "AWS_ACCESS_KEY_ID = \"AKIAIOSFODNN7EXAMPLE\"\n"
                + "AWS_SECRET_ACCESS_KEY = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"\nREGION = \"eu-west-1\"\n");
        write("settings.toml", "[deploy]\ntoken = \"ghp_16C7e42F292c6912E7710c838347Ae178B4a\"\nbranch = \"main\"\n");
        write("notes.txt", "Server key, keep safe:\n-----BEGIN RSA PRIVATE KEY-----\n"
                + "MIIEowIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu3aumEEIDm0Ry1LiXDkVS8sEG4nX\n-----END RSA PRIVATE KEY-----\n"
                + "Rotate it every quarter.\n");
        write("db.py", "DATABASE_URL = \"postgres://shop:Sup3rS3cretPw@db.internal:5432/shop\"\n");
        Result result = index("secrets");
        assertEquals(0, result.code(), result.err());
        JsonObject report = result.json();
        assertEquals(4, report.get("filesWithSecrets").getAsInt());
        JsonObject kinds = report.getAsJsonObject("secretsRedacted");
        assertEquals(1, kinds.get("aws-access-key-id").getAsInt());
        assertEquals(1, kinds.get("aws-secret-access-key").getAsInt());
        assertEquals(1, kinds.get("github-token").getAsInt());
        assertEquals(1, kinds.get("private-key").getAsInt());
        assertEquals(1, kinds.get("url-password").getAsInt());
        for (String secret : List.of("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
                "MIIEowIBAAKCAQEA1c7", "Sup3rS3cretPw")) {
            Result search = cli("search", secret, "--collection", "secrets", "--mode", "lexical", "--json", "-k", "20");
            assertFalse(search.out().contains(secret), secret + " is in the index:\n" + search.out());
        }
        Result rest = cli("search", "region rotate branch", "--collection", "secrets", "--mode", "lexical", "--json");
        assertTrue(rest.out().contains("REGION = \\\"eu-west-1\\\"") && rest.out().contains("Rotate it every quarter."),
                "the rest of each file stays searchable:\n" + rest.out());
        assertTrue(rest.out().contains("[REDACTED:"), rest.out());
    }

    /** A value of {@code length} characters that starts with {@code start}, filled with letters and digits. */
    private static String filled(String start, int length) {
        StringBuilder value = new StringBuilder(start);
        for (int i = 0; value.length() < length; i++) {
            value.append("aB3dE5fG7h".charAt(i % 10));
        }
        return value.toString();
    }

    @Test
    void secretsInEveryCommonFormAreRedactedFromTheIndex() throws IOException {
        String aws = filled("Pl4nt14Zq", 30) + "EXAMPLEKEY";
        String openai = filled("sk-proj-Plant15Zq", 60);
        String anthropic = filled("sk-ant-api03-Plant16Zq", 100);
        String sendgrid = "SG." + filled("Plant17Zq", 22) + "." + filled("Zq", 43);
        String npm = "npm_" + filled("Plant18Zq", 36);
        String azure = filled("Plant19Zq", 86) + "==";
        String huggingFace = "hf_" + filled("Plant20Zq", 34);
        // file, its text, the secret in it: each kind of file and each form the README promises.
        String[][] planted = {
            {"app.yml", "service: billing\npassword: 'quoted two words Plant01Zq'\n", "quoted two words Plant01Zq"},
            {"docker-compose.yml", "services:\n  db:\n    environment:\n      DB_PASSWORD: \"compose spaced Plant02Zq\"\n",
                "compose spaced Plant02Zq"},
            {"db.properties", "db.url=jdbc:postgresql://db/shop\ndb.password=value with spaces Plant03Zq\n",
                "value with spaces Plant03Zq"},
            {"tokens.yml", "token: tokPlant04Zq\n", "tokPlant04Zq"},
            {"api.properties", "api.token=tokPlant05Zq\n", "tokPlant05Zq"},
            {"deploy.sh", "export TOKEN=tokPlant06Zq\nAPI_TOKEN=tokPlant07Zq ./deploy\n", "tokPlant06Zq", "tokPlant07Zq"},
            {"settings.xml", "<settings>\n  <token>xmlPlant08Zq</token>\n  <password>xmlPlant09Zq</password>\n</settings>\n",
                "xmlPlant08Zq", "xmlPlant09Zq"},
            {"web.config", "<appSettings>\n  <add key=\"password\" value=\"cfgPlant10Zq\"/>\n</appSettings>\n",
                "cfgPlant10Zq"},
            {"cache.py", "r = redis.from_url(\"redis://:redisPlant11Zq@cache:6379\")\n", "redisPlant11Zq"},
            {"key-notes.txt", "The deploy key:\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"
                + "Plant12ZqAoIBAQC7AoIBAQC7AoIBAQC7AoIBAQC7AoIBAQC7AoIBAQC7\nPlant12Zqend\n", "Plant12Zq"},
            {"block.yml", "db:\n  password: |\n    blockPlant13Zq\n  user: admin\n", "blockPlant13Zq"},
            {"aws.ini", "[default]\naws_secret_access_key = " + aws + "\n", aws},
            {"openai_client.py", "client = OpenAI(api_key=\"" + openai + "\")\n", openai},
            {"claude.ts", "const key = \"" + anthropic + "\";\n", anthropic},
            {"mail.js", "sgMail.setApiKey('" + sendgrid + "');\n", sendgrid},
            {"publish.sh", "echo \"//registry.npmjs.org/:_authToken=" + npm + "\" > ~/.npmrc\n", npm},
            {"Storage.cs", "var c = \"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + azure
                + ";EndpointSuffix=core.windows.net\";\n", azure},
            {"api.md", "Call it:\n\n    curl -H \"Authorization: Bearer Plant21Zqabcdef0123456789\" https://api.test/v1\n",
                "Plant21Zqabcdef0123456789"},
            {"notebook.py", "login(token=\"" + huggingFace + "\")\n", huggingFace},
        };
        for (String[] file : planted) {
            write(file[0], file[1]);
        }
        Result result = index("forms");
        assertEquals(0, result.code(), result.err());
        assertEquals(planted.length, result.json().get("filesWithSecrets").getAsInt(), result.out());
        for (String[] file : planted) {
            for (int i = 2; i < file.length; i++) {
                Result search = cli("search", file[i], "--collection", "forms", "--mode", "lexical", "--json", "-k",
                        "50");
                assertEquals(0, search.code(), search.err());
                assertFalse(search.out().contains(file[i]), file[0] + ": " + file[i] + " is in the index:\n"
                        + search.out());
                assertFalse(search.out().contains("Plant") && search.out().contains("Zq"), file[0]
                        + ": a piece of the secret is in the index:\n" + search.out());
            }
        }
        Result rest = cli("search", "service billing jdbc postgresql admin deploy key", "--collection", "forms",
                "--mode", "lexical", "--json", "-k", "50");
        assertTrue(rest.out().contains("service: billing") && rest.out().contains("db.url=jdbc:postgresql://db/shop")
                && rest.out().contains("user: admin") && rest.out().contains("The deploy key:"),
                "what is not secret stays searchable:\n" + rest.out());
    }

    // ---- 9. smaller things

    @Test
    void symlinkLoopsCountAsSeenAndSkipped() throws IOException {
        writeSources(1);
        Files.createSymbolicLink(tree.resolve("src/loop"), tree.resolve("src"));
        JsonObject report = index("loops", "--follow-symlinks").json();
        assertEquals(2, report.get("filesSeen").getAsInt(), report.toString());
        assertEquals(1, report.get("filesSkipped").getAsInt(), report.toString());
        assertEquals(1, report.getAsJsonObject("skipped").get("symlink loop").getAsInt());
    }

    @Test
    void aUtf16FileIsNotUtf8TextRatherThanBinary() throws IOException {
        Files.write(tree.resolve("notes.txt"), "\uFEFFplain notes in UTF-16\n".repeat(10).getBytes(StandardCharsets.UTF_16LE));
        Files.write(tree.resolve("bare.txt"), "no byte order mark here\n".repeat(10).getBytes(StandardCharsets.UTF_16BE));
        JsonObject report = index("wide").json();
        assertEquals(2, report.getAsJsonObject("skipped").get("not UTF-8 text").getAsInt(), report.toString());
        assertFalse(report.getAsJsonObject("skipped").has("binary"), report.toString());
    }

    @Test
    void aVeryLongLexicalQueryKeepsItsRarestWordsAndSaysSo() throws IOException {
        writeSources(4);
        write("src/Rare.java", "class Rare {\n    void zygomorphicFlux() {}\n}\n");
        assertEquals(0, index("long").code());
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            query.append("word").append(i).append(' ');
        }
        query.append("zygomorphic");
        Result search = cli("search", query.toString(), "--collection", "long", "--mode", "lexical");
        assertEquals(0, search.code(), search.err());
        assertTrue(search.out().startsWith("src/Rare.java:"), "the word past the 400th still counts:\n" + search.out());
        assertTrue(search.err().contains("distinct words; the lexical search kept at most 256, the rarest of those"),
                search.err());
    }

    @Test
    void statusWorksOnAReadOnlyIndexDirectory() throws Exception {
        writeSources(2);
        assertEquals(0, index("ro").code());
        Path mount = Files.createTempDirectory("ro-home");
        Process bind = new ProcessBuilder("sh", "-c", "mount --bind '" + home + "' '" + mount + "' && mount -o"
                + " remount,ro,bind '" + mount + "'").redirectErrorStream(true).start();
        boolean mounted = bind.waitFor() == 0;
        try {
            assumeTrue(mounted, "needs a read-only bind mount (root in a container): " + new String(
                    bind.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertFalse(Files.isWritable(mount.resolve("collections/ro")) && canWrite(mount), "the mount is read-only");
            Result status = cli("status", "--collection", "ro", "--index-dir", mount.toString(), "--json");
            assertEquals(0, status.code(), status.err());
            assertEquals(2, status.json().get("filesIndexed").getAsInt());
            assertEquals(2, status.json().get("storeChunks").getAsInt());
            Result search = cli("search", "times1", "--collection", "ro", "--index-dir", mount.toString(), "--mode",
                    "lexical");
            assertEquals(0, search.code(), search.err());
            assertTrue(search.out().startsWith("src/m1/Unit1.java"), search.out());
        } finally {
            if (mounted) {
                new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor();
            }
            Files.deleteIfExists(mount);
        }
    }

    private static boolean canWrite(Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, "w", ".tmp"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- child processes: the real main, its locale, its signals, its logging

    @Test
    void withoutAUtf8LocaleAFileNamedCafeNeitherStopsTheRunNorBreaksJson() throws Exception {
        writeSources(1);
        write("café.py", "def brew_coffee():\n    return 'espresso'\n");
        // Built in this JVM (UTF-8): the collection holds café.py.
        assertEquals(0, index("locale").code());
        Map<String, String> cLocale = new HashMap<>();
        cLocale.put("LC_ALL", "C");
        cLocale.put("LANG", null);
        cLocale.put("LC_CTYPE", null);
        ChildProcess search = ChildProcess.start(home.resolve("logs"), cLocale, "search", "brew coffee espresso",
                "--collection", "locale", "--index-dir", home.toString(), "--mode", "lexical", "--json");
        assertEquals(0, search.waitFor(), search.err());
        JsonObject hit = JsonParser.parseString(search.out().lines().findFirst().orElseThrow()).getAsJsonObject();
        assertEquals("café.py", hit.get("path").getAsString());
        assertEquals(tree.resolve("café.py").toString(), hit.get("file").getAsString());
        ChildProcess run = ChildProcess.start(home.resolve("logs"), cLocale, "index", tree.toString(), "--collection",
                "c-locale", "--index-dir", home.toString(), "--model", "minilm", "-q");
        assertEquals(0, run.waitFor(), run.err());
        assertTrue(run.out().contains("cannot be read in this locale's encoding") && run.out().contains("LANG=C.UTF-8"),
                run.out());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void aBadQdrantUrlChangesNothingHereAndSaysSoInOneLine() throws Exception {
        writeSources(2);
        ChildProcess bad = ChildProcess.start(home.resolve("logs"), Map.of("QDRANT_URL", "notaurl"), "index",
                tree.toString(), "--collection", "q", "--index-dir", home.toString(), "--model", "minilm", "-q");
        assertEquals(1, bad.waitFor());
        assertEquals(1, bad.err().lines().count(), "gRPC and Netty stay quiet:\n" + bad.err());
        assertTrue(bad.err().startsWith("indexer: The Qdrant address http://notaurl:6334 names host 'notaurl', which"
                + " does not resolve"), bad.err());
        assertFalse(Files.exists(home.resolve("collections/q")), "nothing recorded for a server never reached");
        Result embedded = index("q");
        assertEquals(0, embedded.code(), "the name is still free for the embedded store: " + embedded.err());
        ChildProcess unreachable = ChildProcess.start(home.resolve("logs"), Map.of("QDRANT_URL", "http://127.0.0.1:1"),
                "status", "--collection", "nowhere", "--index-dir", home.toString());
        assertEquals(1, unreachable.waitFor(), "a failed status is a failed command");
        assertTrue(unreachable.err().lines().count() <= 2, unreachable.err());
    }

    /** Whether this JVM was started with SIGINT ignored (its children inherit that), on Linux. */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        // SigIgn is a hexadecimal mask with bit (n - 1) for signal n; SIGINT is 2.
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:")).findFirst()
                .map(l -> (Long.parseUnsignedLong(l.substring("SigIgn:".length()).strip(), 16) & 0b10) != 0)
                .orElse(false);
    }

    @Test
    void sigtermAndSigintStopARunCleanlyAndTheNextRunContinues() throws Exception {
        int files = 500;
        writeBulkySources(files);
        Path manifest = dev.indexer.RepoDirs.of(home, "sig", tree).resolve(Manifest.FILE_NAME);
        String[] args = {"index", tree.toString(), "--collection", "sig", "--index-dir", home.toString(), "--model",
            "minilm", "--batch-size", "4", "--commit-interval", "0", "--vector-cache", "0", "-q"};
        long kept = 0;
        List<String[]> signals = new ArrayList<>(List.of(new String[] {"TERM", "143"}, new String[] {"INT", "130"}));
        if (sigintIgnored()) {
            // Started as a background job of a shell (the test JVM and so the child inherit SIGINT
            // ignored, as a shell's '&' leaves it): no process of this tree can be stopped by it.
            signals.remove(1);
        }
        for (String[] signal : signals) {
            ChildProcess run = ChildProcess.start(home.resolve("logs"), Map.of(), args);
            long target = kept + 8;
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
            while (run.process().isAlive() && embedded(manifest) < target && System.nanoTime() < deadline) {
                Thread.sleep(25);
            }
            assertTrue(run.process().isAlive(), "finished before the signal: " + run.out());
            run.signal(signal[0]);
            assertEquals(Integer.parseInt(signal[1]), run.waitFor(), "SIG" + signal[0] + ": " + run.err());
            assertTrue(run.err().contains("indexer: interrupted;") && run.err().contains("Run the same command again"),
                    run.err());
            assertEquals(1, run.err().lines().count(), run.err());
            assertFalse(run.out().contains("--max-files"), "no --max-files was given: " + run.out());
            assertTrue(run.out().contains("Interrupted: what was done is kept"), run.out());
            assertFalse(java.util.regex.Pattern.compile("\\s-\\d").matcher(run.out()).find(), "a negative count: " + run.out());
            long now = embedded(manifest);
            assertTrue(now >= target && now < files, "kept " + now);
            kept = now;
            JsonObject status = cli("status", "--collection", "sig", "--json").json();
            assertTrue(status.get("lastRunOutcome").getAsString().startsWith("interrupted; "), status.toString());
            assertEquals(files, status.get("filesIndexed").getAsInt(), "every file searchable by words");
            assertEquals(files, status.get("chunks").getAsInt(), "one chunk per file");
            assertEquals(files - now, status.get("chunksWaiting").getAsInt(), "the rest waits");
        }
        Result rest = index("sig", "--vector-cache", "0");
        assertEquals(0, rest.code(), rest.err());
        assertEquals(files - kept, rest.json().get("filesEmbedded").getAsInt());
        assertEquals(0, rest.json().get("chunksWaiting").getAsInt());
    }

    /** Files whose chunks all have vectors, read as another process would while the run writes. */
    private static long embedded(Path manifest) {
        if (!Files.exists(manifest)) {
            return 0;
        }
        try (Manifest reader = Manifest.openForReading(manifest)) {
            Manifest.Totals totals = reader.totals();
            return totals.indexedFiles() - totals.pendingFiles();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
