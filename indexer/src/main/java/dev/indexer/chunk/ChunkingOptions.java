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
 * @param shape how syntax-aware chunks are cut and headed
 * @param maxLineTokens a line of source code of up to this many tokens (header included) stays in
 *     a syntax-aware chunk, a chunk of its own if it is over {@code maxTokens}: the model reads it
 *     whole; a longer line sends its file to line windows, which cut it
 */
public record ChunkingOptions(int maxTokens, int overlapTokens, long mmapThreshold, int mmapWindow, int readBuffer,
        int maxLineChars, boolean syntaxAware, boolean pathHeaders, SyntaxShape shape, int maxLineTokens) {

    /**
     * How syntax-aware chunks are made.
     *
     * @param splitDefinitions cut a node that holds two or more functions into its members even
     *     when it would fit whole, so that each function is a chunk of its own (with its class's
     *     signature in the header); off: a class that fits is one chunk
     * @param packTokens neighbouring units join one chunk while the chunk stays within this many
     *     tokens: the budget packs whole definitions together as long as they fit; a small number
     *     packs only small things (fields, imports, one-line getters)
     * @param header what heads the embedded text
     */
    public record SyntaxShape(boolean splitDefinitions, int packTokens, HeaderStyle header) {
        /** The default: whole classes when they fit, definitions packed up to the budget, signature headers. */
        public static final SyntaxShape PACKED = new SyntaxShape(false, Integer.MAX_VALUE, HeaderStyle.SIGNATURES);

        public SyntaxShape {
            if (packTokens < 0) {
                throw new IllegalArgumentException("packTokens cannot be negative");
            }
        }

        public SyntaxShape withHeader(HeaderStyle value) {
            return new SyntaxShape(splitDefinitions, packTokens, value);
        }
    }

    /** What the model reads before a syntax-aware chunk's text. */
    public enum HeaderStyle {
        /** The file's path and the signatures of the definitions around the chunk. */
        SIGNATURES,
        /** The file's path only. */
        PATH,
        /** Nothing. */
        NONE
    }

    public ChunkingOptions(int maxTokens, int overlapTokens, long mmapThreshold, int mmapWindow, int readBuffer,
            int maxLineChars, boolean syntaxAware, boolean pathHeaders) {
        this(maxTokens, overlapTokens, mmapThreshold, mmapWindow, readBuffer, maxLineChars, syntaxAware, pathHeaders,
                SyntaxShape.PACKED, maxTokens);
    }

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
        if (maxLineTokens < maxTokens) {
            throw new IllegalArgumentException("maxLineTokens cannot be below maxTokens, was " + maxLineTokens);
        }
    }

    /** Defaults for chunks of at most {@code tokens} tokens of text, header included. */
    public static ChunkingOptions withTextTokens(int tokens) {
        return new ChunkingOptions(tokens, overlapFor(tokens), 1L << 20, 1 << 20, 64 << 10, 8192, true, true);
    }

    /** Defaults for chunks as long as a model that takes {@code modelTokens} tokens including {@code specialTokens}. */
    public static ChunkingOptions forModel(int modelTokens, int specialTokens) {
        return withTextTokens(modelTokens - specialTokens);
    }

    /**
     * The most lines a chunk holds: four for each token of its budget. Blank lines, and comment
     * lines that are only markup, cost the model nothing, so without it a run of them would make
     * one chunk (and one hit's text) of a whole file. It cuts no chunk of the JDK's sources (at most
     * 491 lines a chunk) or of the four-language evaluation's code (306), only such runs.
     */
    public int maxLines() {
        return 4 * maxTokens;
    }

    /** An eighth of the chunk, at most 32 tokens: enough for a statement cut at a window's edge. */
    private static int overlapFor(int tokens) {
        return Math.max(0, Math.min(32, tokens / 8));
    }

    public ChunkingOptions withMmap(long threshold, int window) {
        return new ChunkingOptions(maxTokens, overlapTokens, threshold, window, readBuffer, maxLineChars, syntaxAware,
                pathHeaders, shape, maxLineTokens);
    }

    public ChunkingOptions withReadBuffer(int bytes) {
        return new ChunkingOptions(maxTokens, overlapTokens, mmapThreshold, mmapWindow, bytes, maxLineChars,
                syntaxAware, pathHeaders, shape, maxLineTokens);
    }

    /** Line windows only, each headed by its file's path: what chunking was before syntax-aware chunks. */
    public ChunkingOptions withLineWindows() {
        return new ChunkingOptions(maxTokens, overlapTokens, mmapThreshold, mmapWindow, readBuffer, maxLineChars, false,
                true, shape, maxLineTokens);
    }

    /** Line windows only, with no header: the text alone (for tests of how text is cut). */
    ChunkingOptions withBareLineWindows() {
        return new ChunkingOptions(maxTokens, overlapTokens, mmapThreshold, mmapWindow, readBuffer, maxLineChars, false,
                false, shape, maxLineTokens);
    }

    /** These options cutting syntax-aware chunks to {@code value}. */
    public ChunkingOptions withShape(SyntaxShape value) {
        return new ChunkingOptions(maxTokens, overlapTokens, mmapThreshold, mmapWindow, readBuffer, maxLineChars,
                syntaxAware, pathHeaders, value, maxLineTokens);
    }

    /** These options with chunks of at most {@code tokens} tokens of text (overlap scaled to match). */
    public ChunkingOptions withMaxTokens(int tokens) {
        return new ChunkingOptions(tokens, overlapFor(tokens), mmapThreshold, mmapWindow,
                readBuffer, maxLineChars, syntaxAware, pathHeaders, shape, Math.max(tokens, maxLineTokens));
    }

    /** These options keeping source lines of up to {@code tokens} tokens in syntax-aware chunks. */
    public ChunkingOptions withLineTokens(int tokens) {
        return new ChunkingOptions(maxTokens, overlapTokens, mmapThreshold, mmapWindow,
                readBuffer, maxLineChars, syntaxAware, pathHeaders, shape, tokens);
    }
}
