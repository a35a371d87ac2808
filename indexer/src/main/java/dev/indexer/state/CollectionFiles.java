package dev.indexer.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Whole-directory file operations on a collection: its size on disk, and removing what it holds. */
public final class CollectionFiles {
    /** The file that holds a collection's writer lock (engine/CollectionLock); it stays while its holder empties the directory. */
    public static final String LOCK_FILE = "indexer.lock";
    /**
     * The socket a server answers the command line's searches on (socket/SearchSocket); it stays
     * while its server empties the directory to build the collection again.
     */
    public static final String SEARCH_SOCKET = "search.sock";

    private CollectionFiles() {}

    /** Bytes used by everything in the collection's directory. */
    public static long diskBytes(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // removed meanwhile
                }
            }).sum();
        }
    }

    /** Removes everything in the collection's directory but the lock the caller holds and its server's socket. */
    public static void deleteContents(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Path lock = dir.resolve(LOCK_FILE);
        Path socket = dir.resolve(SEARCH_SOCKET);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir) && !p.equals(lock) && !p.equals(socket))
                    .forEach(CollectionFiles::delete);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Removes {@code dir} and everything in it (a scratch or temporary directory, a dropped
     * repository's index); nothing if it is not there. As {@link #deleteContents} spares a lock file
     * and a socket, a directory holding one fails to go, as {@link Files#deleteIfExists} does.
     */
    public static void deleteTree(Path dir) throws IOException {
        deleteContents(dir);
        Files.deleteIfExists(dir);
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
