package dev.indexer.config;

import java.util.Locale;

/** How files are cut into chunks. */
public enum ChunkerKind implements Identified {
    /** Source code at definitions (tree-sitter), everything else in line windows; all with headers. */
    SYNTAX,
    /** Line windows for every file, with the path as header: the baseline syntax chunks are measured against. */
    LINES;

    @Override
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ChunkerKind byId(String id) {
        return Identified.byId(values(), id, "chunker");
    }

    /**
     * The rules' version: a collection made with other rules must be rebuilt, as its chunk ids, or
     * the inputs its vectors were made from, would differ; vectors made two ways in one collection
     * do not rank well against each other. Syntax chunks 4: declarations as headers, signatures
     * embedded apart from the text. 5 (and line windows 4): the model reads block comments without
     * their markup ({@code CommentMarkup}). Syntax chunks 6: cut by the tokens the model reads, so
     * a documented definition holds more of its lines. Line windows of at most 512 lines
     * ({@code ChunkingOptions.maxLines}) kept version 4: only windows over a run of blank lines
     * change, no text is read another way, and a file keeps its chunks until it changes.
     */
    public String version() {
        return (this == SYNTAX ? "syntax-6/" : "lines-4/") + Defaults.CHUNK_TOKENS;
    }
}
