package dev.indexer.engine;

import dev.indexer.IndexerException;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.Rebuild;
import dev.indexer.config.Shard;
import dev.indexer.navigate.NavigationWriter;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.state.CollectionFiles;
import dev.indexer.state.Manifest;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.StoreTarget;
import dev.indexer.store.StoreWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a collection open for writing keeps between runs: the tree it follows, its manifest and
 * its store, checked against each other when they open.
 */
record WriteSession(Path root, Manifest manifest, StoreWriter store, NavigationWriter navigation)
        implements AutoCloseable {

    /**
     * Opens the manifest and the store for a run over {@code root}.
     *
     * @param first whether this is the writer's first session: only that one may rebuild the collection
     * @throws IndexerException if the store cannot be reached, or holds what this spec cannot update
     */
    static WriteSession open(Workspace workspace, String name, String repo, CollectionSpec spec, Rebuild rebuild,
            boolean first, Path root, Shard shard, ProgressListener progress) {
        StoreTarget target = workspace.target();
        Path dir = workspace.home().repoDir(name, repo);
        Path manifestFile = dir.resolve(Manifest.FILE_NAME);
        // Before anything here changes: a bad server address must not leave a collection recorded against it.
        target.check(name);
        Map<String, String> settings = new HashMap<>(spec.settings());
        settings.put("store", target.kind());
        boolean clear = first && rebuild == Rebuild.NOW;
        if (first && rebuild == Rebuild.IF_CHUNKS_OUTDATED && Manifest.exists(manifestFile)) {
            try (Manifest old = Manifest.openForReading(manifestFile)) {
                Optional<String> outdated = old.outdatedChunker(settings);
                clear = outdated.isPresent();
                outdated.ifPresent(version -> progress.note("collection '" + name + "' was cut into chunks by an"
                        + " earlier version of the indexer (" + version + "); building it again."));
            }
        }
        if (clear) {
            try {
                CollectionFiles.deleteContents(dir);
                workspace.home().claimRepoDir(name, repo); // its name went with the rest
            } catch (IOException e) {
                throw new IndexerException("Could not empty " + dir + " to build it again (" + e.getMessage() + ").", e);
            }
        }
        Manifest manifest = Manifest.open(manifestFile);
        StoreWriter store = null;
        NavigationWriter navigation = null;
        try {
            manifest.checkSettings(name, settings);
            CollectionInfo info = new CollectionInfo(name, spec.model().id(), spec.model().dimension(), root.toString());
            store = target.openWriter(info, repo, clear ? StoreTarget.Contents.DELETE : StoreTarget.Contents.KEEP);
            manifest.putMeta(settings);
            Optional<CollectionInfo> previous = store.previous();
            if (previous.isEmpty() && manifest.totals().files() > 0) {
                // The manifest speaks of chunks this store does not have: start over.
                manifest.forgetFiles();
                progress.note(target.describe(name) + " did not hold repository '" + repo
                        + "'; indexing every file again.");
            }
            navigation = NavigationWriter.open(dir);
            if (navigation.fresh() && manifest.totals().indexedFiles() > 0) {
                // Made by a version without one, or deleted by hand: every file is read again for
                // its definitions; chunks that did not change keep their vectors.
                manifest.readAgain();
                progress.note("collection '" + name + "' has no navigation index yet; reading every file again"
                        + " for its definitions (vectors are kept).");
            }
            // After the navigation check: files taken from the store are not re-cut for their
            // definitions (that would rewrite every point); they get them when they change.
            StoreCheck.reconcile(name, manifest, store, shard, progress);
            previous.filter(before -> !before.root().isEmpty() && !before.root().equals(info.root()))
                    .ifPresent(before -> progress.note("collection '" + name + "' was indexed from " + before.root()
                            + "; it now follows " + info.root() + "."));
            return new WriteSession(root, manifest, store, navigation);
        } catch (RuntimeException e) {
            if (navigation != null) {
                navigation.close();
            }
            if (store != null) {
                store.close();
            }
            manifest.close();
            throw e;
        }
    }

    /** Closes the store (nothing uncommitted is kept) and the manifest. */
    @Override
    public void close() {
        try (Manifest m = manifest; StoreWriter s = store; NavigationWriter n = navigation) {
            // the navigation index closes first, then the store, then the manifest
        }
    }
}
