package dev.indexer.chunk;

/**
 * How files are read and cut.
 *
 * @param maxTokens the most tokens of text in one chunk (the model's limit less its special tokens)
 * @param overlapTokens about this many tokens of a chunk's last lines start the next chunk
 * @param mmapThreshold files at least this large are read through memory-mapped windows
 * @param mmapWindow bytes mapped at a time
 * @param readBuffer bytes read at a time for smaller files
 * @param maxLineChars longer lines are cut into pieces of this many characters
 * @param syntaxAware cut source code at definitions (tree-sitter) rather than into line windows
 * @param pathHeaders start each chunk's embedded text with its file's path
 */
public record ChunkingOptions(
        int maxTokens, int overlapTokens, long mmapThreshold, int mmapWindow, int readBuffer, int maxLineChars,
        boolean syntaxAware, boolean pathHeaders) {

    public ChunkingOptions {
        if (maxTokens < 8) {
            throw new IllegalArgumentException("maxTokens must be at least 8, was " + maxTokens);
        }
        if (overlapTokens < 0 || overlapTokens >= maxTokens / 2) {
            throw new IllegalArgumentException("overlapTokens must be below half of maxTokens, was " + overlapTokens);
        }
        if (mmapWindow < 4096 || readBuffer < 4096 || maxLineChars < 64) {
            throw new IllegalArgumentException("window, buffer and line sizes are too small");
        }
    }

    /** Defaults for a model that takes {@code modelTokens} tokens including {@code specialTokens}. */
    public static ChunkingOptions forModel(int modelTokens, int specialTokens) {
        int budget = modelTokens - specialTokens;
        return new ChunkingOptions(
                budget, Math.max(0, Math.min(32, budget / 8)), 1L << 20, 1 << 20, 64 << 10, 8192, true, true);
    }

    public ChunkingOptions withMmap(long threshold, int window) {
        return new ChunkingOptions(
                maxTokens, overlapTokens, threshold, window, readBuffer, maxLineChars, syntaxAware, pathHeaders);
    }

    public ChunkingOptions withReadBuffer(int bytes) {
        return new ChunkingOptions(
                maxTokens, overlapTokens, mmapThreshold, mmapWindow, bytes, maxLineChars, syntaxAware, pathHeaders);
    }

    /** Line windows only, with or without path headers: what chunking was before syntax-aware chunks. */
    public ChunkingOptions withLineWindows(boolean withPathHeaders) {
        return new ChunkingOptions(
                maxTokens, overlapTokens, mmapThreshold, mmapWindow, readBuffer, maxLineChars, false, withPathHeaders);
    }
}
