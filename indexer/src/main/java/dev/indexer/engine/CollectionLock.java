package dev.indexer.engine;

import dev.indexer.IndexerException;
import dev.indexer.state.CollectionFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writer per collection. An operating-system lock on a file in the collection's directory,
 * which also holds the writer's pid for the message a second writer gets. The OS drops the lock
 * when its process dies, however it dies, so a lock file left by a killed run blocks nothing.
 */
final class CollectionLock implements AutoCloseable {
    static final String FILE_NAME = CollectionFiles.LOCK_FILE;

    private final FileChannel channel;
    private final FileLock lock;

    private CollectionLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of the collection in {@code dir}, or fails at once.
     *
     * @throws IndexerException naming the pid of the process that holds it
     */
    public static CollectionLock acquire(Path dir, String collection) {
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this same process
            }
            if (lock == null) {
                String[] holder = readHolder(channel).split(" ", 2);
                String pid = holder[0];
                if (holder.length > 1 && holder[1].equals(SERVER)) {
                    throw new IndexerException("Collection '" + collection + "' is kept up to date by an indexer server"
                            + " (pid " + pid + "), which indexes changes as they are saved; search it with indexer"
                            + " search, or stop the server to index it from here.");
                }
                throw new IndexerException("Collection '" + collection + "' is being written by another indexer process"
                        + (pid.isEmpty() ? "" : " (pid " + pid + ")")
                        + "; wait for it to finish or stop it, then run again.");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new CollectionLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IndexerException("Could not lock collection '" + collection + "' at " + file + " ("
                    + e.getMessage() + "); check that the directory is writable.", e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** What a server writes after its pid: others are told that it keeps the collection current. */
    private static final String SERVER = "server";

    /**
     * Records that the holder is a server that keeps the collection up to date, so that another
     * writer is told so instead of being asked to wait.
     */
    public void markServer() {
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + " " + SERVER)
                    .getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
        } catch (IOException e) {
            // only the message another writer gets is poorer
        }
    }

    private static String readHolder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException ignored) {
            // the lock goes with the channel
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}
