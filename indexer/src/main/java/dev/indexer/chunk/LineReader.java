package dev.indexer.chunk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 (invalid bytes become U+FFFD) from byte windows into lines. A multi-byte
 * character cut by a window's end is re-read at the start of the next window, so windows may end
 * anywhere. Holds one window, a small char buffer and the current line, which is itself cut into
 * fragments at {@code maxLineChars}. The windows belong to the caller, who closes them.
 */
final class LineReader {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final ByteWindows source;
    private final long size;
    private final int maxLineChars;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final CharBuffer chars = CharBuffer.allocate(16 * 1024).flip();
    private final StringBuilder line = new StringBuilder();

    private long windowStart;
    private ByteBuffer window;
    private boolean flushed;
    private boolean atStart = true;
    private int lineNumber = 1;
    private long replacements;

    LineReader(ByteWindows source, long size, int maxLineChars) {
        this.source = source;
        this.size = size;
        this.maxLineChars = maxLineChars;
    }

    /** The next line, or {@code null} at the end of the file. */
    Line next() throws IOException {
        while (true) {
            while (chars.hasRemaining()) {
                char c = chars.get();
                if (atStart) {
                    atStart = false;
                    if (c == '\uFEFF') {
                        continue; // byte order mark
                    }
                }
                if (c == '\n') {
                    return take(true);
                }
                if (c == '\uFFFD') {
                    replacements++;
                }
                line.append(c);
                if (line.length() >= maxLineChars && !Character.isHighSurrogate(c)) {
                    return take(false);
                }
            }
            if (!refill()) {
                return line.length() > 0 ? take(true) : null;
            }
        }
    }

    /** How many U+FFFD replacement characters the file produced so far. */
    long replacements() {
        return replacements;
    }

    private Line take(boolean endOfLine) {
        int end = line.length();
        if (endOfLine && end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        Line result = new Line(lineNumber, line.substring(0, end));
        line.setLength(0);
        if (endOfLine) {
            lineNumber++;
        }
        return result;
    }

    private boolean refill() throws IOException {
        chars.clear();
        while (chars.position() == 0) {
            if (window == null) {
                if (windowStart >= size) {
                    if (flushed) {
                        break;
                    }
                    decoder.decode(EMPTY, chars, true);
                    decoder.flush(chars);
                    flushed = true;
                    continue;
                }
                window = source.window(windowStart);
            }
            boolean last = windowStart + window.limit() >= size;
            CoderResult result = decode(last);
            if (result.isUnderflow()) {
                // Bytes left over are the start of a character cut by the window's end.
                windowStart += window.position();
                window = null;
            }
        }
        chars.flip();
        return chars.hasRemaining();
    }

    private CoderResult decode(boolean endOfInput) throws SkippedFileException {
        try {
            return decoder.decode(window, chars, endOfInput);
        } catch (InternalError e) {
            throw SkippedFileException.truncatedWhileMapped(e);
        }
    }
}
