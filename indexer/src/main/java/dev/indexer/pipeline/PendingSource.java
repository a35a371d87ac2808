package dev.indexer.pipeline;

import dev.indexer.chunk.Chunk;
import dev.indexer.pipeline.Item.BatchEnd;
import dev.indexer.pipeline.Item.ChunkItem;
import dev.indexer.pipeline.Item.FileEmbedded;
import dev.indexer.state.Manifest;
import dev.indexer.store.StoreWriter;
import java.util.List;

/**
 * The embedding phase's source: the files whose chunks still wait for vectors, in embedding order
 * (source code first, see {@link EmbedOrder}), at most {@code maxFiles} of them; each file's
 * waiting chunks are read back from the store, so a vector always goes with the text the store
 * holds; its chunks of data ({@link Chunk#isData()}) are left out and counted. The manifest's order
 * is read a page at a time: memory does not grow with the tree.
 */
final class PendingSource implements Stage {
    private static final int PAGE = 256;

    private final Manifest manifest;
    private final StoreWriter store;
    private final long maxFiles;
    private final int batchSize;
    private final RunReport report;
    private final Cancellation cancellation;
    private final BoundedQueue<Item> out;

    PendingSource(Manifest manifest, StoreWriter store, long maxFiles, int batchSize, RunReport report,
            Cancellation cancellation, BoundedQueue<Item> out) {
        this.manifest = manifest;
        this.store = store;
        this.maxFiles = maxFiles;
        this.batchSize = batchSize;
        this.report = report;
        this.cancellation = cancellation;
        this.out = out;
    }

    @Override
    public void run() throws InterruptedException {
        long handed = 0;
        int inBatch = 0;
        Manifest.Pending last = null;
        for (List<Manifest.Pending> page = manifest.pending(null, PAGE); !page.isEmpty();
                page = manifest.pending(last, PAGE)) {
            for (Manifest.Pending file : page) {
                last = file;
                if (handed >= maxFiles || cancellation.isCancelled()) {
                    report.remaining(countRemaining(file));
                    put(new BatchEnd());
                    out.close();
                    return;
                }
                int wordsOnly = 0;
                for (Chunk chunk : store.chunksWithoutVectors(file.path())) {
                    if (chunk.isData()) {
                        wordsOnly++; // data that an older version, or a manifest read back from the store, counted as waiting
                    } else {
                        put(new ChunkItem(chunk, null));
                    }
                }
                put(new FileEmbedded(file.path(), wordsOnly));
                handed++;
                if (++inBatch == batchSize) {
                    put(new BatchEnd());
                    inBatch = 0;
                }
            }
        }
        if (inBatch > 0) {
            put(new BatchEnd());
        }
        out.close();
    }

    /** The files from {@code first} on that this run leaves waiting. */
    private long countRemaining(Manifest.Pending first) {
        long remaining = 1;
        for (List<Manifest.Pending> page = manifest.pending(first, PAGE); !page.isEmpty();
                page = manifest.pending(page.get(page.size() - 1), PAGE)) {
            remaining += page.size();
        }
        return remaining;
    }

    private void put(Item item) throws InterruptedException {
        out.put(item, item.weight());
    }
}
