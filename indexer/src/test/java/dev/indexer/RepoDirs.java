package dev.indexer;

import dev.indexer.config.IndexHome;
import java.nio.file.Path;
import java.util.Map;

/** Where a test finds what a command wrote for a collection that it indexed from one tree. */
public final class RepoDirs {
    private RepoDirs() {}

    /**
     * The directory of the repository the command line indexes {@code tree} as (the tree's
     * directory name, outside a git checkout) in collection {@code collection}: known before the
     * first run makes it.
     */
    public static Path of(Path home, String collection, Path tree) {
        return new IndexHome(home).repoDir(collection, tree.getFileName().toString());
    }

    /**
     * The directory of the collection's only repository in the index home at {@code home} (the
     * command line names it after the tree); a path that does not exist while there is none.
     *
     * @throws IllegalStateException if the collection has several
     */
    public static Path only(Path home, String collection) {
        Map<String, Path> repos = new IndexHome(home).repos(collection);
        if (repos.size() > 1) {
            throw new IllegalStateException("collection " + collection + " has " + repos.keySet());
        }
        return repos.isEmpty() ? home.resolve("collections").resolve(collection).resolve("repos").resolve("none-yet")
                : repos.values().iterator().next();
    }
}
