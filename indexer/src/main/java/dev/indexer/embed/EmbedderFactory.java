package dev.indexer.embed;

import dev.indexer.chunk.TokenCounter;
import dev.indexer.config.ModelSpec;

/** Loads a model: the real one for runs, a stand-in for benchmarks that must not wait for it. */
public interface EmbedderFactory {
    /**
     * @param maxTokens the longest input in tokens, special tokens included
     * @param threads threads the model may use
     */
    Embedder open(ModelSpec model, int maxTokens, int threads);

    /**
     * {@code model}, counting tokens with {@code counting} (a tokenizer of the same model from
     * {@link #tokenizer}, which the caller keeps owning and closes after the embedder) instead of a
     * tokenizer of its own. Factories that do not share one open as {@link #open(ModelSpec, int, int)}.
     */
    default Embedder open(ModelSpec model, int maxTokens, int threads, Tokenizer counting) {
        return open(model, maxTokens, threads);
    }

    /** The model's tokenizer alone, for counting: cheap to load, and enough to cut files into chunks. */
    Tokenizer tokenizer(ModelSpec model);

    /**
     * {@code model}, loaded the first time it embeds, and its tokenizer alone the first time it
     * counts tokens ({@link LazyEmbedder}): a rerun that embeds nothing never loads the model.
     */
    default Embedder lazily(ModelSpec model, int maxTokens, int threads) {
        return new LazyEmbedder(model, maxTokens, counting -> open(model, maxTokens, threads, counting),
                () -> tokenizer(model));
    }

    /**
     * Counts tokens exactly as a model will see them, without the model: what cutting files into
     * chunks needs, long before (or without ever) embedding them. Closing it frees its native parts.
     */
    public interface Tokenizer extends TokenCounter, AutoCloseable {
        @Override
        void close();
    }
}
