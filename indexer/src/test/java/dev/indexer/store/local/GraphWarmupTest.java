package dev.indexer.store.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphWarmupTest {
    @TempDir
    Path dir;

    @Test
    void buildsThreeSegmentsOfGraphsMergedIntoOneAndLeavesNothing() throws IOException {
        Path scratch = dir.resolve(GraphWarmup.DIR_NAME);
        // What a killed run's warm-up left: removed first.
        Files.createDirectories(scratch.resolve("stale"));
        Files.writeString(scratch.resolve("_7.vec"), "left by a killed run");
        Files.writeString(scratch.resolve("stale/x"), "x");
        GraphWarmup.Done done = GraphWarmup.run(scratch, 16);
        assertEquals(new GraphWarmup.Done(GraphWarmup.SEGMENTS * GraphWarmup.PER_SEGMENT, 1), done);
        assertFalse(Files.exists(scratch));
    }

    @Test
    void aDirectoryItCannotMakeCostsOnlyTheWarmUp() throws IOException {
        Path file = dir.resolve("not-a-directory");
        Files.writeString(file, "a file where the scratch directory's parent should be");
        assertEquals(new GraphWarmup.Done(0, 0), GraphWarmup.run(file.resolve(GraphWarmup.DIR_NAME), 16));
        assertEquals("a file where the scratch directory's parent should be", Files.readString(file));
    }
}
