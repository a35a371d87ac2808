package dev.indexer.embed;

import dev.indexer.chunk.TokenCounter;
import dev.indexer.config.ModelSpec;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Loads the model the first time it is needed, and its tokenizer alone the first time tokens are
 * counted. A rerun over an unchanged tree reads no file and embeds nothing, so it should not pay
 * the second or so that loading a model costs; the lexical phase of a run cuts every file into
 * chunks with the tokenizer, long before the model embeds any. The model, once loaded, counts with
 * that same tokenizer rather than a second one. Safe for use from several threads.
 */
final class LazyEmbedder implements Embedder {
    private final ModelSpec spec;
    private final int maxTokens;
    /** Loads the model, given the tokenizer to count with (which this keeps owning). */
    private final Function<EmbedderFactory.Tokenizer, Embedder> loader;
    private final Supplier<EmbedderFactory.Tokenizer> tokenizerLoader;
    private Embedder loaded;
    private EmbedderFactory.Tokenizer tokenizer;
    private boolean closed;

    LazyEmbedder(ModelSpec spec, int maxTokens, Function<EmbedderFactory.Tokenizer, Embedder> loader,
            Supplier<EmbedderFactory.Tokenizer> tokenizerLoader) {
        this.spec = spec;
        this.maxTokens = maxTokens;
        this.loader = loader;
        this.tokenizerLoader = tokenizerLoader;
    }

    /** The model's tokenizer, loaded on first use without the model. */
    private synchronized EmbedderFactory.Tokenizer tokenizer() {
        if (closed) {
            throw new IllegalStateException("embedder is closed");
        }
        if (tokenizer == null) {
            tokenizer = tokenizerLoader.get();
        }
        return tokenizer;
    }

    private synchronized Embedder delegate() {
        if (closed) {
            throw new IllegalStateException("embedder is closed");
        }
        if (loaded == null) {
            loaded = loader.apply(tokenizer());
        }
        return loaded;
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
        return spec.specialTokens();
    }

    @Override
    public TokenCounter tokenCounter() {
        return lines -> tokenizer().countLines(lines);
    }

    @Override
    public float[][] embedDocuments(List<String> texts) {
        return delegate().embedDocuments(texts);
    }

    /** Loads the model: asked only by a stage that is about to embed. */
    @Override
    public int documentCalls() {
        return delegate().documentCalls();
    }

    @Override
    public float[][] embedDocumentsForSearch(List<String> texts) {
        return delegate().embedDocumentsForSearch(texts);
    }

    @Override
    public float[] embedQuery(String query) {
        return delegate().embedQuery(query);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (loaded != null) {
            loaded.close(); // before the tokenizer it counts with
        }
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
