package dev.indexer.config;

import dev.indexer.IndexerException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a memory budget for the whole process (heap and native memory) is spent, and whether it
 * can work at all. The native parts are measured, not guessed: see docs/benchmarks.md, "Where
 * the memory goes" (2 cores, OpenJDK 17, the wrapper's JVM flags).
 *
 * @param total the budget for the whole process
 * @param heap the Java heap limit
 * @param embedBatchTokens padded tokens in the model calls running at once (the embedding stage
 *     shares them among its calls): ONNX Runtime's activations grow with it
 * @param queueBytes the byte bound of each queue between stages
 * @param luceneBufferMB the embedded store's indexing buffer
 */
public record MemoryBudget(long total, long heap, int embedBatchTokens, long queueBytes, int luceneBufferMB) {
    private static final long MB = 1L << 20;
    /** Metaspace, code cache, thread stacks, class-data sharing and libjvm itself. */
    static final long JVM_NATIVE = 64 * MB;
    /** ONNX Runtime's activations per 1,024 padded tokens of 256-token inputs (measured: 34 MB). */
    static final long ACTIVATIONS_PER_1K_TOKENS = 34 * MB;
    /**
     * What the runtime holds for each model call run beside the first, at the peak: java/util's
     * peak with two calls against one, 16-21 MB higher by the medians of two rounds (docs/benchmarks.md,
     * "Thirteenth round", where the calls kept the runtime's packed weights, as they do again since the
     * twenty-seventh round).
     */
    static final long PER_EXTRA_CALL = 20 * MB;
    /** Lucene's smallest sensible buffer, the queues at their smallest, and the working set. */
    static final long MIN_HEAP = 48 * MB;
    /**
     * More padded tokens per call than this gains no speed: with ONNX Runtime called directly, calls
     * of 512, 1,024 and 2,048 tokens all ran bge-small at about 38 chunks/s (256: slower), at 277,
     * 301 and 334 MB peak RSS (see docs/benchmarks.md); on the JDK's regex sources 8,192 had been
     * slower still and 593 MB.
     */
    static final int MAX_BATCH_TOKENS = 1024;
    /** One full-length chunk: the smallest model call. */
    static final int MIN_BATCH_TOKENS = 256;
    /**
     * The wrapper gives the heap this share of the budget and leaves the rest to native memory,
     * which is the larger need: indexing peaked at 46 MB of heap with a 128 MB limit.
     */
    public static final int HEAP_PERCENT = 25;

    /** The ONNX Runtime session (weights and prepacked copies) and the two tokenizer instances. */
    static long modelNative(ModelSpec model) {
        return model == ModelSpec.BGE_SMALL ? 110 * MB : 85 * MB;
    }

    /** The fewest padded tokens the calls at once can share: a full-length input for each call. */
    static int smallestTokens(int modelCalls) {
        return Math.min(MAX_BATCH_TOKENS, MIN_BATCH_TOKENS * Math.max(1, modelCalls));
    }

    static long activations(int batchTokens) {
        return ACTIVATIONS_PER_1K_TOKENS * batchTokens / 1024;
    }

    /** The JVM's native memory and the model's, with {@code modelCalls} calls at once. */
    static long fixedNative(ModelSpec model, int modelCalls) {
        long further = modelCalls > 1 ? (modelCalls - 1) * PER_EXTRA_CALL : 0;
        return JVM_NATIVE + modelNative(model) + further;
    }

    /** The smallest budget that can run {@code model} with the wrapper's heap share. */
    public static long minimum(ModelSpec model) {
        return minimum(model, 1);
    }

    /** The smallest budget that can run {@code model} with {@code modelCalls} calls at once. */
    public static long minimum(ModelSpec model, int modelCalls) {
        long nativeNeed = fixedNative(model, modelCalls) + activations(smallestTokens(modelCalls));
        long forNative = (nativeNeed * 100 + (100 - HEAP_PERCENT) - 1) / (100 - HEAP_PERCENT);
        return Math.max(MIN_HEAP * 100 / HEAP_PERCENT, forNative);
    }

    /**
     * The check before any work: the budget for {@code --max-memory} (empty: derived from the heap
     * limit), if it fits this JVM, this machine and the model. A run that cannot fit should say so
     * in one sentence now, not die an hour from now.
     *
     * @throws IndexerException if it cannot run {@code model}, or the machine does not have it, with the numbers
     */
    public static MemoryBudget forRun(Optional<ByteSize> maxMemory, ModelSpec model) {
        return forRun(maxMemory, model, defaultCalls(maxMemory, model, Runtime.getRuntime().availableProcessors()));
    }

    /** {@link #forRun(Optional, ModelSpec)} for {@code modelCalls} model calls at once. */
    public static MemoryBudget forRun(Optional<ByteSize> maxMemory, ModelSpec model, int modelCalls) {
        return forRun(maxMemory, model, modelCalls, Runtime.getRuntime().maxMemory(), MachineMemory.available());
    }

    static MemoryBudget forRun(Optional<ByteSize> maxMemory, ModelSpec model, long heap, OptionalLong available) {
        return forRun(maxMemory, model, 1, heap, available);
    }

    static MemoryBudget forRun(Optional<ByteSize> maxMemory, ModelSpec model, int modelCalls, long heap,
            OptionalLong available) {
        if (maxMemory.isEmpty()) {
            return plan(fromHeap(heap), heap, model, modelCalls);
        }
        long total = maxMemory.get().bytes();
        if (available.isPresent() && total > available.getAsLong()) {
            throw new IndexerException("--max-memory " + ByteSize.format(total) + " is more than the "
                    + ByteSize.format(available.getAsLong()) + " this machine has available now; use a smaller"
                    + " --max-memory or free some memory.");
        }
        if (total < minimum(model, modelCalls)) {
            throw tooSmall(total, model, modelCalls);
        }
        if (heap >= total) {
            throw new IndexerException("The JVM's heap limit (" + ByteSize.format(heap) + ") alone exceeds --max-memory "
                    + ByteSize.format(total) + "; run through scripts/indexer, which sizes the heap from"
                    + " --max-memory, or give java a smaller -Xmx.");
        }
        return plan(total, heap, model, modelCalls);
    }

    /**
     * Plans a budget: the largest model calls that fit beside the heap and the fixed native parts.
     *
     * @param total the budget for the whole process
     * @param heap the JVM's actual heap limit ({@code Runtime.maxMemory()})
     * @throws IndexerException if the budget cannot run the model, with the numbers and the remedy
     */
    public static MemoryBudget plan(long total, long heap, ModelSpec model) {
        return plan(total, heap, model, 1);
    }

    /**
     * {@link #plan(long, long, ModelSpec)} for {@code modelCalls} model calls at once: they share the
     * calls' tokens (at least a full-length input each), and each call beside the first holds
     * {@link #PER_EXTRA_CALL} more.
     */
    public static MemoryBudget plan(long total, long heap, ModelSpec model, int modelCalls) {
        long fixed = fixedNative(model, modelCalls);
        int tokens = smallestTokens(modelCalls);
        if (heap < MIN_HEAP || Math.max(heap, MIN_HEAP) + fixed + activations(tokens) > total) {
            throw tooSmall(total, model, modelCalls);
        }
        while (tokens * 2 <= MAX_BATCH_TOKENS && heap + fixed + activations(tokens * 2) <= total) {
            tokens *= 2;
        }
        long queueBytes = Math.max(MB, Math.min(8 * MB, heap / 16));
        int luceneMB = (int) Math.max(4, Math.min(32, heap / 8 / MB));
        return new MemoryBudget(total, heap, tokens, queueBytes, luceneMB);
    }

    /**
     * A budget for commands that only read (search, status): they embed one query at a time and
     * write nothing, so the smallest settings do, whatever the heap.
     */
    public static MemoryBudget forReading(long heap) {
        return new MemoryBudget(fromHeap(heap), heap, MIN_BATCH_TOKENS, MB, 4);
    }

    /** The refusal of a budget below {@link #minimum(ModelSpec)}: the numbers and the way out. */
    public static IndexerException tooSmall(long total, ModelSpec model) {
        return tooSmall(total, model, 1);
    }

    static IndexerException tooSmall(long total, ModelSpec model, int modelCalls) {
        return new IndexerException("--max-memory " + ByteSize.format(total) + " is too small for model " + model.id()
                + (modelCalls > 1 ? " with " + modelCalls + " model calls at once" : "") + ": the JVM and the model need "
                + ByteSize.format(fixedNative(model, modelCalls))
                + (modelCalls > 1 ? ", " + modelCalls + " model calls of " + MIN_BATCH_TOKENS + " tokens " : ", one model call ")
                + ByteSize.format(activations(smallestTokens(modelCalls))) + " and the heap " + ByteSize.format(MIN_HEAP)
                + " or more; use --max-memory " + ByteSize.format(roundUp(minimum(model, modelCalls))) + " or more"
                + (modelCalls > 1 ? ", or --model-calls 1" : model == ModelSpec.BGE_SMALL ? ", or --model minilm" : "")
                + ".");
    }

    /** Of {@code wanted} model calls at once, as many as this budget's tokens give a full-length input each. */
    public int callsAtMost(int wanted) {
        return Math.max(1, Math.min(wanted, embedBatchTokens / MIN_BATCH_TOKENS));
    }

    /**
     * The model calls to run at once when the user does not say: {@link Defaults#modelCalls} for
     * {@code cores}, fewer where the budget ({@code maxMemory}, else the one the heap limit implies)
     * cannot hold them, so that a small budget runs one call on all the cores rather than being refused.
     */
    public static int defaultCalls(Optional<ByteSize> maxMemory, ModelSpec model, int cores) {
        long total = maxMemory.map(ByteSize::bytes).orElseGet(() -> fromHeap(Runtime.getRuntime().maxMemory()));
        int calls = Defaults.modelCalls(cores);
        while (calls > 1 && total < minimum(model, calls)) {
            calls--;
        }
        return calls;
    }

    /** The budget implied by a heap limit when none is given: the heap is the wrapper's share of it. */
    public static long fromHeap(long heap) {
        return heap * 100 / HEAP_PERCENT;
    }

    /**
     * The expected peak of the whole process: the heap as far as the run fills it (the Lucene
     * buffer, the queues and a working set; garbage collection keeps the rest free), plus the
     * native parts. Measured peaks on the JDK's regex sources were 5-14% below this.
     */
    public long estimatedPeak(ModelSpec model) {
        return estimatedPeak(model, 1);
    }

    /**
     * The expected peak with {@code modelCalls} model calls at once ({@code --model-calls}): they
     * share the calls' tokens, but each further call costs about {@link #PER_EXTRA_CALL} more.
     */
    public long estimatedPeak(ModelSpec model, int modelCalls) {
        long heapUse = Math.min(heap, MIN_HEAP + luceneBufferMB * MB + 3 * queueBytes);
        return heapUse + fixedNative(model, modelCalls) + activations(embedBatchTokens);
    }

    private static long roundUp(long bytes) {
        return (bytes + 16 * MB - 1) / (16 * MB) * (16 * MB);
    }
}
