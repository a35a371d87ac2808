package dev.indexer.chunk;

import dev.indexer.chunk.syntax.SyntaxChunker;
import dev.indexer.chunk.syntax.SyntaxLanguage;
import dev.indexer.redact.SecretKind;
import dev.indexer.redact.SecretRedactor;
import dev.indexer.walk.SkipReason;
import dev.indexer.walk.SourceFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.tika.mime.MediaType;

/**
 * Reads one file and cuts it into chunks. Source code in a language tree-sitter parses (below
 * {@link #SYNTAX_MAX_BYTES}) is cut at definitions by {@link SyntaxChunker}; everything else is cut
 * into line windows, streaming: files at or above the mapping threshold are read through mapped
 * windows, smaller ones through a small buffer, and at no time is more than one window, one block
 * of lines and one chunk of the file in memory. Reads exactly the size the
 * walker saw; a file that changes meanwhile raises {@link SkippedFileException} (the caller
 * discards the chunks it already got). Thread-safe if the token counter is.
 */
public final class FileChunker {
    private static final int BLOCK_LINES = 256;
    private static final int BLOCK_CHARS = 32 * 1024;

    /**
     * Larger source files are cut into line windows: parsing holds the file and its syntax tree
     * in memory (several times the file's size), and files this large are generated or data.
     */
    public static final long SYNTAX_MAX_BYTES = 512 * 1024;

    /** Characters of text taken from one document at most: a book is 1-2 million. */
    public static final long DOCUMENT_MAX_CHARS = 4_000_000;

    /** Tokens a syntax chunk keeps for its header (path and enclosing signatures). */
    static final int HEADER_TOKENS = 48;

    private final ChunkingOptions options;
    private final TokenCounter counter;
    private final DocumentReader documents;

    public FileChunker(ChunkingOptions options, TokenCounter counter) {
        this(options, counter, DOCUMENT_MAX_CHARS);
    }

    /** With another write limit for documents (tests). */
    FileChunker(ChunkingOptions options, TokenCounter counter, long documentMaxChars) {
        this.options = options;
        this.counter = counter;
        this.documents = new DocumentReader(options.maxLineChars(), documentMaxChars);
    }

    public ChunkingOptions options() {
        return options;
    }

    /**
     * What reading a file produced.
     *
     * @param truncated a document's text was cut at {@link #DOCUMENT_MAX_CHARS}
     * @param syntaxFallback why a source file was cut into line windows instead of at its
     *     definitions; empty if it was not
     * @param readFallback why a file was read with plain reads instead of mapped windows; empty if it was not
     * @param secrets secrets taken out of the text before chunking, by kind
     * @param symbols the file's definitions, when it was parsed; empty for line windows
     */
    public record Result(int chunks, int lines, long replacementChars, boolean truncated, String syntaxFallback,
            String readFallback, Map<SecretKind, Integer> secrets, List<Symbol> symbols) {
        Result(int chunks, int lines, long replacementChars, SecretRedactor redactor) {
            this(chunks, lines, replacementChars, false, "", "", redactor.found(), List.of());
        }

        Result withSyntaxFallback(String reason) {
            return new Result(chunks, lines, replacementChars, truncated, reason, readFallback, secrets, symbols);
        }

        Result withReadFallback(String reason) {
            return new Result(chunks, lines, replacementChars, truncated, syntaxFallback, reason, secrets, symbols);
        }

        Result withSymbols(List<Symbol> found) {
            return new Result(chunks, lines, replacementChars, truncated, syntaxFallback, readFallback, secrets, found);
        }
    }

    /**
     * Opens {@code file} and chunks it into {@code sink}, without judging its content first (the
     * pipeline reads through {@link SourceReader}, which does).
     *
     * @throws SkippedFileException (changed) if the file changed while it was read
     * @throws java.nio.file.NoSuchFileException if it vanished
     * @throws IOException if it cannot be read
     */
    public Result chunk(SourceFile file, Chunk.Sink sink) throws IOException, InterruptedException {
        try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ);
                ByteWindows windows = windows(channel, file.size())) {
            return chunk(file, windows, sink);
        } catch (InternalError e) {
            throw SkippedFileException.truncatedWhileMapped(e);
        }
    }

    /** Chunks a file whose bytes come from {@code windows}. */
    Result chunk(SourceFile file, ByteWindows windows, Chunk.Sink sink) throws IOException, InterruptedException {
        Optional<SyntaxLanguage> syntax = options.syntaxAware()
                ? SyntaxLanguage.of(Language.of(file.relativePath())) : Optional.empty();
        Result result;
        if (syntax.isEmpty()) {
            result = chunkLines(file, windows, sink);
        } else if (file.size() > SYNTAX_MAX_BYTES) {
            result = chunkLines(file, windows, sink).withSyntaxFallback("larger than " + SYNTAX_MAX_BYTES / 1024 + " KB");
        } else {
            result = chunkSyntax(file, syntax.get(), windows, sink);
        }
        checkUnchanged(file);
        return windows.fallback().isEmpty() ? result : result.withReadFallback(windows.fallback());
    }

    /** A line chunker for the file, with its path as the header of every chunk if the options say so. */
    private LineChunker lineChunker(SourceFile file, Chunk.Sink sink) {
        String header = options.pathHeaders() ? file.relativePath() : "";
        int headerTokens = header.isEmpty() ? 0 : counter.countLines(List.of(header))[0];
        return new LineChunker(file.relativePath(), options, counter, sink, header, headerTokens);
    }

    /**
     * Chunks a document's extracted text (PDF, Word...) into line windows; lines are those of the
     * extracted text, not of the file.
     *
     * @param type what the sniffer detected it as
     * @throws SkippedFileException (a document reason) if the document is encrypted or cannot be parsed
     */
    public Result chunkDocument(SourceFile file, MediaType type, Chunk.Sink sink)
            throws IOException, InterruptedException {
        LineChunker chunker = lineChunker(file, sink);
        SecretRedactor redactor = new SecretRedactor(file.relativePath());
        DocumentReader.Extracted extracted = documents.read(file, type, chunker, redactor);
        checkUnchanged(file);
        return new Result(chunker.finish(), extracted.lines(), 0, extracted.truncated(), "", "", redactor.found(),
                List.of());
    }

    /** Lines and characters of a document's extracted text, without chunking it. */
    public long[] countDocument(SourceFile file, MediaType type) throws IOException, InterruptedException {
        return documents.count(file, type);
    }

    /** Line windows, streaming: one window, one block of lines and one chunk in memory. */
    private Result chunkLines(SourceFile file, ByteWindows windows, Chunk.Sink sink)
            throws IOException, InterruptedException {
        LineChunker chunker = lineChunker(file, sink);
        SecretRedactor redactor = new SecretRedactor(file.relativePath());
        int lines = 0;
        LineReader reader = new LineReader(windows, file.size(), options.maxLineChars());
        List<Line> block = new ArrayList<>(BLOCK_LINES);
        int blockChars = 0;
        for (Line line = redacted(reader.next(), redactor); line != null; line = redacted(reader.next(), redactor)) {
            block.add(line);
            blockChars += line.text().length();
            lines = line.number();
            if (block.size() >= BLOCK_LINES || blockChars >= BLOCK_CHARS) {
                chunker.add(block);
                block.clear();
                blockChars = 0;
            }
        }
        if (!block.isEmpty()) {
            chunker.add(block);
        }
        return new Result(chunker.finish(), lines, reader.replacements(), redactor);
    }

    /** The line with its secrets taken out; null at the end of the file. */
    private static Line redacted(Line line, SecretRedactor redactor) {
        if (line == null) {
            return null;
        }
        String text = redactor.redact(line.text());
        return text == line.text() ? line : new Line(line.number(), text);
    }

    /**
     * Syntax-aware chunks: the file (below {@link #SYNTAX_MAX_BYTES}) is read whole and parsed; if
     * the parse is unusable, the lines already read are cut into line windows instead.
     */
    private Result chunkSyntax(SourceFile file, SyntaxLanguage syntax, ByteWindows windows, Chunk.Sink sink)
            throws IOException, InterruptedException {
        String path = file.relativePath();
        List<String> texts = new ArrayList<>();
        List<Line> all = new ArrayList<>();
        boolean fragments = false;
        SecretRedactor redactor = new SecretRedactor(path);
        LineReader reader = new LineReader(windows, file.size(), options.maxLineChars());
        for (Line line = redacted(reader.next(), redactor); line != null; line = redacted(reader.next(), redactor)) {
            fragments |= line.number() != all.size() + 1; // an over-long line came in pieces
            all.add(line);
            texts.add(line.text());
        }
        long replacements = reader.replacements();
        int[] tokens = new int[texts.size()];
        for (int from = 0; from < texts.size(); from += BLOCK_LINES) {
            int to = Math.min(texts.size(), from + BLOCK_LINES);
            System.arraycopy(counter.countLines(texts.subList(from, to)), 0, tokens, from, to - from);
        }
        // Chunks are cut by what the model reads: a documented method whose Javadoc markup would
        // have pushed it over the budget stays one chunk, its documentation with its code (on 201
        // method-level queries of java/time, java/util and java/io, span R@10 0.721 against 0.637
        // when cut by the lines as written; docs/benchmarks.md, twentieth round).
        tokens = readTokens(Language.of(path), texts, tokens);
        int headerBudget = Math.min(HEADER_TOKENS, options.maxTokens() / 4);
        SyntaxChunker.Plan plan = fragments
                ? new SyntaxChunker.Unusable("a line of over " + options.maxLineChars() + " characters")
                : SyntaxChunker.plan(syntax, texts, tokens, options.maxTokens() - headerBudget,
                        options.maxLineTokens() - headerBudget, options.shape().splitDefinitions(),
                        options.shape().packTokens());
        int lines = all.isEmpty() ? 0 : all.get(all.size() - 1).number();
        if (plan instanceof SyntaxChunker.Unusable unusable) {
            LineChunker chunker = lineChunker(file, sink);
            for (int from = 0; from < all.size(); from += BLOCK_LINES) {
                chunker.add(all.subList(from, Math.min(all.size(), from + BLOCK_LINES)));
            }
            return new Result(chunker.finish(), lines, replacements, redactor).withSyntaxFallback(unusable.reason())
                    .withSymbols(unusable.symbols());
        }
        String language = Language.of(path);
        int notice = noticeEnd(texts);
        List<SyntaxChunker.Piece> pieces = atMostLines(texts,
                apartFromNotice(((SyntaxChunker.Planned) plan).pieces(), notice, tokens), tokens, options.maxLines());
        // A license notice is the same text in every file of a project: without the path it is
        // the same embedded text too, which the vector cache embeds once for all of them.
        List<String> headers = pieces.stream().map(piece -> piece.lastLine() <= notice ? ""
                : switch (options.shape().header()) {
                    case SIGNATURES -> header(path, piece.context());
                    case PATH -> path;
                    case NONE -> "";
                }).toList();
        int[] headerTokens = headers.isEmpty() || options.shape().header() == ChunkingOptions.HeaderStyle.NONE
                ? new int[headers.size()] : counter.countLines(headers);
        int ordinal = 0;
        for (int i = 0; i < pieces.size(); i++) {
            SyntaxChunker.Piece piece = pieces.get(i);
            String header = headers.get(i);
            int used = headerTokens[i];
            if (used > headerBudget) {
                header = fitHeader(path, options.shape().header() == ChunkingOptions.HeaderStyle.SIGNATURES
                        ? piece.context() : List.of(), headerBudget);
                used = counter.countLines(List.of(header))[0];
            }
            String text = String.join("\n", texts.subList(piece.firstLine() - 1, piece.lastLine()));
            sink.accept(new Chunk(path, ordinal++, piece.firstLine(), piece.lastLine(), language, text,
                    piece.tokens() + used, new Chunk.Context(header, piece.symbol(), piece.kind(),
                    piece.container())));
        }
        return new Result(ordinal, lines, replacements, redactor).withSymbols(((SyntaxChunker.Planned) plan).symbols());
    }

    /**
     * Each line's tokens as the model reads it ({@link CommentMarkup}): {@code tokens} where the
     * line reads as written, counted again (or known without counting) where its comment's markup
     * goes. Chunks are cut by these counts, and their token counts, which plan the model's calls,
     * are what the model reads.
     */
    private int[] readTokens(String language, List<String> texts, int[] tokens) {
        if (!CommentMarkup.appliesTo(language)) {
            return tokens;
        }
        int[] read = tokens.clone();
        List<Integer> changed = new ArrayList<>();
        List<String> plain = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String line = CommentMarkup.line(texts.get(i));
            if (line.equals(texts.get(i))) {
                continue;
            }
            int known = CommentMarkup.markupTokens(texts.get(i), line);
            if (known >= 0) {
                // Most of a Javadoc is lines whose only markup is the leading "*" (70% of the
                // changed lines of java/util, java/time and java.desktop): counting every changed
                // line again made the JDK's words phase 167 s against 149 (one run each).
                read[i] = Math.max(0, tokens[i] - known);
            } else {
                changed.add(i);
                plain.add(line);
            }
        }
        for (int from = 0; from < plain.size(); from += BLOCK_LINES) {
            int to = Math.min(plain.size(), from + BLOCK_LINES);
            int[] counted = counter.countLines(plain.subList(from, to));
            for (int j = from; j < to; j++) {
                read[changed.get(j)] = counted[j - from];
            }
        }
        return read;
    }

    /**
     * The pieces with the license notice (lines 1 to {@code notice}) in pieces of its own: the
     * planner packs a short notice with the package line after it, which would make it a text of
     * its own in every file.
     */
    private static List<SyntaxChunker.Piece> apartFromNotice(List<SyntaxChunker.Piece> pieces, int notice,
            int[] tokens) {
        List<SyntaxChunker.Piece> apart = new ArrayList<>(pieces.size() + 1);
        for (SyntaxChunker.Piece piece : pieces) {
            if (piece.firstLine() <= notice && piece.lastLine() > notice) {
                int noticeTokens = Arrays.stream(tokens, piece.firstLine() - 1, notice).sum();
                apart.add(new SyntaxChunker.Piece(piece.firstLine(), notice, noticeTokens, "", "", "", List.of()));
                apart.add(new SyntaxChunker.Piece(notice + 1, piece.lastLine(), piece.tokens() - noticeTokens,
                        piece.symbol(), piece.kind(), piece.container(), piece.context()));
            } else {
                apart.add(piece);
            }
        }
        return apart;
    }

    /**
     * The pieces with none over {@code maxLines} lines ({@link ChunkingOptions#maxLines}): a longer
     * one is cut into runs of that many, runs of blank lines dropped.
     */
    private static List<SyntaxChunker.Piece> atMostLines(List<String> texts, List<SyntaxChunker.Piece> pieces,
            int[] tokens, int maxLines) {
        if (pieces.stream().allMatch(piece -> piece.lastLine() - piece.firstLine() < maxLines)) {
            return pieces;
        }
        List<SyntaxChunker.Piece> cut = new ArrayList<>(pieces.size() + 1);
        for (SyntaxChunker.Piece piece : pieces) {
            for (int first = piece.firstLine(); first <= piece.lastLine(); first += maxLines) {
                int last = Math.min(piece.lastLine(), first + maxLines - 1);
                if (texts.subList(first - 1, last).stream().allMatch(String::isBlank)) {
                    continue;
                }
                cut.add(new SyntaxChunker.Piece(first, last, Arrays.stream(tokens, first - 1, last).sum(),
                        piece.symbol(), piece.kind(), piece.container(), piece.context()));
            }
        }
        return cut;
    }

    /**
     * The last line of a file's license notice: the comment lines (and blank lines) the file opens
     * with, when they name a copyright or a license; 0 when the file opens otherwise.
     */
    static int noticeEnd(List<String> lines) {
        int end = 0;
        boolean notice = false;
        for (String line : lines) {
            String text = line.strip();
            // '#' opens a comment when a space or '!' follows it, not a directive (#include, #define).
            if (!(text.isEmpty() || text.startsWith("/*") || text.startsWith("*") || text.startsWith("//")
                    || text.equals("#") || text.startsWith("# ") || text.startsWith("#!") || text.startsWith("--"))) {
                break;
            }
            String lower = text.toLowerCase(Locale.ROOT);
            notice |= lower.contains("copyright") || lower.contains("license") || lower.contains("licence");
            end++;
        }
        return notice ? end : 0;
    }

    /** The path, and the signatures around the chunk (outermost first): what the chunk is part of. */
    static String header(String path, List<String> context) {
        return context.isEmpty() ? path : path + "\n" + String.join(" > ", context);
    }

    /**
     * A header cut down to its budget: inner signatures matter most, so outer ones go first, and
     * the innermost alone is shortened from its end (its name and first parameters stay) rather
     * than dropped.
     */
    private String fitHeader(String path, List<String> context, int budget) {
        List<String> kept = new ArrayList<>(context);
        while (kept.size() > 1) {
            kept.remove(0);
            String header = header(path, kept);
            if (counter.countLines(List.of(header))[0] <= budget) {
                return header;
            }
        }
        if (!kept.isEmpty()) {
            String signature = kept.get(0);
            int fits = 0;
            for (int low = 1, high = signature.length() - 1; low <= high; ) {
                int mid = (low + high) >>> 1;
                if (counter.countLines(List.of(path + "\n" + signature.substring(0, mid) + "..."))[0] <= budget) {
                    fits = mid;
                    low = mid + 1;
                } else {
                    high = mid - 1;
                }
            }
            if (fits >= 8) {
                return path + "\n" + signature.substring(0, fits).strip() + "...";
            }
        }
        String header = path;
        while (header.length() > 8 && counter.countLines(List.of(header))[0] > budget) {
            header = header.substring(header.length() / 2); // keep the file name end of a long path
        }
        return header;
    }

    /** Mapped windows for large files, a small reused buffer for the rest. */
    ByteWindows windows(FileChannel channel, long size) {
        return size >= options.mmapThreshold() ? new MappedWindows(channel, size, options.mmapWindow())
                : new PlainWindows(channel, size, options.readBuffer());
    }

    private static void checkUnchanged(SourceFile file) throws IOException {
        BasicFileAttributes now = Files.readAttributes(file.path(), BasicFileAttributes.class);
        if (now.size() != file.size() || now.lastModifiedTime().toMillis() != file.modifiedMillis()) {
            throw new SkippedFileException(SkipReason.CHANGED, "size or modification time changed while reading ("
                    + file.size() + " -> " + now.size() + " bytes)");
        }
    }
}
