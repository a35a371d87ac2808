package dev.indexer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.IndexerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectionLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondWriterIsRefusedWithTheHoldersPid() {
        try (CollectionLock held = CollectionLock.acquire(dir, "c")) {
            IndexerException e = assertThrows(IndexerException.class, () -> CollectionLock.acquire(dir, "c"));
            assertTrue(e.getMessage().contains("(pid " + ProcessHandle.current().pid() + ")"), e.getMessage());
        }
        CollectionLock.acquire(dir, "c").close();
    }

    @Test
    void aServerIsFoundByWhatItWroteAndOnlyWhileItRuns() throws IOException {
        try (CollectionLock lock = CollectionLock.acquire(dir, "c")) {
            assertEquals(Optional.empty(), CollectionLock.server(dir), "a writer that is no server");
            lock.markServer();
            assertEquals(Optional.of(ProcessHandle.current().pid()), CollectionLock.server(dir));
        }
        // What a killed server left: a pid that runs no more, or that is no number.
        Files.writeString(dir.resolve(CollectionLock.FILE_NAME), "999999999 server");
        assertEquals(Optional.empty(), CollectionLock.server(dir));
        Files.writeString(dir.resolve(CollectionLock.FILE_NAME), "x server");
        assertEquals(Optional.empty(), CollectionLock.server(dir));
        Files.delete(dir.resolve(CollectionLock.FILE_NAME));
        assertEquals(Optional.empty(), CollectionLock.server(dir));
    }

    @Test
    void aLockFileLeftByADeadProcessBlocksNothing() throws IOException {
        Files.writeString(dir.resolve(CollectionLock.FILE_NAME), "999999");
        try (CollectionLock lock = CollectionLock.acquire(dir, "c")) {
            assertEquals(Long.toString(ProcessHandle.current().pid()),
                    Files.readString(dir.resolve(CollectionLock.FILE_NAME)));
        }
    }

    @Test
    void aLockHeldByAnotherProcessIsRefusedAndFreedWhenThatProcessIsKilled() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), dir.toString()).redirectErrorStream(true).start();
        try {
            assertEquals("locked", new String(holder.getInputStream().readNBytes(6)));
            IndexerException e = assertThrows(IndexerException.class, () -> CollectionLock.acquire(dir, "c"));
            assertTrue(e.getMessage().contains("(pid " + holder.pid() + ")"), e.getMessage());
        } finally {
            holder.destroyForcibly().waitFor(); // SIGKILL: no chance to release anything
        }
        CollectionLock.acquire(dir, "c").close();
    }
}
