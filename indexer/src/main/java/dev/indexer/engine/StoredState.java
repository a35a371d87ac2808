package dev.indexer.engine;

import dev.indexer.IndexerException;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.Embedder;
import dev.indexer.state.Manifest;
import dev.indexer.store.RepoScope;
import dev.indexer.store.StoreReader;
import dev.indexer.store.StoreTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * A reader's own store and manifest: the store opened on the first search (the model on the first
 * query that needs it), the manifest opened for each look, since another process may write it or
 * build the collection again meanwhile.
 */
final class StoredState implements ReadSource {
    private final Workspace workspace;
    private final String name;
    private final RepoScope scope;
    /** The manifest of the repository this reader reads locally; empty when it reads none (several repositories). */
    private final Optional<Path> manifestFile;
    private final Optional<String> repo;
    private final Models models;
    private StoreReader store;
    private Optional<String> damage = Optional.empty();
    private boolean closed;

    StoredState(Workspace workspace, String name, RepoScope scope, Optional<String> repo) {
        this.workspace = workspace;
        this.name = name;
        this.scope = scope;
        this.repo = repo;
        this.manifestFile = repo.map(r -> workspace.home().repoDir(name, r).resolve(Manifest.FILE_NAME));
        this.models = new Models(workspace);
    }

    @Override
    public synchronized StoreReader store() {
        if (closed) {
            throw new IllegalStateException("collection '" + name + "' is closed");
        }
        if (store == null) {
            StoreTarget target = workspace.target();
            workspace.checkLayout(name);
            boolean listed = manifestFile.filter(Manifest::exists).isPresent();
            if (manifestFile.isPresent() && !listed && target.local() && workspace.home().repos(name).isEmpty()) {
                throw workspace.noCollection(name);
            } // else a repository it does not have: the store names those it has
            if (listed && target.local() && !Files.isDirectory(workspace.home().luceneDir(name, repo.orElseThrow()))) {
                String root = manifest(m -> m.meta().getOrDefault("root", "PATH")).orElse("PATH");
                throw new IndexerException("The index of collection '" + name + "' is missing from "
                        + manifestFile.get().getParent() + ", though its manifest is there; index the tree again to"
                        + " rebuild it: indexer index " + root + " --collection " + name);
            }
            store = target.openReader(name, scope);
            long held = store.count();
            manifest(m -> m.totals().chunks()).filter(expected -> held < expected).ifPresent(expected ->
                    damage = Optional.of(String.format(Locale.ROOT, "the store holds %,d of the %,d chunks the"
                            + " manifest lists; the next index run repairs it", held, expected)));
        }
        return store;
    }

    @Override
    public <T> Optional<T> manifest(Function<Manifest, T> read) {
        if (manifestFile.isEmpty() || !Manifest.exists(manifestFile.get())) {
            return Optional.empty();
        }
        try (Manifest manifest = Manifest.openForReading(manifestFile.get())) {
            return Optional.of(read.apply(manifest));
        }
    }

    @Override
    public synchronized Optional<String> damage() {
        return damage;
    }

    @Override
    public Embedder embedder(ModelSpec model) {
        return models.embedder(model);
    }

    @Override
    public synchronized void close() {
        boolean first = !closed;
        closed = true;
        try {
            if (first && store != null) {
                store.close();
            }
        } finally {
            models.close(); // closing again is harmless
        }
    }
}
