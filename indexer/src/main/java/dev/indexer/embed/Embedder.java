package dev.indexer.embed;

import dev.indexer.chunk.TokenCounter;
import dev.indexer.config.ModelSpec;
import java.util.List;

/**
 * Turns text into unit-length vectors. Safe to use from several threads: the indexer embeds
 * documents while a server embeds queries.
 * Implementations fail with {@link dev.indexer.IndexerException} for problems that stop a run.
 */
public interface Embedder extends AutoCloseable {
    ModelSpec model();

    /** Tokens per input the embedder accepts, special tokens included; longer input is truncated. */
    int maxTokens();

    /** Special tokens the model adds to every input (e.g. [CLS] and [SEP]). */
    int specialTokens();

    /** Counts tokens exactly as {@link #embedDocuments} will see them. */
    TokenCounter tokenCounter();

    /** Embeds document texts; the result has one L2-normalised vector per text, in order. */
    float[][] embedDocuments(List<String> texts);

    /**
     * How many {@link #embedDocuments} calls should run at once to use the threads this embedder was
     * given: more than one where each call runs on its own share of the cores (see {@code
     * OnnxEmbedder.Tuning}). Calls past this many wait for one to end.
     */
    default int documentCalls() {
        return 1;
    }

    /**
     * Embeds document texts for a search that is waiting (chunks a search found by their words
     * before the indexer embedded them): as {@link #embedDocuments}, but not queued behind the
     * documents an indexing run is embedding.
     */
    float[][] embedDocumentsForSearch(List<String> texts);

    /** Embeds a search query, with the model's query prefix. */
    float[] embedQuery(String query);

    @Override
    void close();
}
