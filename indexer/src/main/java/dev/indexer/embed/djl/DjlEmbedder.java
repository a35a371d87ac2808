package dev.indexer.embed.djl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.indexer.IndexerException;
import dev.indexer.chunk.TokenCounter;
import dev.indexer.embed.Embedder;
import dev.indexer.embed.EmbedderFactory;
import dev.indexer.embed.ModelTokenizer;
import dev.indexer.config.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The embedder on DJL and ONNX Runtime with the model's Hugging Face tokenizer. Everything it
 * needs is on the class path; it never reaches the network (see {@link DjlEnvironment}).
 */
public final class DjlEmbedder implements Embedder {
    private final ModelSpec spec;
    private final int maxTokens;
    private final int specialTokens;
    private final HuggingFaceTokenizer tokenizer;
    private final DjlTokenizer counter;
    private final OrtSession.SessionOptions sessionOptions;
    private final Model model;
    private final Predictor<Encoding[], float[][]> predictor;
    /**
     * A second predictor for queries: ONNX Runtime runs a session from several threads at once, so a
     * search is not held up behind a batch the indexer is embedding (a predictor itself is not
     * thread-safe: each has its lock).
     */
    private final Predictor<Encoding[], float[][]> queryPredictor;
    private boolean closed;

    private DjlEmbedder(
            ModelSpec spec,
            int maxTokens,
            HuggingFaceTokenizer tokenizer,
            DjlTokenizer counter,
            OrtSession.SessionOptions sessionOptions,
            Model model) {
        this.spec = spec;
        this.maxTokens = maxTokens;
        this.tokenizer = tokenizer;
        this.counter = counter;
        this.sessionOptions = sessionOptions;
        this.model = model;
        this.specialTokens = tokenizer.encode("").getIds().length;
        Set<String> inputs = new HashSet<>(model.describeInput().keys());
        this.predictor = model.newPredictor(new EmbeddingTranslator(spec.pooling(), inputs));
        this.queryPredictor = model.newPredictor(new EmbeddingTranslator(spec.pooling(), inputs));
    }

    /**
     * Loads a model.
     *
     * @param maxTokens the longest input in tokens, special tokens included (at most the model's limit)
     * @param threads ONNX Runtime intra-op threads, usually the number of cores
     * @param homeDir where the model files are unpacked and DJL keeps its cache
     */
    public static DjlEmbedder open(ModelSpec spec, int maxTokens, int threads, Path homeDir) {
        if (maxTokens < 8 || maxTokens > spec.maxSequence()) {
            throw new IndexerException("The token limit " + maxTokens + " does not fit model " + spec.id()
                    + "; use a value from 8 to " + spec.maxSequence() + ".");
        }
        DjlTokenizer counting = DjlTokenizer.open(spec, homeDir);
        DjlEnvironment.startOnnxRuntime();
        ModelFiles files = ModelFiles.extract(spec, homeDir.resolve("models"));
        HuggingFaceTokenizer tokenizer = null;
        OrtSession.SessionOptions options = null;
        Model model = null;
        try {
            // The tokenizer.json files carry their own truncation (MiniLM's stops at 128); override it.
            tokenizer = HuggingFaceTokenizer.newInstance(files.tokenizer(), Map.of(
                    "maxLength", Integer.toString(maxTokens),
                    "truncation", "true",
                    "padding", "true"));
            options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(Math.max(1, threads));
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // Shapes change with every batch, so precomputed memory patterns would only add memory.
            options.setMemoryPatternOptimization(false);
            // An explicit CPU device keeps DJL from probing for CUDA on machines that have a toolkit but no GPU.
            model = Model.newInstance(spec.id(), Device.cpu(), "OnnxRuntime");
            model.load(files.onnx(), null, Map.of("sessionOptions", options));
            return new DjlEmbedder(spec, maxTokens, tokenizer, counting, options, model);
        } catch (IOException | OrtException | ai.djl.MalformedModelException | RuntimeException e) {
            closeQuietly(model, tokenizer, counting, options);
            if (e instanceof IndexerException fatal) {
                throw fatal;
            }
            throw new IndexerException("Could not load the " + spec.id() + " model from " + files.onnx() + " ("
                    + e.getMessage() + "); delete that directory so it is unpacked again.", e);
        }
    }

    /** Loads DJL models whose files are unpacked into, and cached in, {@code homeDir}. */
    public static EmbedderFactory factory(Path homeDir) {
        return new EmbedderFactory() {
            @Override
            public Embedder open(ModelSpec spec, int maxTokens, int threads) {
                return DjlEmbedder.open(spec, maxTokens, threads, homeDir);
            }

            @Override
            public ModelTokenizer tokenizer(ModelSpec spec) {
                return DjlTokenizer.open(spec, homeDir);
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
    public float[][] embedDocuments(List<String> texts) {
        synchronized (predictor) {
            return embed(predictor, texts);
        }
    }

    @Override
    public float[] embedQuery(String query) {
        synchronized (queryPredictor) {
            return embed(queryPredictor, List.of(spec.queryPrefix() + query))[0];
        }
    }

    private float[][] embed(Predictor<Encoding[], float[][]> on, List<String> texts) {
        if (texts.isEmpty()) {
            return new float[0][];
        }
        Encoding[] batch = tokenizer.batchEncode(texts);
        try {
            return on.predict(batch);
        } catch (TranslateException | RuntimeException e) {
            throw new IndexerException("The embedding model failed on a batch of " + texts.size() + " chunks ("
                    + e.getMessage() + "); rerun with a smaller --batch-size or another --model.", e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        predictor.close();
        queryPredictor.close();
        closeQuietly(model, tokenizer, counter, sessionOptions);
    }

    private static void closeQuietly(Model model, HuggingFaceTokenizer a, DjlTokenizer b,
            OrtSession.SessionOptions options) {
        if (model != null) {
            model.close();
        }
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (options != null) {
            options.close();
        }
    }
}
