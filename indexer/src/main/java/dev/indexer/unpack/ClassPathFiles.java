package dev.indexer.unpack;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;

/**
 * Files copied once from the class path into a directory of the index home (a model, the native
 * libraries of ONNX Runtime, SQLite and tree-sitter), through a temporary name renamed into place, so that an interrupted
 * copy is never mistaken for the file, and a process reading the old file keeps it.
 */
public final class ClassPathFiles {
    /** A partial file this old is abandoned: a copy takes about a second. */
    public static final Duration ABANDONED_AFTER = Duration.ofHours(1);

    private ClassPathFiles() {}

    /**
     * Copies {@code resource} to {@code target} unless a file of its size is there already.
     *
     * @throws IOException if the resource is missing (the jar is incomplete) or the copy fails
     */
    public static Path copy(String resource, Path target) throws IOException {
        URL url = ClassPathFiles.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IOException("resource " + resource + " is not on the class path; the jar is incomplete");
        }
        URLConnection connection = url.openConnection();
        long expected = connection.getContentLengthLong();
        if (Files.isRegularFile(target) && Files.size(target) == expected) {
            connection.getInputStream().close();
            return target;
        }
        Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try (InputStream in = connection.getInputStream()) {
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }

    /**
     * Partial files that a process killed while copying left behind (tens of MB each); one an hour
     * old is abandoned, not being written.
     */
    public static void removeAbandonedParts(Path dir) throws IOException {
        Instant abandoned = Instant.now().minus(ABANDONED_AFTER);
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, "*.part")) {
            for (Path part : parts) {
                if (Files.getLastModifiedTime(part).toInstant().isBefore(abandoned)) {
                    Files.deleteIfExists(part);
                }
            }
        }
    }
}
