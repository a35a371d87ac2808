package dev.indexer.navigate;

import dev.indexer.navigate.Navigation.Reference;
import dev.indexer.redact.SecretRedactor;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds the lines of a file where a name occurs as a whole identifier, as rg does: in the file's
 * bytes (lines end at '\n'), decoding only the lines that hold it and the characters around each
 * occurrence. Decoding every file whole made a complete answer for a common name ten times slower.
 */
final class LineScan {
    /** Files up to this size are read whole; larger ones (a --max-file-size above it) are decoded as they stream. */
    private static final long MAX_READ_BYTES = 32L << 20;
    /** A reference line is shown up to this many characters. */
    private static final int MAX_LINE_CHARS = 300;
    private static final byte[] KEY_MARKER = SecretRedactor.KEY_MARKER.getBytes(StandardCharsets.US_ASCII);

    private LineScan() {}

    /**
     * Adds the lines of {@code file} after {@code startAfter} that hold {@code name}, up to {@code
     * room}; returns whether the page filled before the file's end (then {@code last[0]} is the
     * last line taken). A file that is gone holds no references.
     */
    static boolean scan(Path file, String path, String name, int startAfter, int room, List<Reference> found,
            int[] last) {
        byte[] data;
        try {
            if (Files.size(file) > MAX_READ_BYTES) {
                return scanChars(file, path, name, startAfter, room, found, last);
            }
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            return false;
        }
        if (new SecretRedactor(path).valuesSpanLines() || indexOf(data, KEY_MARKER, 0) >= 0) {
            // A secret over several lines (a key's body, a YAML block) is redacted only by a pass over
            // every line in order; elsewhere each line is redacted alone.
            return scanChars(file, path, name, startAfter, room, found, last);
        }
        byte[] needle = name.getBytes(StandardCharsets.UTF_8);
        int line = 1;
        int counted = 0;
        int lastLine = -1;
        for (int at = indexOf(data, needle, 0); at >= 0; at = indexOf(data, needle, at + 1)) {
            for (int i = counted; i < at; i++) {
                if (data[i] == '\n') {
                    line++;
                }
            }
            counted = at;
            if (line <= startAfter || line == lastLine || !wholeWord(data, at, at + needle.length)) {
                continue;
            }
            if (found.size() == room) {
                return true;
            }
            int start = at;
            while (start > 0 && data[start - 1] != '\n') {
                start--;
            }
            int end = at;
            while (end < data.length && data[end] != '\n') {
                end++;
            }
            // Secrets are shown as the index keeps them: out. A name that was only inside one is no reference.
            String original = new String(data, start, end - start, StandardCharsets.UTF_8);
            String text = new SecretRedactor(path).redact(original);
            if (text != original && !hasWord(text, name)) { // the same string when it held no secret
                continue;
            }
            found.add(new Reference(line, shorten(text), Optional.empty()));
            last[0] = line;
            lastLine = line;
        }
        return false;
    }

    private static int indexOf(byte[] data, byte[] needle, int from) {
        byte first = needle[0];
        int max = data.length - needle.length;
        outer:
        for (int i = from; i <= max; i++) {
            if (data[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * Whether nothing that ends a whole-word match touches bytes {@code [from, to)}: the code
     * points before and after are decoded, a malformed sequence to U+FFFD (see {@link
     * WordChars#blocks}).
     */
    private static boolean wholeWord(byte[] data, int from, int to) {
        if (from > 0) {
            int start = from - 1;
            while (start > 0 && from - start < 4 && (data[start] & 0xC0) == 0x80) {
                start--;
            }
            String before = new String(data, start, from - start, StandardCharsets.UTF_8);
            if (WordChars.blocks(before.codePointBefore(before.length())) && !replacementCharAt(data, from - 3)) {
                return false;
            }
        }
        if (to < data.length) {
            int end = to + 1;
            while (end < data.length && end - to < 4 && (data[end] & 0xC0) == 0x80) {
                end++;
            }
            return !WordChars.blocks(data[to] >= 0 ? data[to]
                    : new String(data, to, end - to, StandardCharsets.UTF_8).codePointAt(0)) || replacementCharAt(data, to);
        }
        return true;
    }

    private static boolean hasWord(String line, String name) {
        return line.contains(name) && !WordChars.occurrences(line, name).isEmpty();
    }

    /** Whether a real U+FFFD is written at {@code at} (its UTF-8 bytes), not bytes that decode to it. */
    private static boolean replacementCharAt(byte[] data, int at) {
        return at >= 0 && at + 2 < data.length && data[at] == (byte) 0xEF && data[at + 1] == (byte) 0xBF
                && data[at + 2] == (byte) 0xBD;
    }

    static String shorten(String line) {
        String s = line.strip(); // a '\r' before the '\n' included
        return s.length() > MAX_LINE_CHARS ? s.substring(0, MAX_LINE_CHARS - 3) + "..." : s;
    }

    /**
     * {@link #scan}, decoding the whole file: for files too large to hold.
     */
    private static boolean scanChars(Path file, String path, String name, int startAfter, int room,
            List<Reference> found, int[] last) {
        SecretRedactor redactor = new SecretRedactor(path);
        try (Reader in = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE))) {
            StringBuilder line = new StringBuilder(256);
            int number = 0;
            char[] buffer = new char[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != '\n') {
                        line.append(buffer[i]);
                        continue;
                    }
                    number++;
                    if (take(redactor.redact(line.toString()), number, name, startAfter, room, found, last)) {
                        return true;
                    }
                    line.setLength(0);
                }
            }
            return line.length() > 0 && take(redactor.redact(line.toString()), number + 1, name, startAfter, room, found,
                    last);
        } catch (IOException e) {
            return false; // deleted since it was indexed: it holds no references now
        }
    }

    /**
     * Adds the line if it holds the name and comes after {@code startAfter}; returns whether the
     * page was full already (the line is then the next page's first). Lines end at '\n' only, as
     * rg counts them.
     */
    private static boolean take(String line, int number, String name, int startAfter, int room,
            List<Reference> found, int[] last) {
        if (number <= startAfter || !hasWord(line, name)) {
            return false;
        }
        if (found.size() == room) {
            return true;
        }
        found.add(new Reference(number, shorten(line), Optional.empty()));
        last[0] = number;
        return false;
    }

}
