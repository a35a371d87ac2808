package dev.indexer.chunk;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A piece of a file that is embedded and stored as one vector.
 *
 * @param path the file's path below the root, {@code /}-separated
 * @param ordinal position of this chunk in its file, from 0
 * @param startLine first line, 1-based
 * @param endLine last line, inclusive
 * @param language language name from the extension, e.g. {@code java}; {@code text} if unknown
 * @param text the lines, joined with {@code \n}
 * @param tokens the model's token count for {@link #embedText()}, without special tokens
 * @param context where the chunk sits in its file's code, and the header that says so
 */
public record Chunk(String path, int ordinal, int startLine, int endLine, String language, String text, int tokens,
        Context context) {

    /** A chunk with no code context (line windows of text, data, or code that could not be parsed). */
    public Chunk(String path, int ordinal, int startLine, int endLine, String language, String text, int tokens) {
        this(path, ordinal, startLine, endLine, language, text, tokens, Context.NONE);
    }

    /**
     * What the model embeds: the header (the file's path, and the signatures of the class and
     * function around the chunk) and the text, so that a method body keeps its context.
     */
    public String embedText() {
        return context.header().isEmpty() ? text : context.header() + "\n" + text;
    }

    /**
     * A stable id derived from path and ordinal, so that sending the same chunk again replaces it
     * instead of adding a duplicate.
     */
    public String id() {
        return idFor(path, ordinal);
    }

    /** The id of chunk {@code ordinal} of file {@code path}. */
    public static String idFor(String path, int ordinal) {
        return UUID.nameUUIDFromBytes((path + '\u0000' + ordinal).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * A hash of the text: a chunk whose text did not change keeps its vector when its file is
     * re-indexed. 64 bits of SHA-256, plenty to tell apart the chunks of one file.
     */
    public String hash() {
        return hashOf(embedText());
    }

    /** The {@link #hash()} of a chunk whose {@link #embedText()} is this. */
    public static String hashOf(String text) {
        return ContentHash.ofText(text).substring(0, 16);
    }

    /** An estimate of the memory this chunk holds, for byte-bounded buffers. */
    public long weight() {
        return 128L + 2L * (text.length() + path.length() + context.header().length());
    }

    /**
     * Where a chunk sits in its file's code, as a parser saw it.
     *
     * @param header the first line(s) of the embedded text: the path and the enclosing signatures
     * @param symbol the name of the function, method or type the chunk holds or is part of; empty if none
     * @param kind what {@code symbol} is: {@code function}, {@code method}, {@code class}...; empty if none
     * @param container the type that encloses {@code symbol} (a method's class); empty if none
     */
    public record Context(String header, String symbol, String kind, String container) {
        public static final Context NONE = new Context("", "", "", "");

        /** Only a header: the path, for chunks that come from no parse. */
        public static Context headerOnly(String header) {
            return new Context(header, "", "", "");
        }
    }

    /** Takes chunks as they are cut; may block when the next stage is full. */
    @FunctionalInterface
    public interface Sink {
        void accept(Chunk chunk) throws InterruptedException;
    }
}
