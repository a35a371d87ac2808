package dev.indexer.chunk;

/**
 * Where a chunk sits in its file's code, as a parser saw it.
 *
 * @param header the first line(s) of the embedded text: the path and the enclosing signatures
 * @param symbol the name of the function, method or type the chunk holds or is part of; empty if none
 * @param kind what {@code symbol} is: {@code function}, {@code method}, {@code class}...; empty if none
 * @param container the type that encloses {@code symbol} (a method's class); empty if none
 */
public record ChunkContext(String header, String symbol, String kind, String container) {
    public static final ChunkContext NONE = new ChunkContext("", "", "", "");

    /** Only a header: the path, for chunks that come from no parse. */
    public static ChunkContext headerOnly(String header) {
        return new ChunkContext(header, "", "", "");
    }
}
