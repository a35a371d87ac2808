package dev.indexer.pipeline;

import dev.indexer.chunk.Chunk;
import dev.indexer.pipeline.Item.BatchEnd;
import dev.indexer.pipeline.Item.ChunkItem;
import dev.indexer.pipeline.Item.FileAbandoned;
import dev.indexer.pipeline.Item.FileEnd;
import dev.indexer.pipeline.Item.FileFailed;
import dev.indexer.pipeline.Item.FileStart;
import dev.indexer.state.VectorCache;
import dev.indexer.store.StoreWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The lexical phase's vector stage: gives a chunk the vector it can have without the model. A
 * chunk whose text its file already had keeps the stored vector; another whose exact text was
 * embedded before, anywhere in the index home, takes the vector cache's; another whose exact text
 * a repository of the collection holds (a fork, a vendored copy) takes that one's. The rest go on
 * without a vector: searchable by words now, given one by the embedding phase. Data ({@link
 * Chunk#isData()}) goes on without one and gets none.
 */
final class AttachStage implements Stage {
    /** Chunks looked up in the cache together. */
    private static final int WINDOW = 256;

    private final StoreWriter store;
    private final Optional<VectorCache> cache;
    private final String model;
    private final RunReport report;
    private final BoundedQueue<Item> in;
    private final BoundedQueue<Item> out;
    /**
     * For each file being re-indexed: the stored vectors of its old chunks, by text hash. Fetched
     * when the file starts, before the writer can touch its points: a store that applies writes at
     * once (Qdrant) would otherwise hand back a vector this run already replaced. Held until the file
     * ends: at most one file's chunks per file in the window.
     */
    private final Map<String, Map<String, float[]>> reusable = new HashMap<>();

    AttachStage(StoreWriter store, Optional<VectorCache> cache, String model, RunReport report,
            BoundedQueue<Item> in, BoundedQueue<Item> out) {
        this.store = store;
        this.cache = cache;
        this.model = model;
        this.report = report;
        this.in = in;
        this.out = out;
    }

    @Override
    public void run() throws InterruptedException {
        List<Item> window = new ArrayList<>();
        int chunks = 0;
        for (Item item = in.take(); item != null; item = in.take()) {
            if (item instanceof FileStart start && !start.previousChunkHashes().isEmpty()) {
                reusable.put(start.file().relativePath(), storedVectors(start));
            }
            window.add(item);
            if (item instanceof ChunkItem) {
                chunks++;
            }
            if (chunks >= WINDOW || item instanceof BatchEnd) {
                flush(window);
                chunks = 0;
            }
        }
        flush(window);
        out.close();
    }

    private void flush(List<Item> window) throws InterruptedException {
        List<Chunk> unknown = new ArrayList<>();
        Map<Chunk, float[]> vectors = new HashMap<>();
        int reused = 0;
        for (Item item : window) {
            if (item instanceof ChunkItem c && !c.chunk().isData()) { // data is never given a vector
                Map<String, float[]> old = reusable.get(c.chunk().path());
                float[] vector = old == null ? null : old.get(c.chunk().hash());
                if (vector != null) {
                    vectors.put(c.chunk(), vector);
                    reused++;
                } else {
                    unknown.add(c.chunk());
                }
            }
        }
        int cached = 0;
        if (cache.isPresent() && !unknown.isEmpty()) {
            Map<String, float[]> found = cache.get().get(model,
                    unknown.stream().flatMap(chunk -> chunk.embedParts().stream()).collect(Collectors.toSet()));
            for (Chunk chunk : unknown) {
                float[] vector = chunk.vectorFrom(found::get);
                if (vector != null) {
                    vectors.put(chunk, vector);
                    cached++;
                }
            }
        }
        List<Chunk> stillUnknown = unknown.stream().filter(chunk -> !vectors.containsKey(chunk)).toList();
        if (!stillUnknown.isEmpty()) {
            Map<String, float[]> shared = store.sharedVectors(
                    stillUnknown.stream().map(Chunk::hash).collect(Collectors.toSet()));
            for (Chunk chunk : stillUnknown) {
                float[] vector = shared.get(chunk.hash());
                if (vector != null) {
                    vectors.put(chunk, vector);
                    cached++;
                }
            }
        }
        report.chunksFound(reused, cached);
        for (Item item : window) {
            Item result = item instanceof ChunkItem c ? new ChunkItem(c.chunk(), vectors.get(c.chunk())) : item;
            out.put(result, result.weight());
            if (item instanceof FileEnd end) {
                reusable.remove(end.file().relativePath());
            } else if (item instanceof FileFailed failed) {
                reusable.remove(failed.file().relativePath());
            } else if (item instanceof FileAbandoned abandoned) {
                reusable.remove(abandoned.file().relativePath());
            }
        }
        window.clear();
    }

    /** The vectors the store holds for a file's old chunks, by the hash of their text. */
    private Map<String, float[]> storedVectors(FileStart start) {
        String path = start.file().relativePath();
        List<String> hashes = start.previousChunkHashes();
        Map<String, String> hashById = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (int ordinal = 0; ordinal < hashes.size(); ordinal++) {
            if (seen.add(hashes.get(ordinal))) {
                hashById.put(Chunk.idFor(path, ordinal), hashes.get(ordinal));
            }
        }
        Map<String, float[]> byHash = new HashMap<>();
        store.vectors(hashById).forEach((id, vector) -> byHash.put(hashById.get(id), vector));
        return byHash;
    }
}
