package dev.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.config.IndexHome;
import dev.indexer.state.Manifest;
import dev.indexer.store.local.LuceneStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real command in a child JVM, kills it with SIGKILL at random moments, reruns, and
 * checks that the final index is exactly what one clean run makes: no chunk lost, none doubled,
 * and a manifest that agrees with the store.
 */
class CrashSafetyTest {
    private static final int FILES = 600;

    @TempDir
    Path tree;

    @TempDir
    Path crashed;

    @TempDir
    Path clean;

    private Process start(Path home) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "index", tree.toString(), "--collection", "c", "--index-dir", home.toString(),
                "--model", "minilm", "--batch-size", "5", "--commit-interval", "0", "-q")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        // This test is about the embedded store, even where QDRANT_URL is set for the live Qdrant test.
        child.environment().remove("QDRANT_URL");
        return child.start();
    }

    private static Map<String, String> chunks(Path home) {
        Map<String, String> ids = new TreeMap<>();
        try (LuceneStore store = LuceneStore.openForReading(
                IndexHome.resolve(Optional.of(home), Map.of()).luceneDir("c"), "c")) {
            store.scan(ids::put);
        }
        return ids;
    }

    private static Map<String, Integer> manifestChunks(Path home) {
        try (Manifest manifest = Manifest.open(home.resolve("collections/c").resolve(Manifest.FILE_NAME))) {
            return manifest.chunkCounts();
        }
    }

    @Test
    void killedAtRandomMomentsTheIndexEndsUpExactlyAsOneCleanRun() throws Exception {
        for (int i = 0; i < FILES; i++) {
            Path file = tree.resolve("m" + (i % 12)).resolve("Part" + i + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "class Part" + i + " {\n    /** Returns " + i + " times the input. */\n"
                    + "    long times" + i + "(long x) { return x * " + i + "; }\n}\n");
        }
        Random random = new Random(20261121);
        int kills = 0;
        List<Integer> progressAtKills = new ArrayList<>();
        for (int attempt = 0; kills < 12 && attempt < 40; attempt++) {
            Process run = start(crashed);
            long delay = 300 + random.nextInt(3500);
            if (!run.waitFor(delay, TimeUnit.MILLISECONDS)) {
                run.destroyForcibly().waitFor(); // SIGKILL
                kills++;
                if (Files.exists(crashed.resolve("collections/c").resolve(Manifest.FILE_NAME))) {
                    progressAtKills.add(manifestChunks(crashed).size());
                }
            } else {
                assertEquals(0, run.exitValue(), "a run that was not killed succeeds");
            }
        }
        assertTrue(kills >= 10, "killed " + kills + " times");
        long midRun = progressAtKills.stream().filter(n -> n > 0 && n < FILES).distinct().count();
        assertTrue(midRun >= 3, "kills landed at several points of the run: " + progressAtKills);

        Process finish = start(crashed);
        assertTrue(finish.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, finish.exitValue());
        Process reference = start(clean);
        assertTrue(reference.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, reference.exitValue());

        Map<String, String> expected = chunks(clean);
        Map<String, String> actual = chunks(crashed);
        assertEquals(FILES, expected.size());
        Set<String> lost = new TreeSet<>(expected.keySet());
        lost.removeAll(actual.keySet());
        Set<String> extra = new TreeSet<>(actual.keySet());
        extra.removeAll(expected.keySet());
        assertEquals(Set.of(), lost, "chunks a clean run has and the killed runs lost");
        assertEquals(Set.of(), extra, "chunks the killed runs left that a clean run does not have");
        assertEquals(expected, actual, "same paths for the same chunk ids");
        Map<String, Integer> perFile = new HashMap<>();
        chunks(crashed).values().forEach(path -> perFile.merge(path, 1, Integer::sum));
        assertEquals(perFile, manifestChunks(crashed), "the manifest agrees with the store");
    }
}
