package dev.indexer.store;

import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which repositories of a collection a search covers: named ones, or all of them.
 *
 * @param names the repositories, in the order given; empty for all
 */
public record RepoScope(List<String> names) {
    public static final RepoScope ALL = new RepoScope(List.of());

    public RepoScope {
        names = List.copyOf(names);
    }

    public static RepoScope of(String... names) {
        return new RepoScope(List.of(names));
    }

    public boolean all() {
        return names.isEmpty();
    }

    /** Whether a chunk of {@code repo} is in scope. */
    public boolean holds(String repo) {
        return names.isEmpty() || names.contains(repo);
    }

    /**
     * The sentence for repositories a collection does not have, naming those it has (without its
     * full stop: callers say what was not done after it).
     */
    public static String noSuch(String collection, Collection<String> unknown, Collection<String> known) {
        return "Collection '" + collection + "' has no repository " + quoted(unknown) + "; it has "
                + (known.isEmpty() ? "none" : quoted(known)) + " (indexer repos --collection " + collection
                + " lists them)";
    }

    private static String quoted(Collection<String> names) {
        return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return names.isEmpty() ? "all repositories" : String.join(",", names);
    }
}
