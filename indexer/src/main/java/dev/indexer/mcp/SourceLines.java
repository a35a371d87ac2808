package dev.indexer.mcp;

import dev.indexer.config.Defaults;
import dev.indexer.redact.SecretRedactor;
import dev.indexer.text.Echo;
import dev.indexer.walk.ContentSniffer;
import dev.indexer.walk.FileWalker;
import dev.indexer.walk.SourceFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Lines of a file of the indexed tree, for a client that wants more than a hit's chunk: only files
 * the index would take (inside the root, not ignored, not a secrets file, not binary, within the
 * size cap), never more than {@link #MAX_LINES} lines at once, with secrets redacted as they are
 * in the index.
 */
final class SourceLines {
    /** The most lines one request returns. */
    public static final int MAX_LINES = 400;
    /**
     * The most characters one request returns: the lines stop before the one that would pass it
     * (a first line longer than this is cut, and says so). A file's head decides whether it is
     * minified, so lines further down may be of any length up to the size cap.
     */
    public static final int MAX_CHARS = 128 << 10;

    private final Path root;
    private final FileWalker walker;
    private final ContentSniffer sniffer = new ContentSniffer(Defaults.MAX_LINE_LENGTH);

    /**
     * @param root the tree, absolute and normalized
     * @param walker the walker index runs use: its rules decide which files may be read
     */
    public SourceLines(Path root, FileWalker walker) {
        this.root = root;
        this.walker = walker;
    }

    /**
     * Lines {@code start} to {@code end} (1-based, inclusive) of a file.
     *
     * @param start the first line, from 1
     * @param end the last line; past the file's end means up to its end
     * @param lines the lines, secrets redacted
     * @param totalLines how many lines the file has
     * @param truncated whether {@code end} was brought down to {@link #MAX_LINES} lines from {@code start},
     *     or to fewer to stay within {@link #MAX_CHARS}
     */
    public record Excerpt(String path, int start, int end, List<String> lines, int totalLines, boolean truncated) {}

    /**
     * Reads lines of the file at {@code path}, relative to the root.
     *
     * @throws IllegalArgumentException with a sentence for the client when the request cannot be met
     */
    public Excerpt read(String path, int start, int end) {
        if (start < 1) {
            throw new IllegalArgumentException("startLine must be 1 or more, was " + start);
        }
        if (end < start) {
            throw new IllegalArgumentException("endLine (" + end + ") is before startLine (" + start + ")");
        }
        String relative = inside(path);
        SourceFile file = indexable(relative).orElseThrow(() -> new IllegalArgumentException(
                "'" + Echo.of(path) + "' is not a file this index covers (missing, ignored, a secrets file, a link, or over"
                        + " the size cap)"));
        boolean truncated = (long) end - start + 1 > MAX_LINES;
        int last = truncated ? start + MAX_LINES - 1 : end;
        try {
            checkText(file);
            List<String> lines = new ArrayList<>();
            SecretRedactor redactor = new SecretRedactor(relative);
            int number = 0;
            long chars = 0;
            var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                    Files.newInputStream(file.path()), decoder))) {
                // From the top: a private key's block is recognised from its first line.
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    number++;
                    String clean = redactor.redact(line);
                    if (number >= start && number <= last) {
                        if (lines.isEmpty() && clean.length() > MAX_CHARS) {
                            clean = clean.substring(0, MAX_CHARS) + String.format(Locale.ROOT,
                                    " [indexer: %,d more characters of this line not shown]", clean.length() - MAX_CHARS);
                        } else if (!lines.isEmpty() && chars + clean.length() > MAX_CHARS) {
                            last = number - 1;
                            truncated = true;
                            continue;
                        }
                        chars += clean.length() + 1;
                        lines.add(clean);
                    }
                }
            }
            if (start > number) {
                throw new IllegalArgumentException("'" + relative + "' has " + number + " lines; startLine " + start
                        + " is past its end");
            }
            return new Excerpt(relative, start, Math.min(last, number), lines, number, truncated && last < number);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("'" + relative + "' was deleted");
        } catch (IOException e) {
            throw new IllegalArgumentException("'" + relative + "' cannot be read: " + e.getMessage());
        }
    }

    /** The path, cleaned, if it names something inside the root. */
    private String inside(String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("path is required: a file's path relative to the indexed root");
        }
        Path given = path(path);
        Path resolved = (given.isAbsolute() ? given : root.resolve(given)).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw new IllegalArgumentException("'" + Echo.of(path) + "' is outside the indexed tree (" + root + ")");
        }
        return root.relativize(resolved).toString().replace(java.io.File.separatorChar, '/');
    }

    /**
     * A client's path as this system's path ({@code \\} taken for {@code /}).
     *
     * @throws IllegalArgumentException saying why, where it cannot be a path here (a NUL character)
     */
    static Path path(String path) {
        try {
            return Path.of(path.replace('\\', '/'));
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("'" + Echo.of(path) + "' cannot be a path here (" + e.getReason()
                    + "); give a file's path relative to the indexed root, as search_code returns it");
        }
    }

    /** The file, if a walk of the tree would index it: every ignore, secret, link and size rule applies. */
    private Optional<SourceFile> indexable(String relative) {
        try (Stream<SourceFile> files = walker.stream(List.of(relative))) {
            return files.filter(f -> f.relativePath().equals(relative)).findFirst();
        }
    }

    private void checkText(SourceFile file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file.path())) {
            head = in.readNBytes(ContentSniffer.HEAD_BYTES);
        }
        ContentSniffer.Verdict verdict = sniffer.judge(head, file.path().getFileName().toString());
        if (verdict instanceof ContentSniffer.Document document) {
            throw new IllegalArgumentException("'" + file.relativePath() + "' is a document (" + document.type()
                    + "), not text; its text is in search_code's hits");
        }
        if (verdict instanceof ContentSniffer.Skip skip) {
            throw new IllegalArgumentException("'" + file.relativePath() + "' is not indexed text: "
                    + skip.reason().label() + " (" + skip.detail() + ")");
        }
    }
}
