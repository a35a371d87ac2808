package dev.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store on a disk too small for the tree: the run stops early with the numbers, not when the disk is full. */
class DiskSpaceTest {
    @TempDir
    Path tree;

    @TempDir
    Path home;

    private Path mountPoint;
    private boolean mounted;

    private static int run(String... command) throws IOException, InterruptedException {
        return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            run("umount", mountPoint.toString());
        }
    }

    @Test
    void aDiskTooSmallForTheIndexStopsTheRunEarly() throws Exception {
        // A 4 MB file system of our own for the collections (the model is unpacked beside it, on
        // the ordinary disk); where mounting is not allowed (not root) this test cannot run.
        mountPoint = Files.createDirectories(home.resolve("collections"));
        mounted = run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint.toString()) == 0;
        assumeTrue(mounted, "needs permission to mount a small tmpfs");
        for (int i = 0; i < 40; i++) {
            Files.writeString(tree.resolve("Data" + i + ".java"), ("class Data" + i + " { int v = " + i + "; }\n").repeat(1500));
        }
        CliTest.Result result = CliTest.run(Map.of(), "index", tree.toString(), "--collection", "full",
                "--index-dir", home.toString(), "--quiet");
        assertEquals(1, result.code(), result.out() + result.err());
        assertTrue(result.err().contains("more disk"), result.err());
        assertTrue(result.err().contains("is free at " + mountPoint.resolve("full")), result.err());
        // --max-files bounds the embedding, not what the run writes: it is no way out of this one
        assertFalse(result.err().contains("--max-files"), result.err());
        assertTrue(result.err().contains("--index-dir"), result.err());
    }
}
