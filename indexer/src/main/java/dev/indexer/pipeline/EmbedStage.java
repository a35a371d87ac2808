package dev.indexer.pipeline;

import dev.indexer.chunk.Chunk;
import dev.indexer.embed.Embedder;
import dev.indexer.pipeline.Item.BatchEnd;
import dev.indexer.pipeline.Item.ChunkItem;
import dev.indexer.pipeline.Item.FileEmbedded;
import dev.indexer.state.VectorCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The embedding phase's model stage: gives each waiting chunk its vector, from the vector cache
 * if another run embedded the same text since, else from the model, in calls bounded in tokens
 * and sorted by length ({@link EmbedBatches}); what the model makes goes into the cache. Works on a
 * window of several model calls' worth, flushed at batch ends. Once the run is cancelled it calls
 * the model no more: files with chunks still waiting stay waiting, for the next run.
 */
final class EmbedStage implements Stage {
    private final Embedder embedder;
    private final Optional<VectorCache> cache;
    private final PipelineSettings settings;
    private final RunReport report;
    private final Cancellation cancellation;
    private final BoundedQueue<Item> in;
    private final BoundedQueue<Item> out;

    EmbedStage(Embedder embedder, Optional<VectorCache> cache, PipelineSettings settings, RunReport report,
            Cancellation cancellation, BoundedQueue<Item> in, BoundedQueue<Item> out) {
        this.embedder = embedder;
        this.cache = cache;
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
        Map<Chunk, float[]> vectors = new HashMap<>();
        List<Chunk> waiting = new ArrayList<>();
        for (Item item : window) {
            if (item instanceof ChunkItem c) {
                waiting.add(c.chunk());
            }
        }
        if (cache.isPresent() && !waiting.isEmpty()) {
            Set<String> texts = new HashSet<>();
            waiting.forEach(chunk -> texts.add(chunk.embedText()));
            Map<String, float[]> found = cache.get().get(embedder.model().id(), texts);
            int cached = 0;
            for (Chunk chunk : waiting) {
                float[] vector = found.get(chunk.embedText());
                if (vector != null) {
                    vectors.put(chunk, vector);
                    cached++;
                }
            }
            report.chunksFound(0, cached);
        }
        Set<String> unfinished = new HashSet<>();
        List<Chunk> toEmbed = waiting.stream().filter(chunk -> !vectors.containsKey(chunk)).toList();
        if (cancellation.isCancelled()) {
            toEmbed.forEach(chunk -> unfinished.add(chunk.path()));
        } else if (!toEmbed.isEmpty()) {
            embed(toEmbed, vectors);
        }
        for (Item item : window) {
            if (item instanceof ChunkItem c) {
                float[] vector = vectors.get(c.chunk());
                if (vector != null) {
                    Item result = new ChunkItem(c.chunk(), vector);
                    out.put(result, result.weight());
                }
            } else if (!(item instanceof FileEmbedded done && unfinished.contains(done.path()))) {
                out.put(item, item.weight());
            }
        }
        window.clear();
    }

    private void embed(List<Chunk> chunks, Map<Chunk, float[]> vectors) {
        List<String> texts = new ArrayList<>(chunks.size());
        int[] tokens = new int[chunks.size()];
        for (int i = 0; i < tokens.length; i++) {
            texts.add(chunks.get(i).embedText());
            tokens[i] = Math.min(embedder.maxTokens(), chunks.get(i).tokens() + embedder.specialTokens());
        }
        float[][] embedded = EmbedBatches.embed(
                embedder, texts, tokens, settings.embedBatchTokens(), settings.embedBatchInputs());
        Map<String, float[]> made = new LinkedHashMap<>();
        for (int i = 0; i < tokens.length; i++) {
            vectors.put(chunks.get(i), embedded[i]);
            made.put(texts.get(i), embedded[i]);
        }
        cache.ifPresent(c -> c.put(embedder.model().id(), made));
        report.chunksEmbedded(chunks.size());
    }
}
