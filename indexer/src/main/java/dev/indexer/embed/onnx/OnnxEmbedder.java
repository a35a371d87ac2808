package dev.indexer.embed.onnx;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.indexer.IndexerException;
import dev.indexer.chunk.Chunk;
import dev.indexer.chunk.TokenCounter;
import dev.indexer.config.Defaults;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.Embedder;
import dev.indexer.embed.EmbedderFactory;
import dev.indexer.embed.onnx.graph.FasterGraph;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;

/**
 * The embedder: the model's ONNX file run by ONNX Runtime, fed by the model's Hugging Face
 * tokenizer. Everything it needs is on the class path; it never reaches the network.
 *
 * <p>ONNX Runtime is used directly rather than through DJL's predictor API over its OnnxRuntime
 * engine: one path to the native runtime (DJL's engine is built for an older ONNX Runtime), with
 * the session's options set and each call's tensors freed here. A first measurement saw DJL's
 * array layer hold 170 MB more and run 10% slower; the side-by-side benchmark
 * ({@code bench/DjlPredictorCompare}) now finds the two alike. Each call's input and output
 * tensors are closed as soon as the vectors are pooled; the session's arena keeps the working
 * memory of the largest call it has seen, which the token budget per call bounds.
 *
 * <p>Safe from several threads: documents and what searches embed (queries, and chunks a search
 * found by their words before they had vectors) go through separate locks (a run of the session
 * is thread-safe), so a search does not wait behind a batch being indexed. Documents are embedded
 * by up to {@link Tuning#callers()} calls at once (each call's working memory is the caller's to
 * bound: the embedding stage divides its token budget among them), searches by one call, or two
 * halves at once where the session's calls each run on part of the cores.
 */
public final class OnnxEmbedder implements Embedder {
    /** Stack for the thread that starts ONNX Runtime; its own threads are not affected. */
    private static final long STARTUP_STACK_BYTES = 64L << 20;
    private static final System.Logger LOG = System.getLogger(OnnxEmbedder.class.getName());

    private final ModelSpec spec;
    private final int maxTokens;
    private final int specialTokens;
    private final HuggingFaceTokenizer tokenizer;
    /** Counts tokens; closed with this embedder only where this embedder opened it. */
    private final EmbedderFactory.Tokenizer counter;
    private final boolean ownsCounter;
    private final OrtEnvironment environment;
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final Graph graph;
    private final Set<String> inputs;
    private final int callers;
    /** One permit per document call that may run at once. */
    private final Semaphore documents;
    private final Object queries = new Object();
    /** Embeds one half of a search's chunks beside the caller; made at the first split, ended at close. */
    private ExecutorService searchHelper; // guarded by queries
    private volatile boolean closed;

    private OnnxEmbedder(ModelSpec spec, int maxTokens, HuggingFaceTokenizer tokenizer, EmbedderFactory.Tokenizer counter,
            boolean ownsCounter, OrtEnvironment environment, OrtSession.SessionOptions options, Loaded loaded,
            int callers) {
        this.spec = spec;
        this.callers = callers;
        this.documents = new Semaphore(callers);
        this.maxTokens = maxTokens;
        this.tokenizer = tokenizer;
        this.counter = counter;
        this.ownsCounter = ownsCounter;
        this.environment = environment;
        this.options = options;
        this.session = loaded.session();
        this.graph = loaded.graph();
        this.specialTokens = tokenizer.encode("").getIds().length;
        this.inputs = this.session.getInputNames();
    }

    /**
     * Loads a model.
     *
     * @param maxTokens the longest input in tokens, special tokens included (at most the model's limit)
     * @param threads ONNX Runtime intra-op threads, usually the number of cores
     * @param homeDir where the model files are unpacked and native libraries cached
     */
    public static OnnxEmbedder open(ModelSpec spec, int maxTokens, int threads, Path homeDir) {
        return open(spec, maxTokens, Tuning.of(threads), homeDir);
    }

    /**
     * How ONNX Runtime runs the model. The shipped choice is {@link #of}; the others exist for the
     * side-by-side benchmark of the runtime's options ({@code bench/ModelAlone}, docs/benchmarks.md).
     *
     * @param threads intra-op threads of each call
     * @param callers document calls that run at once, each on its own {@code threads}
     * @param level graph optimizations applied when the session is made
     * @param spinning whether idle pool threads spin waiting for work (they burn a core meanwhile)
     * @param arena whether the CPU allocator keeps freed memory in an arena for the next call
     * @param entries further session config entries, by ONNX Runtime's key
     * @param graph the model's graph as shipped or rewritten to run faster
     */
    public record Tuning(int threads, int callers, OrtSession.SessionOptions.OptLevel level, boolean spinning,
            boolean arena, Map<String, String> entries, Graph graph) {
        public Tuning {
            if (threads < 1 || callers < 1) {
                throw new IllegalArgumentException("threads and callers must be at least 1");
            }
            entries = Map.copyOf(entries);
        }

        /** The shipped (rewritten) graph with these runtime options, one caller. */
        public Tuning(int threads, OrtSession.SessionOptions.OptLevel level, boolean spinning, boolean arena,
                Map<String, String> entries) {
            this(threads, 1, level, spinning, arena, entries, Graph.REWRITTEN);
        }

        /** The same options with another graph. */
        public Tuning with(Graph other) {
            return new Tuning(threads, callers, level, spinning, arena, entries, other);
        }

        /**
         * As shipped for {@code cores} cores: {@link Defaults#modelCalls} calls at once, each on its
         * share of the cores ({@link #calls}).
         */
        public static Tuning of(int cores) {
            return calls(cores, Defaults.modelCalls(cores));
        }

        /**
         * Two calls at once on one session, each on half the cores (for an even number of cores;
         * else one caller). What the thirteenth round measured, before it became the default: on two
         * cores the model alone ran 1.24x one call over both (java/util's chunks, 12.8k -> 15.8k and
         * 11.8k -> 14.6k tokens a second, every round of two sets of five alternated), and
         * java/time's embedding phase took 52 s instead of 64-69; a call's operators are small (a
         * layer norm of 1,000 x 384 values), so splitting each over the cores leaves the threads
         * waiting on one another. But java/util's run then peaked at 287-311 MiB (RssAnon 248-261)
         * against 279-282 (230) one call at a time, whatever the tokens in flight (512, 768 or
         * 1,024) and with one C heap arena: over issue 22's 300 MB line in 4 of 9 runs
         * (docs/benchmarks.md, "Thirteenth round"). Without the runtime's arena the model alone was
         * faster still, the pipeline not, at 354-368 MB; a session each was as fast and costs 68 MB
         * more.
         */
        public static Tuning twoCallers(int cores) {
            return cores >= 2 && cores % 2 == 0 ? calls(cores, 2) : oneCaller(cores);
        }

        /**
         * {@code calls} calls at once on one session, each on an equal share of {@code cores} (one
         * thread at least): what {@code --model-calls} asks for. More calls than cores run as many
         * calls as there are cores. The session keeps the runtime's packed copy of the quantized
         * weights (its int8 kernels' layout, made once when the session is made): without it every
         * call packs each weight matrix again. The fifteenth round left the copy out to make room
         * (java/util's peak then 301 MiB without it, 308 and 323 with it); since index runs trim the C
         * heap, six alternated pairs of java/util ran 0.83-0.97x the wall with the copy (0.89x by the
         * medians), for peaks 5-27 MiB higher (median 13), all under 300 MiB (docs/benchmarks.md,
         * "Twenty-seventh round"); the vectors are bit for bit the same.
         */
        public static Tuning calls(int cores, int calls) {
            int n = Math.max(1, Math.min(calls, cores));
            if (n == 1) {
                return oneCaller(cores);
            }
            return new Tuning(Math.max(1, cores / n), n, OrtSession.SessionOptions.OptLevel.ALL_OPT, true, true,
                    Map.of(), Graph.REWRITTEN);
        }

        /** One call at a time on {@code threads} intra-op threads. */
        public static Tuning oneCaller(int threads) {
            return new Tuning(threads, OrtSession.SessionOptions.OptLevel.ALL_OPT, true, true, Map.of());
        }
    }

    /** Which graph of the model a session runs. */
    public enum Graph {
        /** The ONNX file as its artifact ships it. */
        AS_SHIPPED,
        /** The file rewritten by {@link dev.indexer.embed.onnx.graph.FasterGraph}: the same model, faster on CPU. */
        REWRITTEN
    }

    /** Loads a model run as {@code tuning} says. */
    public static OnnxEmbedder open(ModelSpec spec, int maxTokens, Tuning tuning, Path homeDir) {
        return open(spec, maxTokens, tuning, homeDir, null);
    }

    /**
     * Loads a model that counts tokens with {@code counting}, a tokenizer of the same model that the
     * caller holds and keeps owning (null: this embedder opens its own). Each tokenizer holds its
     * vocabulary twice, in native memory and on the heap (6-10 MB), and the lexical phase has
     * already loaded one for cutting files into chunks.
     */
    static OnnxEmbedder open(ModelSpec spec, int maxTokens, Tuning tuning, Path homeDir,
            EmbedderFactory.Tokenizer counting) {
        if (maxTokens < 8 || maxTokens > spec.maxSequence()) {
            throw new IndexerException("The token limit " + maxTokens + " does not fit model " + spec.id()
                    + "; use a value from 8 to " + spec.maxSequence() + ".");
        }
        OrtTelemetry.optOut();
        OrtNatives.useUnpacked(homeDir);
        EmbedderFactory.Tokenizer counter = counting != null ? counting : HfTokenizer.open(spec, homeDir);
        EmbedderFactory.Tokenizer owned = counting != null ? null : counter;
        ModelFiles files = ModelFiles.extract(spec, homeDir.resolve("models"));
        HuggingFaceTokenizer tokenizer = null;
        OrtSession.SessionOptions options = null;
        try {
            // The tokenizer.json files carry their own truncation (MiniLM's stops at 128); override it.
            tokenizer = HuggingFaceTokenizer.newInstance(files.tokenizer(),
                    Map.of("maxLength", Integer.toString(maxTokens), "truncation", "true", "padding", "true"));
            OrtEnvironment environment = environment();
            OrtNatives.removeEmptyTemporaryDirectory();
            options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(Math.max(1, tuning.threads()));
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(tuning.level());
            // Shapes change with every call, so precomputed memory patterns would only add memory.
            options.setMemoryPatternOptimization(false);
            options.setCPUArenaAllocator(tuning.arena());
            options.addConfigEntry("session.intra_op.allow_spinning", tuning.spinning() ? "1" : "0");
            for (Map.Entry<String, String> entry : tuning.entries().entrySet()) {
                options.addConfigEntry(entry.getKey(), entry.getValue());
            }
            Loaded loaded = session(environment, options, files, tuning.graph(),
                    spec.pooling() == ModelSpec.Pooling.CLS ? FasterGraph.all() : FasterGraph.allTokens());
            return new OnnxEmbedder(spec, maxTokens, tokenizer, counter, owned != null, environment, options, loaded,
                    tuning.callers());
        } catch (IOException | OrtException | RuntimeException e) {
            closeQuietly(tokenizer, owned, options);
            if (e instanceof IndexerException fatal) {
                throw fatal;
            }
            throw new IndexerException("Could not load the " + spec.id() + " model from " + files.onnx() + " ("
                    + e.getMessage() + "); delete that directory so it is unpacked again.", e);
        }
    }

    /**
     * A session of the rewritten graph, or of the shipped one when asked or when the runtime refuses
     * the rewritten file (a runtime without the operator it uses): the rewrite is only an optimization.
     */
    private static Loaded session(OrtEnvironment environment, OrtSession.SessionOptions options, ModelFiles files,
            Graph graph, Set<FasterGraph.Rewrite> rules) throws OrtException {
        Path rewritten = graph == Graph.REWRITTEN ? files.rewritten(rules) : files.onnx();
        if (!rewritten.equals(files.onnx())) {
            try {
                return new Loaded(environment.createSession(rewritten.toString(), options), Graph.REWRITTEN);
            } catch (OrtException e) {
                LOG.log(System.Logger.Level.DEBUG, "running " + files.onnx() + " as shipped: " + e.getMessage(), e);
            }
        }
        return new Loaded(environment.createSession(files.onnx().toString(), options), Graph.AS_SHIPPED);
    }

    /** A session and the graph it runs. */
    private record Loaded(OrtSession session, Graph graph) {
    }

    /** The graph this model runs: the rewritten one, unless asked otherwise or it could not be made or loaded. */
    Graph graph() {
        return graph;
    }

    /**
     * ONNX Runtime's process-wide environment, created on a thread with a large stack. Creating it
     * recurses in native code to a depth that grows with the length of the process's command line
     * (seen with ORT 1.29: a 3,000-character command line overflowed a 512 KB thread stack, a 5 KB
     * classpath the default 1 MB one), and a native stack overflow kills the JVM with SIGSEGV and
     * no message. That recursion is ONNX Runtime's telemetry reading the command line at start: with
     * {@link OrtTelemetry#optOut} it no longer happens (the 3,000 characters on a 512 KB stack start
     * fine with the opt-out and crash without it), and the large stack stays for a runtime that
     * might do something like it again. Later calls find the environment made and return at once.
     */
    private static OrtEnvironment environment() throws OrtException {
        OrtEnvironment[] made = new OrtEnvironment[1];
        Throwable[] failure = new Throwable[1];
        Thread starter = new Thread(null, () -> {
            try {
                made[0] = OrtEnvironment.getEnvironment();
                made[0].setTelemetry(false); // Windows builds report through event tracing instead
            } catch (OrtException | RuntimeException | Error e) {
                failure[0] = e;
            }
        }, "onnxruntime-start", STARTUP_STACK_BYTES);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting ONNX Runtime", e);
        }
        if (failure[0] instanceof OrtException e) {
            throw e;
        } else if (failure[0] instanceof RuntimeException e) {
            throw e;
        } else if (failure[0] instanceof Error e) {
            throw e;
        }
        return made[0];
    }

    /**
     * Loads models whose files are unpacked into, and cached in, {@code homeDir}, each running as
     * shipped for the threads it is given ({@link Tuning#of}).
     */
    public static EmbedderFactory factory(Path homeDir) {
        return factory(homeDir, Tuning::of);
    }

    /**
     * Loads models whose files are unpacked into, and cached in, {@code homeDir}, each running
     * {@code calls} document calls at once on a share of the threads it is given ({@link Tuning#calls}).
     */
    public static EmbedderFactory factory(Path homeDir, int calls) {
        if (calls < 1) {
            throw new IllegalArgumentException("calls must be at least 1: " + calls);
        }
        return factory(homeDir, threads -> Tuning.calls(threads, calls));
    }

    private static EmbedderFactory factory(Path homeDir, IntFunction<Tuning> tuningForThreads) {
        return new EmbedderFactory() {
            @Override
            public Embedder open(ModelSpec spec, int maxTokens, int threads) {
                return OnnxEmbedder.open(spec, maxTokens, tuningForThreads.apply(threads), homeDir);
            }

            @Override
            public Embedder open(ModelSpec spec, int maxTokens, int threads, EmbedderFactory.Tokenizer counting) {
                return OnnxEmbedder.open(spec, maxTokens, tuningForThreads.apply(threads), homeDir, counting);
            }

            @Override
            public EmbedderFactory.Tokenizer tokenizer(ModelSpec spec) {
                return HfTokenizer.open(spec, homeDir);
            }
        };
    }

    @Override
    public ModelSpec model() {
        return spec;
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public int specialTokens() {
        return specialTokens;
    }

    @Override
    public TokenCounter tokenCounter() {
        return counter;
    }

    @Override
    public int documentCalls() {
        return callers;
    }

    @Override
    public float[][] embedDocuments(List<String> texts) {
        documents.acquireUninterruptibly();
        try {
            if (closed) {
                throw new IllegalStateException("embedder is closed");
            }
            return embed(texts);
        } finally {
            documents.release();
        }
    }

    @Override
    public float[][] embedDocumentsForSearch(List<String> texts) {
        synchronized (queries) {
            if (callers == 1 || texts.size() < 2) {
                return embed(texts);
            }
            // Each call runs on part of the cores: a search waiting for these gets two at once.
            int half = texts.size() / 2;
            if (searchHelper == null) {
                searchHelper = Executors.newSingleThreadExecutor(task -> {
                    Thread thread = new Thread(task, "embed-search-half");
                    thread.setDaemon(true);
                    return thread;
                });
            }
            Future<float[][]> first = searchHelper.submit(() -> embed(texts.subList(0, half)));
            float[][] second = embed(texts.subList(half, texts.size()));
            float[][] both = new float[texts.size()][];
            try {
                System.arraycopy(first.get(), 0, both, 0, half);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IndexerException("Interrupted while embedding for a search.", e);
            }
            System.arraycopy(second, 0, both, half, second.length);
            return both;
        }
    }

    @Override
    public float[] embedQuery(String query) {
        synchronized (queries) {
            return embed(List.of(spec.queryPrefix() + query))[0];
        }
    }

    private float[][] embed(List<String> texts) {
        if (texts.isEmpty()) {
            return new float[0][];
        }
        ModelInputs inputs = ModelInputs.of(tokenizer.batchEncode(texts));
        int rows = inputs.rows();
        int columns = inputs.columns();
        long[] mask = inputs.mask();
        long[] shape = {rows, columns};
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            feed(feeds, "input_ids", inputs.ids(), shape);
            feed(feeds, "attention_mask", mask, shape);
            feed(feeds, "token_type_ids", inputs.types(), shape);
            try (OrtSession.Result result = session.run(feeds)) {
                OnnxTensor hidden = (OnnxTensor) result.get("last_hidden_state").orElse(result.get(0));
                long[] outShape = hidden.getInfo().getShape();
                int width = (int) outShape[2];
                // A graph rewritten for first-token pooling outputs that position alone.
                int positions = (int) outShape[1];
                if (positions != columns && spec.pooling() != ModelSpec.Pooling.CLS) {
                    throw new IllegalStateException("the model gave " + positions + " positions for " + columns);
                }
                FloatBuffer values = hidden.getFloatBuffer();
                float[][] vectors = new float[rows][];
                for (int r = 0; r < rows; r++) {
                    vectors[r] = Chunk.unitLength(pool(values, mask, r, positions, width));
                }
                return vectors;
            }
        } catch (OrtException | RuntimeException e) {
            throw new IndexerException("The embedding model failed on a batch of " + texts.size() + " chunks ("
                    + e.getMessage() + "); rerun with a smaller --batch-size or another --model.", e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private void feed(Map<String, OnnxTensor> feeds, String name, long[] values, long[] shape) throws OrtException {
        if (inputs.contains(name)) {
            feeds.put(name, OnnxTensor.createTensor(environment, LongBuffer.wrap(values), shape));
        }
    }

    /**
     * One input's vector from the last hidden state: its first token's, or the mean of its real
     * tokens'. {@code columns} is the output's positions per input, the input's for a mean.
     */
    private float[] pool(FloatBuffer values, long[] mask, int row, int columns, int width) {
        float[] vector = new float[width];
        int rowStart = row * columns * width;
        if (spec.pooling() == ModelSpec.Pooling.CLS) {
            values.get(rowStart, vector, 0, width);
            return vector;
        }
        int counted = 0;
        for (int t = 0; t < columns; t++) {
            if (mask[row * columns + t] == 0) {
                continue;
            }
            counted++;
            int offset = rowStart + t * width;
            for (int d = 0; d < width; d++) {
                vector[d] += values.get(offset + d);
            }
        }
        for (int d = 0; d < width && counted > 0; d++) {
            vector[d] /= counted;
        }
        return vector;
    }

    @Override
    public void close() {
        documents.acquireUninterruptibly(callers); // every document call has ended
        try {
            synchronized (queries) {
                if (closed) {
                    return;
                }
                closed = true;
                if (searchHelper != null) {
                    searchHelper.shutdown(); // idle: a split search waits for its half under this lock
                }
                try {
                    session.close();
                } catch (OrtException e) {
                    // the session is being discarded anyway
                }
                closeQuietly(tokenizer, ownsCounter ? counter : null, options);
            }
        } finally {
            documents.release(callers); // a later call finds it closed, and says so
        }
    }

    private static void closeQuietly(HuggingFaceTokenizer tokenizer, EmbedderFactory.Tokenizer counter,
            OrtSession.SessionOptions options) {
        try (HuggingFaceTokenizer t = tokenizer; EmbedderFactory.Tokenizer c = counter;
                OrtSession.SessionOptions o = options) {
            // closed in reverse order, those that are not null
        }
    }
}
