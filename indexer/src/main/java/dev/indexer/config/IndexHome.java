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
    /** Where a collection keeps its repositories' directories. */
    public static final String REPOS = "repos";
    /** The file in a repository's directory that holds its name. */
    public static final String REPO_NAME_FILE = "repo-name";

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

    /** A collection's directory: a directory per repository indexed into it from this machine. */
    public Path collectionDir(String collection) {
        return collectionsDir().resolve(collection);
    }

    /**
     * The directory of repository {@code repo} of a collection: its manifest, its write lock, its
     * navigation index and, for the embedded store, its index.
     *
     * @throws IllegalArgumentException if {@code repo} is not a valid repository name
     */
    public Path repoDir(String collection, String repo) {
        return collectionDir(collection).resolve(REPOS).resolve(new RepoName(repo).directoryName());
    }

    /** The directory of the repository named as the collection: what the library's one-repository calls use. */
    public Path repoDir(String collection) {
        return repoDir(collection, collection);
    }

    /**
     * Makes repository {@code repo}'s directory, recording its name there (the directory's own name
     * is cut and hashed), so that the collection's repositories can be listed from this machine.
     */
    public Path claimRepoDir(String collection, String repo) throws IOException {
        Path dir = repoDir(collection, repo);
        Path name = dir.resolve(REPO_NAME_FILE);
        if (!Files.isRegularFile(name)) {
            Files.createDirectories(dir);
            Files.writeString(name, repo + "\n");
        }
        return dir;
    }

    /**
     * The repositories of a collection that have a directory here, by name (sorted), each with its
     * directory; those whose name cannot be read are left out.
     */
    public Map<String, Path> repos(String collection) {
        Map<String, Path> found = new java.util.TreeMap<>();
        Path dir = collectionDir(collection).resolve(REPOS);
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            for (Path repo : entries.toList()) {
                try {
                    String name = Files.readString(repo.resolve(REPO_NAME_FILE)).strip();
                    if (repoDir(collection, name).equals(repo)) {
                        found.put(name, repo);
                    }
                } catch (IOException | IllegalArgumentException e) {
                    // not a repository's directory (or one being made): nothing to list
                }
            }
        } catch (IOException e) {
            return found;
        }
        return found;
    }

    /**
     * Whether the collection's directory is in the shape of a version before collections held
     * repositories: its manifest directly in it.
     */
    public boolean oldLayout(String collection) {
        return Files.exists(collectionDir(collection).resolve("manifest.db"));
    }

    /** The vector cache shared by every collection of this home. */
    public Path vectorCache() {
        return dir.resolve("cache").resolve("vectors.db");
    }

    /** Where the embedded (Lucene) index of repository {@code repo} of a collection lives. */
    public Path luceneDir(String collection, String repo) {
        return repoDir(collection, repo).resolve("lucene");
    }

    /** {@link #luceneDir(String, String)} of the repository named as the collection. */
    public Path luceneDir(String collection) {
        return luceneDir(collection, collection);
    }
}
