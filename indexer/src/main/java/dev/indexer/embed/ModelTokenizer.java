package dev.indexer.embed;

import dev.indexer.chunk.TokenCounter;

/**
 * Counts tokens exactly as a model will see them, without the model: what cutting files into
 * chunks needs, long before (or without ever) embedding them. Closing it frees its native parts.
 */
public interface ModelTokenizer extends TokenCounter, AutoCloseable {
    @Override
    void close();
}
