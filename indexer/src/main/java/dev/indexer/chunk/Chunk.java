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
 * @param tokens the model's token count for {@code text}, without special tokens
 */
public record Chunk(String path, int ordinal, int startLine, int endLine, String language, String text, int tokens) {

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
        return hashOf(text);
    }

    /** The {@link #hash()} of a chunk with this text. */
    public static String hashOf(String text) {
        return ContentHash.ofText(text).substring(0, 16);
    }

    /** An estimate of the memory this chunk holds, for byte-bounded buffers. */
    public long weight() {
        return 64L + 2L * (text.length() + path.length());
    }
}
