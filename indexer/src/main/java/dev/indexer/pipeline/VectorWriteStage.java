package dev.indexer.pipeline;

import dev.indexer.pipeline.Item.BatchEnd;
import dev.indexer.pipeline.Item.ChunkItem;
import dev.indexer.pipeline.Item.FileEmbedded;
import dev.indexer.state.Manifest;
import dev.indexer.store.EmbeddedChunk;
import dev.indexer.store.StoreWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedding phase's write stage: gives stored chunks their vectors and commits at batch ends,
 * at most once per commit interval (and always at the end). Only after the store has committed
 * does the manifest record the files of that commit as embedded: after a crash a file is at worst
 * embedded again (from the cache, which its vectors reached first), never recorded without vectors.
 */
final class VectorWriteStage implements Stage {
    private static final int UPDATE_BATCH = 256;

    private final StoreWriter store;
    private final Manifest manifest;
    private final Duration commitInterval;
    private final RunReport report;
    private final BoundedQueue<Item> in;
    private final List<EmbeddedChunk> vectors = new ArrayList<>();
    /** The files of the next commit, each with its count of chunks that get no vector. */
    private final Map<String, Integer> embedded = new LinkedHashMap<>();
    private long lastCommit = System.nanoTime();

    VectorWriteStage(StoreWriter store, Manifest manifest, Duration commitInterval, RunReport report,
            BoundedQueue<Item> in) {
        this.store = store;
        this.manifest = manifest;
        this.commitInterval = commitInterval;
        this.report = report;
        this.in = in;
    }

    @Override
    public void run() throws InterruptedException {
        for (Item item = in.take(); item != null; item = in.take()) {
            if (item instanceof ChunkItem c) {
                vectors.add(new EmbeddedChunk(c.chunk(), c.vector()));
                if (vectors.size() >= UPDATE_BATCH) {
                    store.addVectors(vectors);
                    vectors.clear();
                }
            } else if (item instanceof FileEmbedded done) {
                embedded.put(done.path(), done.wordsOnly());
            } else if (item instanceof BatchEnd && System.nanoTime() - lastCommit >= commitInterval.toNanos()) {
                commit();
            }
        }
        commit();
    }

    /** Store first, manifest second. */
    private void commit() {
        if (!vectors.isEmpty()) {
            store.addVectors(vectors);
            vectors.clear();
        }
        store.commit();
        manifest.markEmbedded(embedded);
        report.filesEmbedded(embedded.size());
        embedded.clear();
        lastCommit = System.nanoTime();
    }
}
