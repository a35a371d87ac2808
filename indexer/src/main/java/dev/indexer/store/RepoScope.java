package dev.indexer.store;

import java.util.List;

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

    @Override
    public String toString() {
        return names.isEmpty() ? "all repositories" : String.join(",", names);
    }
}
