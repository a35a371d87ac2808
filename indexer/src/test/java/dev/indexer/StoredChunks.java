package dev.indexer;

import dev.indexer.config.IndexHome;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.StoreReader;
import dev.indexer.store.StoreTarget;
import dev.indexer.store.StoreWriter;
import dev.indexer.store.local.EmbeddedTarget;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a collection's embedded index committed, looked at as its writer looks at it: for tests that
 * check the store against the manifest. Opening takes the index's write lock: no run may be going.
 */
public final class StoredChunks {
    private StoredChunks() {}

    /** The collection's embedded store, opened for writing with the settings it was built with. */
    public static StoreWriter open(IndexHome home, String collection) {
        EmbeddedTarget target = new EmbeddedTarget(home, 16);
        CollectionInfo info;
        try (StoreReader reader = target.openReader(collection)) {
            info = reader.info();
        }
        // The repository the command line indexed (named after its tree), or the library's default.
        java.util.Set<String> repos = home.repos(collection).keySet();
        String repo = repos.size() == 1 ? repos.iterator().next() : collection;
        return target.openWriter(info, repo, StoreTarget.Contents.KEEP);
    }

    /** As {@link #open(IndexHome, String)}, for the index home in {@code homeDir}. */
    public static StoreWriter open(Path homeDir, String collection) {
        return open(IndexHome.resolve(Optional.of(homeDir), Map.of()), collection);
    }

    /** Every committed chunk of the collection: id to path. */
    public static Map<String, String> scan(Path homeDir, String collection) {
        Map<String, String> ids = new TreeMap<>();
        try (StoreWriter store = open(homeDir, collection)) {
            store.scan(chunk -> ids.put(chunk.id(), chunk.path()));
        }
        return ids;
    }
}
