package dev.indexer.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The directory that holds collections, unpacked models and caches: {@code --index-dir}, else
 * {@code $INDEXER_HOME}, else the platform's per-user data directory.
 */
public record IndexHome(Path dir) {
    public static final String ENV = "INDEXER_HOME";
    /**
     * A file every index home holds, so that a walk that meets one (an index home inside the tree
     * being indexed, this one or another) leaves it out instead of indexing the index.
     */
    public static final String MARKER = ".indexer-home";

    /**
     * The home that {@code --index-dir} ({@code option}), else the environment names.
     *
     * @throws IllegalArgumentException for a home that would scatter the index's directories where
     *     they do not belong: an empty name (the working directory, silently), the root of a file
     *     system, or a file
     */
    public static IndexHome resolve(Optional<Path> option, Map<String, String> env) {
        if (option.isPresent()) {
            return checked("--index-dir", option.get());
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return checked("$" + ENV, Path.of(fromEnv));
        }
        return new IndexHome(userDataDir(env).resolve("indexer"));
    }

    private static IndexHome checked(String source, Path given) {
        if (given.toString().isBlank()) {
            throw new IllegalArgumentException(source + " is empty; give the directory to keep collections in (it is"
                    + " created if missing)");
        }
        Path dir = given.toAbsolutePath().normalize();
        if (dir.getParent() == null) {
            throw new IllegalArgumentException(source + " " + dir + " is the root of a file system; give a directory"
                    + " of its own (it is created if missing), such as " + dir.resolve("var").resolve("indexer"));
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(source + " " + dir + " is a file; give a directory (it is created if"
                    + " missing)");
        }
        return new IndexHome(dir);
    }

    private static Path userDataDir(Map<String, String> env) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        Path home = Path.of(System.getProperty("user.home"));
        String local = env.get("LOCALAPPDATA");
        String xdg = env.get("XDG_DATA_HOME");
        return os.contains("win") ? (local != null ? Path.of(local) : home.resolve("AppData").resolve("Local"))
                : os.contains("mac") ? home.resolve("Library").resolve("Application Support")
                : xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local").resolve("share");
    }

    /**
     * Creates the home if needed and marks it as one ({@link #MARKER}).
     *
     * @throws IOException if it cannot be created or written
     */
    public void mark() throws IOException {
        Path marker = dir.resolve(MARKER);
        if (!Files.exists(marker)) {
            Files.createDirectories(dir);
            Files.writeString(marker, "This directory is an index home of the indexer: it is never indexed.\n");
        }
    }

    /** Where every collection has its directory. */
    public Path collectionsDir() {
        return dir.resolve("collections");
    }

    /** A collection's directory: its manifest, its write lock and, for the embedded store, its index. */
    public Path collectionDir(String collection) {
        return collectionsDir().resolve(collection);
    }

    /** The vector cache shared by every collection of this home. */
    public Path vectorCache() {
        return dir.resolve("cache").resolve("vectors.db");
    }

    /** Where a collection's embedded (Lucene) index lives. */
    public Path luceneDir(String collection) {
        return collectionDir(collection).resolve("lucene");
    }
}
