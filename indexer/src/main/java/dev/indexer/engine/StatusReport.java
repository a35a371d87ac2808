package dev.indexer.engine;

import dev.indexer.IndexerException;
import dev.indexer.config.Defaults;
import dev.indexer.config.IndexOptions;
import dev.indexer.state.CollectionFiles;
import dev.indexer.state.FileRecord;
import dev.indexer.state.Manifest;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.StoreReader;
import dev.indexer.store.StoreTarget;
import dev.indexer.walk.FileWalker;
import dev.indexer.walk.SourceFile;
import dev.indexer.walk.WalkOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** A collection's {@link CollectionReader.Status}: the store's side, the manifest's, and a walk of the tree. */
final class StatusReport {
    private StatusReport() {}

    static CollectionReader.Status of(Workspace workspace, String name, ReadSource source, Optional<Path> tree) {
        StoreTarget target = workspace.target();
        Path dir = workspace.home().collectionDir(name);
        boolean local = Manifest.exists(dir.resolve(Manifest.FILE_NAME));
        if (!local && target.local()) {
            throw workspace.noCollection(name);
        }
        long storeChunks = -1;
        CollectionInfo stored = null;
        Map<String, Object> details = Map.of();
        Optional<String> storeError = Optional.empty();
        try {
            StoreReader store = source.store();
            storeChunks = store.count();
            stored = store.info();
            details = store.describe();
        } catch (IndexerException e) {
            if (!local) {
                throw e;
            }
            storeError = Optional.of(e.getMessage()); // the manifest is still worth showing
        }
        if (!local) {
            // Another machine indexed it: only the server's side is known here.
            return new CollectionReader.Status(name, target.storeName(), target.location(name), stored.model(),
                    stored.dimension(), stored.root(), false, 0, 0, 0, 0, storeChunks, Optional.empty(), "", "",
                    "unknown (indexed elsewhere)", 0, details, storeError);
        }
        long held = storeChunks;
        Map<String, Object> described = details;
        Optional<String> error = storeError;
        try {
            return source.manifest(m -> fromManifest(workspace, name, m, tree, held, described, error))
                    .orElseThrow(() -> workspace.noCollection(name));
        } catch (UncheckedIOException e) {
            throw new IndexerException("Could not read " + dir + " (" + e.getCause().getMessage() + ").", e);
        }
    }

    private static CollectionReader.Status fromManifest(Workspace workspace, String name, Manifest m, Optional<Path> tree,
            long storeChunks, Map<String, Object> details, Optional<String> storeError) {
        StoreTarget target = workspace.target();
        Map<String, String> meta = m.meta();
        Manifest.Totals totals = m.totals();
        Path root = tree.map(p -> p.toAbsolutePath().normalize()).orElse(Path.of(meta.getOrDefault("root", ".")));
        Optional<CollectionReader.Status.Pending> pending = Files.isDirectory(root)
                ? Optional.of(pending(m, root, walkOptions(workspace, meta), totals.files())) : Optional.empty();
        long diskBytes;
        try {
            diskBytes = CollectionFiles.diskBytes(workspace.home().collectionDir(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CollectionReader.Status(name, target.storeName(), target.location(name), meta.getOrDefault("model", "?"),
                Integer.parseInt(meta.getOrDefault("dimension", "0")), root.toString(), true,
                totals.indexedFiles(), totals.files() - totals.indexedFiles(), totals.chunks(),
                totals.embeddedChunks(), storeChunks, pending, meta.getOrDefault("last_run_started", ""),
                meta.getOrDefault("last_run_finished", ""), RunLiveness.outcome(meta), diskBytes, details, storeError);
    }

    /** Walks the tree as the last run did and compares it with the manifest, reading no file. */
    private static CollectionReader.Status.Pending pending(Manifest manifest, Path root, WalkOptions options, long recorded) {
        long added = 0;
        long changed = 0;
        long met = 0;
        try (Stream<SourceFile> files = new FileWalker(root, options, (p, r, d) -> {}).stream()) {
            for (Iterator<SourceFile> it = files.iterator(); it.hasNext(); ) {
                SourceFile file = it.next();
                Optional<FileRecord> record = manifest.get(file.relativePath());
                if (record.isEmpty()) {
                    added++;
                } else {
                    met++;
                    if (!record.get().sameMetadata(file.size(), file.modifiedMillis())) {
                        changed++;
                    }
                }
            }
        }
        return new CollectionReader.Status.Pending(added, changed, recorded - met);
    }

    /** How the last run walked, from what it recorded. */
    private static WalkOptions walkOptions(Workspace workspace, Map<String, String> meta) {
        IndexOptions options = IndexOptions.DEFAULTS.withMaxFileSize(
                Long.parseLong(meta.getOrDefault("max_file_size", Long.toString(Defaults.MAX_FILE_SIZE))));
        return workspace.walkOptions(Boolean.parseBoolean(meta.getOrDefault("follow_symlinks", "false"))
                ? options.followingSymlinks() : options);
    }
}
