package dev.indexer.pipeline;

import dev.indexer.chunk.Chunk;
import dev.indexer.embed.Embedder;
import dev.indexer.pipeline.Item.BatchEnd;
import dev.indexer.pipeline.Item.ChunkItem;
import dev.indexer.pipeline.Item.FileEmbedded;
import dev.indexer.state.VectorCache;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;

/**
 * The embedding phase's model stage: gives each waiting chunk its vector, made from the vectors
 * of its inputs ({@link Chunk#embedParts()}: its text, and apart the signatures around it), each
 * from the vector cache if another run embedded the same input since, else from the model, in
 * calls bounded in tokens and sorted by length ({@link EmbedBatches}); what the model makes goes
 * into the cache. Works on a window of many model calls' worth. Once the run is cancelled it calls
 * the model no more (it asks before every call): files with chunks still waiting stay waiting, for
 * the next run.
 */
final class EmbedStage implements Stage {
    /**
     * Model calls' worth of chunks sorted by length together (the queue's item bound caps it too):
     * 128 rather than 32 ran java/time's embedding phase at 110.3 chunks/s instead of 105.4.
     */
    static final long WINDOW_CALLS = 128;
    /** Vectors put into the cache at once: about 400 KB of bge-small's. */
    static final int CACHE_PUT_VECTORS = 256;

    private final Embedder embedder;
    private final Optional<VectorCache> cache;
    private final IndexPipeline.Settings settings;
    private final RunReport report;
    private final Cancellation cancellation;
    private final BoundedQueue<Item> in;
    private final BoundedQueue<Item> out;
    /**
     * Files with a chunk that got no vector (the run was cancelled while its window was being
     * embedded): their markers, maybe in a later window, must not pass.
     */
    private final Set<String> unfinished = new HashSet<>();
    /**
     * The threads that make model calls beside this stage's own, for the whole run (none for one
     * caller); made when the model is first needed, so that a run with nothing to embed loads none.
     */
    private ExecutorService helpers;
    private boolean helpersMade;

    EmbedStage(Embedder embedder, Optional<VectorCache> cache, IndexPipeline.Settings settings, RunReport report,
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
        try {
            embedAll();
        } finally {
            if (helpers != null) {
                helpers.shutdownNow(); // idle by now: every window waits for its calls
            }
        }
    }

    private void embedAll() throws InterruptedException {
        List<Item> window = new ArrayList<>();
        long windowTokens = 0;
        // Many model calls' worth: sorted by length, chunks of nearly one length share each call, so
        // little is spent on padding (a window of 4 calls ran the model at 0.75 of its speed on
        // chunks sorted all at once; see docs/benchmarks.md). Batch ends pass through in order.
        long windowLimit = WINDOW_CALLS * settings.embedBatchTokens();
        for (Item item = in.take(); item != null; item = in.take()) {
            window.add(item);
            if (item instanceof ChunkItem c) {
                windowTokens += c.chunk().tokens() + embedder.specialTokens();
            }
            if (windowTokens >= windowLimit || window.size() >= settings.queueItems()) {
                flush(window);
                windowTokens = 0;
            }
        }
        flush(window);
        out.close();
    }

    /**
     * Gives the window's chunks their vectors and passes them on as each model call returns, so
     * that vectors and progress reach the store call by call, not window by window. A file is
     * reported embedded once every chunk of it in this window has its vector; one still without
     * (the run was cancelled) stays waiting.
     */
    private void flush(List<Item> window) throws InterruptedException {
        List<Chunk> waiting = new ArrayList<>();
        Map<String, FileEmbedded> markers = new HashMap<>();
        boolean batchEnd = false;
        for (Item item : window) {
            if (item instanceof ChunkItem c) {
                waiting.add(c.chunk());
            } else if (item instanceof FileEmbedded done) {
                markers.put(done.path(), done);
            } else if (item instanceof BatchEnd) {
                batchEnd = true;
            }
        }
        window.clear();
        Map<String, Integer> missing = new HashMap<>();
        waiting.forEach(chunk -> missing.merge(chunk.path(), 1, Integer::sum));
        // Vectors of the window's inputs, from the cache and then the model.
        Map<String, float[]> parts = new HashMap<>();
        if (cache.isPresent() && !waiting.isEmpty()) {
            parts.putAll(cache.get().get(embedder.model().id(),
                    waiting.stream().flatMap(chunk -> chunk.embedParts().stream()).collect(Collectors.toSet())));
        }
        List<Chunk> toEmbed = new ArrayList<>();
        int cached = 0;
        for (Chunk chunk : waiting) {
            float[] vector = chunk.vectorFrom(parts::get);
            if (vector == null) {
                toEmbed.add(chunk);
            } else {
                emit(chunk, vector, missing, markers);
                cached++;
            }
        }
        report.chunksFound(0, cached);
        // Files whose chunks all came from the cache, or had none in this window.
        for (String path : List.copyOf(markers.keySet())) {
            if (!missing.containsKey(path) && !unfinished.contains(path)) {
                put(markers.remove(path));
            }
        }
        if (!toEmbed.isEmpty() && !cancellation.isCancelled()) {
            embed(toEmbed, parts, missing, markers);
        }
        unfinished.addAll(missing.keySet());
        if (batchEnd) {
            put(new BatchEnd());
        }
    }

    private void put(Item item) throws InterruptedException {
        out.put(item, item.weight());
    }

    /** Passes one chunk on with its vector; the file's marker follows its last chunk. */
    private void emit(Chunk chunk, float[] vector, Map<String, Integer> missing, Map<String, FileEmbedded> markers)
            throws InterruptedException {
        put(new ChunkItem(chunk, vector));
        if (missing.merge(chunk.path(), -1, Integer::sum) == 0) {
            missing.remove(chunk.path());
            FileEmbedded marker = unfinished.contains(chunk.path()) ? null : markers.remove(chunk.path());
            if (marker != null) {
                put(marker);
            }
        }
    }

    /**
     * Embeds the inputs the window's chunks still lack, each distinct one once (a class's
     * signatures are shared by its chunks; a repeated block or notice is one text), and passes each
     * chunk on when its last input arrives.
     */
    private void embed(List<Chunk> chunks, Map<String, float[]> parts, Map<String, Integer> missing,
            Map<String, FileEmbedded> markers) throws InterruptedException {
        Map<String, List<Chunk>> byPart = new LinkedHashMap<>();
        for (Chunk chunk : chunks) {
            for (String part : chunk.embedParts()) {
                if (!parts.containsKey(part)) {
                    byPart.computeIfAbsent(part, p -> new ArrayList<>(1)).add(chunk);
                }
            }
        }
        List<String> texts = new ArrayList<>(byPart.keySet());
        int[] tokens = partTokens(embedder, texts, byPart);
        // Vectors go to the cache in groups: one SQLite transaction per model call cost 6% of the
        // embedding phase's pace (java/time: 100.6 chunks/s with the cache, 106.5 without).
        Map<String, float[]> unsaved = new LinkedHashMap<>();
        try {
            embed(texts, tokens, byPart, parts, unsaved, missing, markers);
        } finally {
            save(unsaved);
        }
    }

    /**
     * Each input's tokens, special tokens included: a signatures line's counted; the rest of the
     * chunk (path and text) the chunk's count less the signatures' (a newline joins them). The dry
     * run plans its timing calls with it too.
     */
    static int[] partTokens(Embedder embedder, List<String> texts, Map<String, List<Chunk>> byPart) {
        Map<String, Integer> signatureTokens = new HashMap<>();
        List<String> signatures = byPart.values().stream().flatMap(List::stream).map(Chunk::embedParts)
                .filter(parts -> parts.size() > 1).map(parts -> parts.get(1)).distinct().toList();
        int[] counted = signatures.isEmpty() ? new int[0] : embedder.tokenCounter().countLines(signatures);
        for (int i = 0; i < signatures.size(); i++) {
            signatureTokens.put(signatures.get(i), counted[i]);
        }
        return texts.stream().mapToInt(part -> {
            List<String> parts = byPart.get(part).get(0).embedParts();
            int whole = byPart.get(part).get(0).tokens();
            int own = parts.size() == 1 ? whole : part.equals(parts.get(1)) ? signatureTokens.get(part)
                    : whole - signatureTokens.get(parts.get(1));
            return Math.min(embedder.maxTokens(), Math.max(1, own) + embedder.specialTokens());
        }).toArray();
    }

    private void save(Map<String, float[]> vectors) {
        if (!vectors.isEmpty()) {
            cache.ifPresent(c -> c.put(embedder.model().id(), vectors));
            vectors.clear();
        }
    }

    private void embed(List<String> texts, int[] tokens, Map<String, List<Chunk>> byPart, Map<String, float[]> parts,
            Map<String, float[]> unsaved, Map<String, Integer> missing, Map<String, FileEmbedded> markers)
            throws InterruptedException {
        // A chunk passes on once; one whose embedded text came before in this window counts as found.
        Set<Chunk> done = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<String> doneTexts = new HashSet<>();
        if (!helpersMade) {
            helpers = EmbedBatches.helpers(EmbedBatches.callers(embedder, settings.embedBatchTokens(),
                    embedder.maxTokens()));
            helpersMade = true;
        }
        EmbedBatches.embed(helpers, embedder, texts, tokens, settings.embedBatchTokens(),
                settings.embedBatchInputs(),
                cancellation::isCancelled, (batch, vectors, nanos) -> {
                    for (int j = 0; j < batch.length; j++) {
                        unsaved.put(texts.get(batch[j]), vectors[j]);
                        parts.put(texts.get(batch[j]), vectors[j]);
                    }
                    // A crash loses at most these from the cache: those the store had not committed
                    // either are embedded again by the next run.
                    if (unsaved.size() >= CACHE_PUT_VECTORS) {
                        save(unsaved);
                    }
                    int embedded = 0;
                    int repeats = 0;
                    for (int j = 0; j < batch.length; j++) {
                        for (Chunk chunk : byPart.get(texts.get(batch[j]))) {
                            float[] vector = done.contains(chunk) ? null : chunk.vectorFrom(parts::get);
                            if (vector != null) {
                                done.add(chunk);
                                if (doneTexts.add(chunk.embedText())) {
                                    embedded++;
                                } else {
                                    repeats++;
                                }
                                emit(chunk, vector, missing, markers);
                            }
                        }
                    }
                    report.chunksEmbedded(embedded);
                    report.chunksFound(0, repeats);
                    // Lets the writer commit on its interval between calls, as it did between batches.
                    put(new BatchEnd());
                });
    }
}
