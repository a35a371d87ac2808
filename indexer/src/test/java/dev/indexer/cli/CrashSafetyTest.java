package dev.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.StoredChunks;
import dev.indexer.state.Manifest;
import dev.indexer.store.StoreWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real command in a child JVM, kills it with SIGKILL at random points of its progress, reruns, and
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
                "--model", "minilm", "--batch-size", "5", "--commit-interval", "0", "--vector-cache", "0", "-q")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        // This test is about the embedded store, even where QDRANT_URL is set for the live Qdrant test.
        child.environment().remove("QDRANT_URL");
        return child.start();
    }

    private static Map<String, String> chunks(Path home) {
        return StoredChunks.scan(home, "c");
    }

    /**
     * How far a run is, read from the manifest as another process would while the run writes:
     * files searchable by words (the lexical phase) plus files whose chunks all have vectors (the
     * embedding phase), from 0 to twice the files.
     */
    private static int progress(Path manifest) {
        if (!Files.exists(manifest)) {
            return 0;
        }
        try (Manifest reader = Manifest.openForReading(manifest)) {
            Manifest.Totals totals = reader.totals();
            return (int) (2 * totals.indexedFiles() - totals.pendingFiles());
        } catch (RuntimeException e) {
            return 0; // being created
        }
    }

    private static Map<String, Integer> manifestChunks(Path home) {
        try (Manifest manifest = Manifest.open(dev.indexer.RepoDirs.only(home, "c").resolve(Manifest.FILE_NAME))) {
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
        List<Integer> progressAtKills = new ArrayList<>();
        Path manifest = dev.indexer.RepoDirs.of(crashed, "c", tree).resolve(Manifest.FILE_NAME);
        // Kills are tied to observed progress, not to the clock: each run is killed once the manifest
        // records a randomly chosen amount of progress (and a random moment more, to land mid-batch),
        // so the kills land all along both phases on a fast machine and a slow one alike.
        for (int kill = 0; kill < 12; kill++) {
            int before = progress(manifest);
            if (before >= 2 * FILES - 10) {
                break;
            }
            int target = before + 1 + random.nextInt(Math.max(1, (2 * FILES - before) / 4));
            Process run = start(crashed);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (run.isAlive() && System.nanoTime() < deadline && progress(manifest) < target) {
                Thread.sleep(10);
            }
            Thread.sleep(random.nextInt(200));
            if (!run.isAlive()) {
                break; // it finished first: the kills so far are the test
            }
            run.destroyForcibly().waitFor(); // SIGKILL
            progressAtKills.add(progress(manifest));
        }
        long reading = progressAtKills.stream().filter(n -> n > 0 && n < FILES).distinct().count();
        long embedding = progressAtKills.stream().filter(n -> n > FILES && n < 2 * FILES).distinct().count();
        assertTrue(reading >= 2 && embedding >= 2, "kills landed in both phases: " + progressAtKills);

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
        try (StoreWriter store = StoredChunks.open(crashed, "c");
                Manifest recorded = Manifest.openForReading(dev.indexer.RepoDirs.of(crashed, "c", tree).resolve(Manifest.FILE_NAME))) {
            assertEquals(0, recorded.totals().pendingChunks(), "every chunk has its vector in the end");
            for (String path : new TreeSet<>(actual.values())) {
                assertEquals(List.of(), store.chunksWithoutVectors(path), path);
            }
        }
    }
}
