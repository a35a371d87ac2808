package dev.indexer.embed;

import dev.indexer.config.ModelSpec;

/** Loads a model: the real one for runs, a stand-in for benchmarks that must not wait for it. */
public interface EmbedderFactory {
    /**
     * @param maxTokens the longest input in tokens, special tokens included
     * @param threads threads the model may use
     */
    Embedder open(ModelSpec model, int maxTokens, int threads);

    /** The model's tokenizer alone, for counting: cheap to load, and enough to cut files into chunks. */
    ModelTokenizer tokenizer(ModelSpec model);
}
