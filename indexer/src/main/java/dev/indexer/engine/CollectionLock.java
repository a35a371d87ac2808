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
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One writer per collection. An operating-system lock on a file in the collection's directory,
 * which also holds the writer's pid for the message a second writer gets. The OS drops the lock
 * when its process dies, however it dies, so a lock file left by a killed run blocks nothing.
 *
 * <p>The OS's lock belongs to the process, and closing any channel of the locked file, from any
 * thread of it, releases it: a second writer in the same process that opened the file to try the
 * lock would free the collection for every other process when it gave up. So the locks this
 * process holds are known here, and a second try fails without opening the file.
 */
final class CollectionLock implements AutoCloseable {
    static final String FILE_NAME = CollectionFiles.LOCK_FILE;
    /**
     * The lock files this process holds, by file key: process-wide as the OS's locks are (the one
     * piece of static state here, mirroring the OS's).
     */
    private static final Map<Object, CollectionLock> HELD = new ConcurrentHashMap<>();

    private final FileChannel channel;
    private final FileLock lock;
    private final Path file;
    private final Object key;
    private volatile boolean server;

    private CollectionLock(FileChannel channel, FileLock lock, Path file, Object key) {
        this.channel = channel;
        this.lock = lock;
        this.file = file;
        this.key = key;
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
            CollectionLock mine = fileKey(file).map(HELD::get).orElse(null);
            if (mine != null) {
                throw busy(collection, Long.toString(ProcessHandle.current().pid()), mine.server);
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this same process
            }
            if (lock == null) {
                String[] holder = readHolder(channel).split(" ", 2);
                throw busy(collection, holder[0], holder.length > 1 && holder[1].equals(SERVER));
            }
            writeHolder(channel, Long.toString(ProcessHandle.current().pid()));
            Object key = fileKey(file).orElseThrow(() -> new IOException("the lock file vanished"));
            CollectionLock taken = new CollectionLock(channel, lock, file, key);
            HELD.put(key, taken);
            return taken;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e instanceof IOException ? new IndexerException("Could not lock collection '" + collection
                    + "' at " + file + " (" + e.getMessage() + "); check that the directory is writable.", e)
                    : (RuntimeException) e;
        }
    }

    private static IndexerException busy(String collection, String pid, boolean server) {
        if (server) {
            return new IndexerException("Collection '" + collection + "' is kept up to date by an indexer server"
                    + " (pid " + pid + "), which indexes changes as they are saved; search it with indexer"
                    + " search, or stop the server to index it from here.");
        }
        return new IndexerException("Collection '" + collection + "' is being written by another indexer process"
                + (pid.isEmpty() ? "" : " (pid " + pid + ")") + "; wait for it to finish or stop it, then run again.");
    }

    /** The identity of the file at {@code file} (device and inode on Unix), without opening it; empty if none. */
    private static Optional<Object> fileKey(Path file) {
        try {
            return Optional.ofNullable(Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the file this lock is on is still the collection's lock file: not when the directory
     * was deleted (and perhaps made again) under the writer.
     */
    boolean stillAt(Path dir) {
        return dir.resolve(FILE_NAME).equals(file) && fileKey(file).filter(key::equals).isPresent();
    }

    /**
     * The server that holds the collection in {@code dir} now, by what the lock file says, without
     * touching the lock (trying it would race with a server starting up); empty when no server
     * wrote it, or its process is gone or is not this program any more (a pid used again).
     */
    static Optional<Long> server(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        CollectionLock mine = fileKey(file).map(HELD::get).orElse(null);
        if (mine != null) {
            // Held here: opening the file to read it and closing it would drop this process's lock.
            return mine.server ? Optional.of(ProcessHandle.current().pid()) : Optional.empty();
        }
        String[] holder;
        try {
            byte[] bytes = Files.readAllBytes(file);
            holder = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.US_ASCII).trim().split(" ", 2);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (holder.length < 2 || !holder[1].equals(SERVER)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(holder[0]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains("indexer")).orElse(true))
                .map(ProcessHandle::pid);
    }

    /** What a server writes after its pid: others are told that it keeps the collection current. */
    private static final String SERVER = "server";

    /**
     * Records that the holder is a server that keeps the collection up to date, so that another
     * writer is told so instead of being asked to wait.
     */
    public void markServer() {
        server = true;
        try {
            writeHolder(channel, ProcessHandle.current().pid() + " " + SERVER);
        } catch (IOException e) {
            // only the message another writer gets is poorer
        }
    }

    private static void writeHolder(FileChannel channel, String holder) throws IOException {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(false);
    }

    private static String readHolder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
    }

    @Override
    public void close() {
        HELD.remove(key, this);
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
        try (FileChannel closing = channel) {
            // closed here, if there is one
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
