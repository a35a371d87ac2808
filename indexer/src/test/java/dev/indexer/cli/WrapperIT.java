package dev.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.state.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/indexer} as users run it, after {@code package} has built the jar: signals reach
 * the JVM (no orphan keeps writing), a missing UTF-8 locale is supplied, and the JVM gets the memory
 * settings.
 */
class WrapperIT {
    private static final Path WRAPPER = Path.of("..", "scripts", "indexer").toAbsolutePath().normalize();

    @TempDir
    Path tree;

    @TempDir
    Path home;

    private Process start(List<String> env, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("env", "-i", "PATH=" + System.getenv("PATH"),
                "HOME=" + System.getProperty("user.home"), "JAVA_HOME=" + System.getProperty("java.home")));
        command.addAll(env);
        command.add(WRAPPER.toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    @Test
    void sigtermToTheWrapperStopsTheRunAndLeavesNoProcessBehind() throws Exception {
        for (int i = 0; i < 300; i++) {
            Path file = tree.resolve("p" + (i % 6)).resolve("Unit" + i + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "class Unit" + i + " {\n    long id() { return " + i + "; }\n}\n");
        }
        Process wrapper = start(List.of(), "index", tree.toString(), "--collection", "w", "--index-dir", home.toString(),
                "--model", "minilm", "--batch-size", "4", "--commit-interval", "0", "--vector-cache", "0", "-q");
        Path manifest = dev.indexer.RepoDirs.of(home, "w", tree).resolve(Manifest.FILE_NAME);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (wrapper.isAlive() && embedded(manifest) < 8 && System.nanoTime() < deadline) {
            Thread.sleep(25);
        }
        assertTrue(wrapper.isAlive(), "finished before the signal");
        // The pid the caller holds (a service manager's, a shell's) is the wrapper's: it must be the JVM's.
        ProcessHandle handle = wrapper.toHandle();
        assertTrue(handle.info().command().orElse("").endsWith("java"), "the wrapper execs java: "
                + handle.info().command());
        new ProcessBuilder("kill", "-TERM", Long.toString(wrapper.pid())).start().waitFor();
        assertTrue(wrapper.waitFor(60, TimeUnit.SECONDS));
        String output = new String(wrapper.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(143, wrapper.exitValue(), output);
        assertTrue(output.contains("indexer: interrupted;"), output);
        Thread.sleep(500);
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(home.toString())).orElse(false))
                .toList();
        assertEquals(List.of(), left, "no process left writing the collection");
    }

    /**
     * A run killed outright (the out-of-memory killer, kill -9) runs no exit hooks: no native library
     * may have been copied into the temporary directory, where nothing would remove it. Two such
     * runs, the first on a fresh home, so that both the home's first unpacking and its reuse count.
     */
    @Test
    void aKilledRunLeavesNoNativeLibraryInTheTemporaryDirectory(@TempDir Path tmp) throws Exception {
        for (int i = 0; i < 300; i++) {
            Path file = tree.resolve("p" + (i % 6)).resolve(i % 2 == 0 ? "Unit" + i + ".java" : "unit_" + i + ".py");
            Files.createDirectories(file.getParent());
            Files.writeString(file, i % 2 == 0 ? "class Unit" + i + " {\n    long id() { return " + i + "; }\n}\n"
                    : "def unit_" + i + "():\n    return " + i + "\n");
        }
        Path manifest = dev.indexer.RepoDirs.of(home, "k", tree).resolve(Manifest.FILE_NAME);
        for (int run = 1; run <= 2; run++) {
            Process wrapper = start(List.of("INDEXER_JAVA_OPTS=-Djava.io.tmpdir=" + tmp), "index", tree.toString(),
                    "--collection", "k", "--index-dir", home.toString(), "--model", "minilm", "--batch-size", "4",
                    "--commit-interval", "0", "--vector-cache", "0", "-q");
            long before = embedded(manifest);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (wrapper.isAlive() && embedded(manifest) < before + 8 && System.nanoTime() < deadline) {
                Thread.sleep(25);
            }
            assertTrue(wrapper.isAlive(), "run " + run + " finished before the kill");
            new ProcessBuilder("kill", "-KILL", Long.toString(wrapper.pid())).start().waitFor();
            assertTrue(wrapper.waitFor(60, TimeUnit.SECONDS));
            try (var files = Files.walk(tmp)) {
                assertEquals(List.of(), files.filter(path -> !path.equals(tmp)).map(tmp::relativize)
                        .map(Path::toString).toList(),
                        "run " + run + ": files and directories the killed run left in its temporary directory");
            }
        }
    }

    @Test
    void withoutALocaleTheWrapperSuppliesUtf8SoEveryNameCanBeRead() throws Exception {
        Files.writeString(tree.resolve("café.py"), "def brew_coffee():\n    return 'espresso'\n");
        Process run = start(List.of("LC_ALL=C"), "index", tree.toString(), "--collection", "l", "--index-dir",
                home.toString(), "--model", "minilm", "-q", "--json");
        assertTrue(run.waitFor(2, TimeUnit.MINUTES));
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, run.exitValue(), output);
        assertTrue(output.contains("\"filesIndexed\":1"), output);
        assertFalse(output.contains("badly named"), output);
    }

    @Test
    void outlineTakesAPathFromTheShellsDirectoryBelowTheRoot() throws Exception {
        Path brew = Files.createDirectories(tree.resolve("brew"));
        Files.writeString(brew.resolve("Kettle.java"), "class Kettle {\n    void boil() {}\n}\n");
        Process run = start(List.of(), "index", tree.toString(), "--collection", "k", "--index-dir", home.toString(),
                "--model", "minilm", "-q");
        assertTrue(run.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, run.exitValue(), new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        for (String path : List.of("Kettle.java", "./Kettle.java", "../brew/Kettle.java", "brew/Kettle.java")) {
            List<String> command = new java.util.ArrayList<>(List.of("env", "-i", "PATH=" + System.getenv("PATH"),
                    "HOME=" + System.getProperty("user.home"), "JAVA_HOME=" + System.getProperty("java.home"),
                    WRAPPER.toString(), "outline", path, "--collection", "k", "--index-dir", home.toString()));
            Process outline = new ProcessBuilder(command).directory(brew.toFile()).redirectErrorStream(true).start();
            assertTrue(outline.waitFor(1, TimeUnit.MINUTES));
            String output = new String(outline.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, outline.exitValue(), path + ": " + output);
            assertTrue(output.startsWith("brew/Kettle.java") && output.contains("method boil"), path + ": " + output);
        }
    }

    /** Files whose chunks all have vectors: the embedding phase's progress. */
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

    @Test
    void aBudgetOfAnySizeTooSmallGetsTheIndexersSentenceNotTheJvms() throws Exception {
        Files.writeString(tree.resolve("A.java"), "class A {}\n");
        for (String budget : List.of("0", "1k", "100m", "127m")) {
            Process wrapper = start(List.of(), "index", tree.toString(), "--collection", "m", "--index-dir",
                    home.toString(), "--max-memory", budget, "-q");
            assertTrue(wrapper.waitFor(60, TimeUnit.SECONDS));
            String output = new String(wrapper.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, wrapper.exitValue(), budget + ": " + output);
            assertTrue(output.startsWith("indexer: --max-memory ") && output.contains("is too small for model"),
                    budget + ": " + output);
            assertFalse(output.contains("heap size") || output.contains("Error: Could not create"), output);
        }
    }

    @Test
    void theJvmGetsTheMemorySettingsTheIndexerIsMeasuredWith() throws Exception {
        // A stand-in java that prints its options and environment: what a user's run gets.
        Path javaHome = home.resolve("jdk");
        Path java = Files.createDirectories(javaHome.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX $@\"\n");
        assertTrue(java.toFile().setExecutable(true));
        Process wrapper = start(List.of("JAVA_HOME=" + javaHome), "--version");
        assertTrue(wrapper.waitFor(30, TimeUnit.SECONDS));
        String output = new String(wrapper.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, wrapper.exitValue(), output);
        for (String option : List.of("MALLOC_ARENA_MAX=2 ", "-Xmx256m", "-Xms32m", "-XX:+UseSerialGC",
                "-XX:MaxHeapFreeRatio=30", "-XX:-ShrinkHeapInSteps", "-XX:+ExitOnOutOfMemoryError")) {
            assertTrue(output.contains(option), option + ": " + output);
        }
        assertTrue(output.trim().endsWith("--version"), output);
    }

    @Test
    void theRealJvmRunsWithC2sGraphsCappedUnlessTheUserSaysOtherwise() throws Exception {
        // The JVM's own account of its flags: the cap reaches it, it accepts the flags, and a user's
        // INDEXER_JAVA_OPTS comes after the wrapper's, so it wins.
        String capped = printedFlags("-XX:+PrintFlagsFinal");
        assertEquals("20000", flag(capped, "MaxNodeLimit"));
        assertEquals("500", flag(capped, "NodeLimitFudgeFactor"));
        // The JVM's defaults back, as the wrapper's comment says (the two go together: the JVM
        // refuses a fudge factor under 2% of the limit).
        String undone = printedFlags("-XX:+PrintFlagsFinal -XX:MaxNodeLimit=80000 -XX:NodeLimitFudgeFactor=2000");
        assertEquals("80000", flag(undone, "MaxNodeLimit"));
        assertEquals("2000", flag(undone, "NodeLimitFudgeFactor"));
        // One of them alone replaces the wrapper's pair: the JVM's own fudge factor, not the
        // wrapper's 500, goes with a user's limit (with 500 it would refuse to start).
        String limitOnly = printedFlags("-XX:+PrintFlagsFinal -XX:MaxNodeLimit=80000");
        assertEquals("80000", flag(limitOnly, "MaxNodeLimit"));
        assertEquals("2000", flag(limitOnly, "NodeLimitFudgeFactor"));
    }

    /** What the wrapper's JVM prints with these INDEXER_JAVA_OPTS, running {@code --version}. */
    private String printedFlags(String javaOpts) throws Exception {
        Process wrapper = start(List.of("INDEXER_JAVA_OPTS=" + javaOpts), "--version");
        String output = new String(wrapper.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(wrapper.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, wrapper.exitValue(), output);
        return output;
    }

    private static String flag(String printed, String name) {
        Matcher value = Pattern.compile("\\s" + name + "\\s+=\\s+(\\d+)").matcher(printed);
        assertTrue(value.find(), name + " not in: " + printed);
        return value.group(1);
    }
}
