package dev.indexer.pipeline;

import dev.indexer.chunk.Chunk;
import dev.indexer.embed.Embedder;
import dev.indexer.pipeline.Item.BatchEnd;
import dev.indexer.pipeline.Item.ChunkItem;
import dev.indexer.pipeline.Item.FileAbandoned;
import dev.indexer.pipeline.Item.FileEnd;
import dev.indexer.pipeline.Item.FileFailed;
import dev.indexer.pipeline.Item.FileStart;
import dev.indexer.store.VectorStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The embed stage: gives every chunk its vector. A chunk whose text its file already had keeps
 * the stored vector; the rest go through the model in calls bounded in tokens, sorted by length
 * ({@link EmbedBatches}). Works on a window of several model calls' worth of chunks, flushed at
 * batch ends. Once the run is cancelled it calls the model no more: files with chunks still
 * waiting for a vector are abandoned, to be read again by the next run.
 */
final class EmbedStage implements Stage {
    private final Embedder embedder;
    private final VectorStore store;
    private final PipelineSettings settings;
    private final RunReport report;
    private final Cancellation cancellation;
    private final BoundedQueue<Item> in;
    private final BoundedQueue<Item> out;
    /**
     * For each file being re-indexed: the stored vectors of its old chunks, by text hash. Fetched
     * when the file starts, before the writer can touch its points: a store that applies writes at
     * once (Qdrant) would otherwise hand back a vector this run already replaced. Held until the file
     * ends: at most one file's chunks per file in the window.
     */
    private final Map<String, Map<String, float[]>> reusable = new HashMap<>();
    private final Set<String> abandoned = new HashSet<>();

    EmbedStage(Embedder embedder, VectorStore store, PipelineSettings settings, RunReport report,
            Cancellation cancellation, BoundedQueue<Item> in, BoundedQueue<Item> out) {
        this.embedder = embedder;
        this.store = store;
        this.settings = settings;
        this.report = report;
        this.cancellation = cancellation;
        this.in = in;
        this.out = out;
    }

    @Override
    public void run() throws InterruptedException {
        List<Item> window = new ArrayList<>();
        long windowTokens = 0;
        // Several model calls' worth, so sorting by length has something to work with.
        long windowLimit = 4L * settings.embedBatchTokens();
        for (Item item = in.take(); item != null; item = in.take()) {
            if (item instanceof FileStart start && !start.previousChunkHashes().isEmpty()) {
                reusable.put(start.file().relativePath(), storedVectors(start));
            }
            if (item instanceof FileFailed failed) {
                String path = failed.file().relativePath();
                window.removeIf(i -> i instanceof ChunkItem c && c.chunk().path().equals(path));
            }
            window.add(item);
            if (item instanceof ChunkItem c) {
                windowTokens += c.chunk().tokens() + embedder.specialTokens();
            }
            if (item instanceof BatchEnd || windowTokens >= windowLimit || window.size() >= settings.queueItems()) {
                flush(window);
                windowTokens = 0;
            }
        }
        flush(window);
        out.close();
    }

    private void flush(List<Item> window) throws InterruptedException {
        List<ChunkItem> pending = new ArrayList<>();
        for (Item item : window) {
            if (item instanceof ChunkItem c) {
                pending.add(c);
            }
        }
        float[][] vectors = new float[pending.size()][];
        int reused = reuseVectors(pending, vectors);
        List<Integer> toEmbed = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            if (vectors[i] == null) {
                toEmbed.add(i);
            }
        }
        if (cancellation.isCancelled()) {
            for (int i : toEmbed) {
                abandoned.add(pending.get(i).chunk().path());
            }
        } else {
            List<String> texts = new ArrayList<>(toEmbed.size());
            int[] tokens = new int[toEmbed.size()];
            for (int i = 0; i < tokens.length; i++) {
                Chunk chunk = pending.get(toEmbed.get(i)).chunk();
                texts.add(chunk.embedText());
                tokens[i] = Math.min(embedder.maxTokens(), chunk.tokens() + embedder.specialTokens());
            }
            float[][] embedded = EmbedBatches.embed(
                    embedder, texts, tokens, settings.embedBatchTokens(), settings.embedBatchInputs());
            for (int i = 0; i < tokens.length; i++) {
                vectors[toEmbed.get(i)] = embedded[i];
            }
            report.chunksEmbedded(toEmbed.size(), reused);
        }
        int next = 0;
        for (Item item : window) {
            Item result = item;
            if (item instanceof ChunkItem c) {
                float[] vector = vectors[next++];
                if (abandoned.contains(c.chunk().path())) {
                    continue;
                }
                result = new ChunkItem(c.chunk(), vector);
            } else if (item instanceof FileEnd end && abandoned.remove(end.file().relativePath())) {
                result = new FileAbandoned(end.file());
            }
            out.put(result, result.weight());
            if (result instanceof FileEnd || result instanceof FileFailed || result instanceof FileAbandoned) {
                reusable.remove(fileOf(result));
            }
        }
        window.clear();
    }

    private static String fileOf(Item item) {
        if (item instanceof FileEnd end) {
            return end.file().relativePath();
        }
        if (item instanceof FileFailed failed) {
            return failed.file().relativePath();
        }
        return ((FileAbandoned) item).file().relativePath();
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
        for (Map.Entry<String, float[]> found : store.vectors(hashById).entrySet()) {
            byHash.put(hashById.get(found.getKey()), found.getValue());
        }
        return byHash;
    }

    /** Fills in the stored vectors of chunks whose text the file had before; returns how many. */
    private int reuseVectors(List<ChunkItem> pending, float[][] vectors) {
        int reused = 0;
        for (int i = 0; i < pending.size(); i++) {
            Chunk chunk = pending.get(i).chunk();
            Map<String, float[]> byHash = reusable.get(chunk.path());
            float[] vector = byHash == null ? null : byHash.get(chunk.hash());
            if (vector != null) {
                vectors[i] = vector;
                reused++;
            }
        }
        return reused;
    }
}
