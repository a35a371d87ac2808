package dev.indexer.walk;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;

/**
 * Decides from the first bytes of a file whether it is text worth indexing: Tika's magic and text
 * detection (not the extension, which lies: {@code .ts} is also MPEG transport stream), a NUL
 * byte check as git does, a UTF-8 validity check, and a line-length check for minified output.
 * Thread-safe. Tika's type registry is loaded the first time a head needs it: it takes a third of
 * a second, which a rerun that reads no file, or only clean UTF-8 text, need not pay.
 */
public final class ContentSniffer {
    /** How much of each file is examined. */
    public static final int HEAD_BYTES = 8192;
    /** How much of it Tika's detection sees. */
    private static final int TIKA_BYTES = 1024;

    /** Tika's types, loaded on first use (the holder idiom: thread-safe, and free until then). */
    private static final class Tika {
        static final MimeTypes TYPES = MimeTypes.getDefaultMimeTypes();
        static final MediaTypeRegistry REGISTRY = TYPES.getMediaTypeRegistry();
    }
    private final int maxLineLength;

    /** @param maxLineLength a line longer than this in the head marks the file as minified or generated */
    public ContentSniffer(int maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

    /** The verdict on one file. */
    public sealed interface Verdict permits Text, Document, Skip {}

    /** The file looks like UTF-8 text. */
    public record Text() implements Verdict {}

    /** The file is a document whose text Tika extracts (PDF, Word, OpenDocument, RTF, EPUB...). */
    public record Document(MediaType type) implements Verdict {}

    /** The kinds of documents read for their text; their subtypes count too. */
    private static final List<MediaType> DOCUMENTS = Stream.of("pdf", "x-tika-ooxml", "x-tika-msoffice",
            "vnd.oasis.opendocument.text", "vnd.oasis.opendocument.presentation", "vnd.oasis.opendocument.spreadsheet",
            "rtf", "epub+zip").map(MediaType::application).toList();

    /** The file is left out. */
    public record Skip(SkipReason reason, String detail) implements Verdict {}

    /**
     * Judges a file's first bytes (at most {@link #HEAD_BYTES} of them); its name helps tell
     * documents inside ZIP containers (a .docx is a ZIP file by its bytes) apart.
     */
    public Verdict judge(byte[] head, String name) {
        if (startsWith(head, "{\\rtf")) {
            return new Document(MediaType.application("rtf")); // RTF is ASCII: it would pass for text
        }
        String wide = wideText(head);
        if (!wide.isEmpty()) {
            // Its NUL bytes are half of every character, not a sign of binary.
            return new Skip(SkipReason.NOT_UTF8, wide);
        }
        boolean nul = false;
        boolean control = false;
        for (byte b : head) {
            nul |= b == 0;
            // Control bytes other than tab, newlines, form feed and escape do not occur in text.
            control |= b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x1B;
        }
        int invalid = invalidUtf8Sequences(head);
        // Clean UTF-8 without control bytes is text: asking Tika too would only cost time (its
        // regular-expression magic was most of a walk's cost). Anything else, Tika names.
        if (nul || control || invalid > 0) {
            MediaType type = detect(head, name);
            if (isDocument(type)) {
                return new Document(type);
            }
            boolean unrecognised = MediaType.OCTET_STREAM.equals(type);
            if (!unrecognised && !Tika.REGISTRY.isInstanceOf(type, MediaType.TEXT_PLAIN)) {
                return new Skip(SkipReason.BINARY, "detected as " + type);
            }
            if (nul) {
                return new Skip(SkipReason.BINARY, "contains NUL bytes");
            }
            // A few bad bytes (a Latin-1 name in a comment) decode as U+FFFD; many mean another encoding.
            if (invalid > 8 && invalid * 100L > head.length) {
                return new Skip(SkipReason.NOT_UTF8,
                        invalid + " invalid UTF-8 sequences in the first " + head.length + " bytes");
            }
            if (unrecognised) {
                return new Skip(SkipReason.BINARY, "control bytes where text was expected");
            }
        }
        if (longestLine(head) > maxLineLength) {
            return new Skip(SkipReason.GENERATED, "a line of over " + maxLineLength + " characters");
        }
        return new Text();
    }

    /**
     * Whether the head is UTF-16 or UTF-32 text: by its byte order mark, or, without one, by NUL
     * bytes on every other position beside printable ones (ASCII text in UTF-16); empty if not.
     */
    static String wideText(byte[] head) {
        int b0 = head.length > 0 ? head[0] & 0xFF : -1;
        int b1 = head.length > 1 ? head[1] & 0xFF : -1;
        int b2 = head.length > 2 ? head[2] & 0xFF : -1;
        int b3 = head.length > 3 ? head[3] & 0xFF : -1;
        if (b0 == 0xFF && b1 == 0xFE && b2 == 0 && b3 == 0 || b0 == 0 && b1 == 0 && b2 == 0xFE && b3 == 0xFF) {
            return "UTF-32 text (byte order mark)";
        }
        if (b0 == 0xFF && b1 == 0xFE || b0 == 0xFE && b1 == 0xFF) {
            return "UTF-16 text (byte order mark)";
        }
        int pairs = Math.min(head.length, 1024) / 2;
        if (pairs < 8) {
            return "";
        }
        int nulEven = 0;
        int nulOdd = 0;
        int printable = 0;
        for (int i = 0; i < pairs * 2; i++) {
            int b = head[i] & 0xFF;
            if (b == 0) {
                nulEven += i % 2 == 0 ? 1 : 0;
                nulOdd += i % 2 == 0 ? 0 : 1;
            } else if (b >= 0x20 || b == '\t' || b == '\n' || b == '\r') {
                printable++;
            }
        }
        boolean littleEndian = nulOdd * 10 >= pairs * 9 && nulEven * 10 <= pairs;
        boolean bigEndian = nulEven * 10 >= pairs * 9 && nulOdd * 10 <= pairs;
        return (littleEndian || bigEndian) && printable * 10 >= pairs * 9 ? "UTF-16 text (no byte order mark)" : "";
    }

    private boolean isDocument(MediaType type) {
        return DOCUMENTS.stream().anyMatch(document -> Tika.REGISTRY.isInstanceOf(type, document));
    }

    private static boolean startsWith(byte[] head, String prefix) {
        byte[] bytes = prefix.getBytes(StandardCharsets.US_ASCII);
        return head.length >= bytes.length && Arrays.equals(head, 0, bytes.length, bytes, 0, bytes.length);
    }

    private MediaType detect(byte[] head, String name) {
        try {
            Metadata metadata = new Metadata();
            if (!name.isEmpty()) {
                metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, name);
            }
            // Binary formats announce themselves in their first bytes, and Tika's text test reads
            // 512; its regular-expression magic (HTML, XML...) costs time in proportion to what it
            // is given.
            return Tika.TYPES.detect(new ByteArrayInputStream(head, 0, Math.min(head.length, TIKA_BYTES)), metadata);
        } catch (IOException e) {
            // Detection reads only from memory; treat a failure as "unknown binary".
            return MediaType.OCTET_STREAM;
        }
    }

    static int invalidUtf8Sequences(byte[] head) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(head);
        CharBuffer out = CharBuffer.allocate(head.length + 1);
        int invalid = 0;
        while (in.hasRemaining()) {
            CoderResult result = decoder.decode(in, out, false);
            if (result.isError()) {
                invalid++;
                in.position(in.position() + result.length());
            } else {
                // Underflow at the end: a sequence cut off by the head limit is not an error.
                break;
            }
        }
        return invalid;
    }

    private static int longestLine(byte[] head) {
        int longest = 0;
        int current = 0;
        for (byte b : head) {
            if (b == '\n') {
                longest = Math.max(longest, current);
                current = 0;
            } else if ((b & 0xC0) != 0x80) {
                current++; // count characters, not UTF-8 continuation bytes
            }
        }
        return Math.max(longest, current);
    }
}
