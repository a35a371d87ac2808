package dev.indexer.chunk;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * A piece of a file that is embedded and stored as one vector.
 *
 * @param path the file's path below the root, {@code /}-separated
 * @param ordinal position of this chunk in its file, from 0
 * @param startLine first line, 1-based
 * @param endLine last line, inclusive
 * @param language language name from the extension, e.g. {@code java}; {@code text} if unknown
 * @param text the lines, joined with {@code \n}
 * @param tokens the model's token count for {@link #embedText()} as the model reads it (the comments'
 *     markup left out, {@link CommentMarkup}), without special tokens
 * @param context where the chunk sits in its file's code, and the header that says so
 */
public record Chunk(String path, int ordinal, int startLine, int endLine, String language, String text, int tokens,
        Context context) {
    /**
     * How much of a chunk's vector its enclosing signatures make: 0.3 kept every language of the
     * evaluation's tuning halves within 0.01 of embedding them with the text; 0.5 cost Java's
     * file MRR@10 0.014 and JavaScript's span recall@10 0.023.
     */
    public static final float SIGNATURE_WEIGHT = 0.3f;

    /** A chunk with no code context (line windows of text, data, or code that could not be parsed). */
    public Chunk(String path, int ordinal, int startLine, int endLine, String language, String text, int tokens) {
        this(path, ordinal, startLine, endLine, language, text, tokens, Context.NONE);
    }

    /**
     * The header (the file's path, and the signatures of the class and function around the chunk)
     * and the text, as written, so that a method body keeps its context: what the index of words
     * holds and the chunk's hash is of. The model reads it as {@link #embedParts()}.
     */
    public String embedText() {
        return context.header().isEmpty() ? text : context.header() + "\n" + text;
    }

    /**
     * What the model embeds for this chunk, as separate inputs: when the header names definitions
     * around the chunk, the path with the text, then those signatures; else the header and the text.
     * The text is read with its comments' markup left out ({@link CommentMarkup}).
     * A class's signatures are the same for all its chunks, so the model reads them once for all of
     * them (java/util: 12% fewer tokens); the path stays with the text because apart it cost the
     * evaluation's JavaScript 0.04 of span recall@10 (docs/benchmarks.md).
     */
    public List<String> embedParts() {
        // Comments' markup is not read (CommentMarkup): the chunker counted the tokens without it.
        String plain = CommentMarkup.plain(language, text);
        int newline = context.header().indexOf('\n');
        if (newline < 0) {
            return List.of(context.header().isEmpty() ? plain : context.header() + "\n" + plain);
        }
        return List.of(context.header().substring(0, newline) + "\n" + plain, context.header().substring(newline + 1));
    }

    /**
     * Whether the model would read this chunk's text as data, not words ({@link DataText}): a table
     * of character codes or numbers. Such a chunk is searched by its words only and gets no vector;
     * its header does not count, as every chunk of the file shares it.
     */
    public boolean isData() {
        return DataText.isData(CommentMarkup.plain(language, text));
    }

    /**
     * The chunk's vector from its parts' vectors ({@link #embedParts()}): the first's plus the
     * signatures' at {@link #SIGNATURE_WEIGHT}, at unit length; null while a part has none.
     */
    public float[] vectorFrom(Function<String, float[]> parts) {
        List<String> names = embedParts();
        float[] first = parts.apply(names.get(0));
        float[] signatures = names.size() > 1 ? parts.apply(names.get(1)) : null;
        if (first == null || (signatures == null && names.size() > 1)) {
            return null;
        }
        float[] vector = first.clone();
        if (signatures != null) {
            for (int i = 0; i < vector.length; i++) {
                vector[i] += SIGNATURE_WEIGHT * signatures[i];
            }
        }
        return unitLength(vector);
    }

    /** {@code vector} scaled in place to unit length, as the stores' dot products expect; zero stays zero. */
    public static float[] unitLength(float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += (double) v * v;
        }
        float scale = sum > 0 ? (float) (1 / Math.sqrt(sum)) : 0f;
        for (int i = 0; i < vector.length; i++) {
            vector[i] *= scale;
        }
        return vector;
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
