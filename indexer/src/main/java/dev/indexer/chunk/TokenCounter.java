package dev.indexer.chunk;

import java.util.List;

/** Counts tokens the way the embedding model's tokenizer does, so chunks fit the model. */
public interface TokenCounter {
    /**
     * Counts the tokens of each line, without special tokens. Lines are counted together so an
     * implementation can make one tokenizer call for many lines.
     */
    int[] countLines(List<String> lines);
}
