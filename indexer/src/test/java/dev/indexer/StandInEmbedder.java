package dev.indexer;

import dev.indexer.chunk.TokenCounter;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.Embedder;
import dev.indexer.embed.EmbedderFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A model for tests about the machinery, not about meaning: one token per word, and unit vectors
 * drawn from a hash of the text, so equal texts get equal vectors. It can be made slow, to give a
 * test time to act while a run is embedding.
 */
public final class StandInEmbedder implements Embedder {
    /** One token per whitespace-separated word. */
    public static final TokenCounter WORDS = lines -> lines.stream()
            .mapToInt(l -> l.isBlank() ? 0 : l.strip().split("\\s+").length).toArray();

    private final ModelSpec spec;
    private final long millisPerCall;
    private final Runnable beforeEachCall;
    private final AtomicLong embedded = new AtomicLong();

    public StandInEmbedder(ModelSpec spec, long millisPerCall) {
        this(spec, millisPerCall, () -> {});
    }

    private StandInEmbedder(ModelSpec spec, long millisPerCall, Runnable beforeEachCall) {
        this.spec = spec;
        this.millisPerCall = millisPerCall;
        this.beforeEachCall = beforeEachCall;
    }

    /** Stand-ins that run {@code beforeEachCall} before embedding documents: a test holds the embedding phase there. */
    public static EmbedderFactory factory(Runnable beforeEachCall) {
        return new EmbedderFactory() {
            @Override
            public Embedder open(ModelSpec model, int maxTokens, int threads) {
                return new StandInEmbedder(model, 0, beforeEachCall);
            }

            @Override
            public EmbedderFactory.Tokenizer tokenizer(ModelSpec model) {
                return words();
            }
        };
    }

    /** Counts words, {@code millisPerCall} slowly: a reading phase long enough to act in. */
    public static final class SlowWords implements EmbedderFactory.Tokenizer {
        private final long millisPerCall;

        public SlowWords(long millisPerCall) {
            this.millisPerCall = millisPerCall;
        }

        @Override
        public int[] countLines(List<String> lines) {
            try {
                Thread.sleep(millisPerCall);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return WORDS.countLines(lines);
        }

        @Override
        public void close() {}
    }

    /** Stand-ins for whatever model a collection asks for, {@code millisPerCall} slow, counting with {@code tokenizer}. */
    public static EmbedderFactory factory(long millisPerCall, EmbedderFactory.Tokenizer tokenizer) {
        return new EmbedderFactory() {
            @Override
            public Embedder open(ModelSpec model, int maxTokens, int threads) {
                return new StandInEmbedder(model, millisPerCall);
            }

            @Override
            public EmbedderFactory.Tokenizer tokenizer(ModelSpec model) {
                return tokenizer;
            }
        };
    }

    /** Stand-ins for whatever model a collection asks for, {@code millisPerCall} slow. */
    public static EmbedderFactory factory(long millisPerCall) {
        return new EmbedderFactory() {
            @Override
            public Embedder open(ModelSpec model, int maxTokens, int threads) {
                return new StandInEmbedder(model, millisPerCall);
            }

            @Override
            public EmbedderFactory.Tokenizer tokenizer(ModelSpec model) {
                return words();
            }
        };
    }

    /** {@link #WORDS} as a tokenizer. */
    public static EmbedderFactory.Tokenizer words() {
        return new EmbedderFactory.Tokenizer() {
            @Override
            public int[] countLines(List<String> lines) {
                return WORDS.countLines(lines);
            }

            @Override
            public void close() {}
        };
    }

    /** Texts embedded so far. */
    public long embedded() {
        return embedded.get();
    }

    @Override
    public ModelSpec model() {
        return spec;
    }

    @Override
    public int maxTokens() {
        return 256;
    }

    @Override
    public int specialTokens() {
        return spec.specialTokens();
    }

    @Override
    public TokenCounter tokenCounter() {
        return WORDS;
    }

    @Override
    public float[][] embedDocuments(List<String> texts) {
        beforeEachCall.run();
        if (millisPerCall > 0) {
            try {
                Thread.sleep(millisPerCall);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        float[][] vectors = new float[texts.size()][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = vector(texts.get(i));
        }
        embedded.addAndGet(texts.size());
        return vectors;
    }

    /** What a search embeds: as fast as a query, and not counted among the documents indexing embedded. */
    @Override
    public float[][] embedDocumentsForSearch(List<String> texts) {
        return texts.stream().map(this::vector).toArray(float[][]::new);
    }

    @Override
    public float[] embedQuery(String query) {
        return vector(query);
    }

    /** A unit vector from SHA-256 of the text: deterministic, distinct, and free of any model. */
    public float[] vector(String text) {
        try {
            byte[] seed = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            Random random = new Random(ByteBuffer.wrap(seed).getLong());
            float[] v = new float[spec.dimension()];
            double sum = 0;
            for (int d = 0; d < v.length; d++) {
                v[d] = (float) random.nextGaussian();
                sum += v[d] * v[d];
            }
            for (int d = 0; d < v.length; d++) {
                v[d] /= (float) Math.sqrt(sum);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {}
}
