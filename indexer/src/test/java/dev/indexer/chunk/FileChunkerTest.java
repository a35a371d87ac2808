package dev.indexer.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.TestModels;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.walk.SkipReason;
import dev.indexer.walk.SourceFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileChunkerTest {
    private static OnnxEmbedder embedder;
    private static TokenCounter counter;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadTokenizer() {
        embedder = TestModels.open(ModelSpec.BGE_SMALL);
        counter = embedder.tokenCounter();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    // These tests are about reading and line windows; SyntaxChunkingTest covers code-aware chunks.
    private static final ChunkingOptions DEFAULTS = ChunkingOptions.forModel(256, 2).withBareLineWindows();
    private static final ChunkingOptions PLAIN = DEFAULTS.withMmap(Long.MAX_VALUE, 4096);
    private static final ChunkingOptions PLAIN_SMALL_BUFFER = PLAIN.withReadBuffer(4096);
    private static final ChunkingOptions MAPPED_SMALL_WINDOWS = DEFAULTS.withMmap(0, 4096);

    private SourceFile file(String name, byte[] content) throws IOException {
        Path path = dir.resolve(name);
        Files.write(path, content);
        return sourceFile(path, name);
    }

    private static SourceFile sourceFile(Path path, String name) throws IOException {
        return new SourceFile(path, name, Files.size(path), Files.getLastModifiedTime(path).toMillis());
    }

    private static List<Chunk> chunk(ChunkingOptions options, SourceFile file) throws Exception {
        List<Chunk> chunks = new ArrayList<>();
        new FileChunker(options, counter).chunk(file, chunks::add);
        return chunks;
    }

    /** About 300 KB of code-like text with multi-byte characters placed to straddle window ends. */
    private static String mixedText() {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 6000; i++) {
            switch (i % 5) {
                case 0 -> text.append("    // café ünïcödé naïve — line ").append(i).append('\n');
                case 1 -> text.append("    int value").append(i).append(" = compute(").append(i).append(");\r\n");
                case 2 -> text.append("    String s = \"日本語のテキスト ").append(i).append(" 😀\";\n");
                case 3 -> text.append('\n');
                default -> text.append("    if (value > limit) { return Math.max(value, ").append(i).append("); }\n");
            }
        }
        return text.toString();
    }

    @Test
    void mappedAndPlainReadsGiveTheSameChunks() throws Exception {
        SourceFile source = file("Mixed.java", mixedText().getBytes(StandardCharsets.UTF_8));
        assertTrue(source.size() > 50 * 4096, "the file must span many windows");
        List<Chunk> plain = chunk(PLAIN, source);
        assertTrue(plain.size() > 50, "expected many chunks, got " + plain.size());
        assertEquals(plain, chunk(PLAIN_SMALL_BUFFER, source));
        assertEquals(plain, chunk(MAPPED_SMALL_WINDOWS, source));
        assertEquals(plain, chunk(DEFAULTS.withMmap(0, 1 << 20), source));
    }

    @Test
    void lineNumbersAreExactAndChunksOverlapButAdvance() throws Exception {
        String text = mixedText();
        SourceFile source = file("Lines.java", text.getBytes(StandardCharsets.UTF_8));
        List<String> lines = text.lines().map(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l).toList();
        List<Chunk> chunks = chunk(MAPPED_SMALL_WINDOWS, source);
        Chunk previous = null;
        for (Chunk chunk : chunks) {
            List<String> expected = lines.subList(chunk.startLine() - 1, chunk.endLine());
            assertEquals(String.join("\n", expected), chunk.text(), "chunk " + chunk.ordinal());
            if (previous != null) {
                assertTrue(chunk.startLine() > previous.startLine(), "chunks advance");
                assertTrue(chunk.startLine() <= previous.endLine() + 1, "no line is left out");
                assertEquals(previous.ordinal() + 1, chunk.ordinal());
            }
            previous = chunk;
        }
        assertEquals(lines.size(), chunks.get(chunks.size() - 1).endLine());
        long overlapping = 0;
        for (int i = 1; i < chunks.size(); i++) {
            if (chunks.get(i).startLine() <= chunks.get(i - 1).endLine()) {
                overlapping++;
            }
        }
        assertTrue(overlapping > chunks.size() / 2, "most chunks start with the previous one's last lines");
    }

    @Test
    void everyChunkFitsTheModelsTokenBudget() throws Exception {
        SourceFile source = file("Budget.java", mixedText().getBytes(StandardCharsets.UTF_8));
        for (Chunk chunk : chunk(PLAIN, source)) {
            int measured = counter.countLines(List.of(chunk.text()))[0];
            assertEquals(measured, chunk.tokens(), "recorded token count of chunk " + chunk.ordinal());
            assertTrue(measured <= DEFAULTS.maxTokens(), measured + " tokens in chunk " + chunk.ordinal());
        }
    }

    @Test
    void aRunOfBlankLinesCannotMakeOneWindowOfAWholeFile() throws Exception {
        // Blank lines cost the model nothing: without a cap on lines this was one chunk (and one
        // window in memory) of 200,003 lines; a 5 MB file of them took 539 MB against 238.
        String text = "start of the ledger\n" + "\n".repeat(100_000) + "middle of the ledger\n"
                + "\n".repeat(100_000) + "end of the ledger\n";
        for (ChunkingOptions options : List.of(PLAIN, MAPPED_SMALL_WINDOWS)) {
            List<Chunk> chunks = chunk(options, file("blank.txt", text.getBytes(StandardCharsets.UTF_8)));
            for (Chunk chunk : chunks) {
                assertTrue(chunk.endLine() - chunk.startLine() + 1 <= options.maxLines(),
                        "at most four lines a token of the budget: " + chunk.startLine() + "-" + chunk.endLine());
                assertFalse(chunk.text().isBlank(), "no chunk of blank lines alone");
            }
            java.util.Map<Integer, String> found = new java.util.TreeMap<>();
            for (Chunk chunk : chunks) {
                String[] lines = chunk.text().split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    if (!lines[i].isBlank()) {
                        found.put(chunk.startLine() + i, lines[i]);
                    }
                }
            }
            assertEquals(java.util.Map.of(1, "start of the ledger", 100_002, "middle of the ledger", 200_003,
                    "end of the ledger"), found, "each line of text in a chunk, at its line");
            assertTrue(chunks.size() <= 6, "windows of blank lines alone are dropped: " + chunks.size());
        }
    }

    @Test
    void aLineLongerThanTheBudgetIsCutIntoPieces() throws Exception {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            line.append("word").append(i).append(' ');
        }
        String text = "first line\n" + line + "\nlast line\n";
        List<Chunk> chunks = chunk(PLAIN, file("long.txt", text.getBytes(StandardCharsets.UTF_8)));
        assertTrue(chunks.size() > 10, "got " + chunks.size());
        for (Chunk chunk : chunks) {
            assertTrue(chunk.tokens() <= DEFAULTS.maxTokens());
        }
        assertTrue(chunks.get(0).text().startsWith("first line\nword0 "));
        assertTrue(chunks.get(chunks.size() - 1).text().endsWith("word2999 \nlast line"));
        assertEquals(3, chunks.get(chunks.size() - 1).endLine());
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() throws Exception {
        byte[] bad = {'o', 'k', ' ', (byte) 0xFF, (byte) 0xFE, ' ', 'e', 'n', 'd', '\n', (byte) 0xC3, '\n'};
        List<Chunk> chunks = new ArrayList<>();
        FileChunker.Result result = new FileChunker(PLAIN, counter).chunk(file("bad.txt", bad), chunks::add);
        assertEquals(1, chunks.size());
        assertEquals("ok \uFFFD\uFFFD end\n\uFFFD", chunks.get(0).text());
        assertEquals(3, result.replacementChars());
        assertEquals(2, result.lines());
    }

    @Test
    void byteOrderMarkAndCarriageReturnsAreDropped() throws Exception {
        byte[] content = "\uFEFFfirst\r\nsecond\r\n".getBytes(StandardCharsets.UTF_8);
        List<Chunk> chunks = chunk(MAPPED_SMALL_WINDOWS, file("bom.txt", content));
        assertEquals(List.of(new Chunk("bom.txt", 0, 1, 2, "text", "first\nsecond", chunks.get(0).tokens())), chunks);
    }

    @Test
    void emptyAndBlankFilesGiveNoChunks() throws Exception {
        assertEquals(List.of(), chunk(PLAIN, file("empty.txt", new byte[0])));
        assertEquals(List.of(), chunk(PLAIN, file("blank.txt", "\n\n   \n\t\n".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aFileTruncatedAfterMappingIsReportedAsChanged() throws Exception {
        SourceFile source = file("Shrinks.java", mixedText().getBytes(StandardCharsets.UTF_8));
        List<Chunk> seen = new ArrayList<>();
        FileChunker chunker = new FileChunker(MAPPED_SMALL_WINDOWS, counter);
        SkippedFileException e = assertThrows(SkippedFileException.class, () -> chunker.chunk(source, chunk -> {
            if (seen.isEmpty()) {
                truncate(source.path(), 100);
            }
            seen.add(chunk);
        }));
        assertEquals(SkipReason.CHANGED, e.reason());
        assertTrue(e.getMessage().contains("shrank") || e.getMessage().contains("truncated"), e.getMessage());
        assertFalse(seen.isEmpty(), "the truncation happened part-way through");
    }

    @Test
    void aFileTruncatedInsideTheCurrentMappedWindowIsReportedNotCrashed() throws Exception {
        // One window covers the whole file, so the reader touches mapped pages past the new end:
        // the JVM turns that SIGBUS into an InternalError, which must become a skip reason.
        SourceFile source = file("Sigbus.java", mixedText().getBytes(StandardCharsets.UTF_8));
        FileChunker chunker = new FileChunker(DEFAULTS.withMmap(0, 1 << 20), counter);
        List<Chunk> seen = new ArrayList<>();
        SkippedFileException e = assertThrows(SkippedFileException.class, () -> chunker.chunk(source, chunk -> {
            if (seen.isEmpty()) {
                truncate(source.path(), 0);
            }
            seen.add(chunk);
        }));
        assertEquals(SkipReason.CHANGED, e.reason());
        assertTrue(e.getMessage().contains("truncated while mapped"), e.getMessage());
    }

    @Test
    void aFileTruncatedBeforeReadingIsReportedAsChangedByBothStrategies() throws Exception {
        SourceFile source = file("Gone.java", mixedText().getBytes(StandardCharsets.UTF_8));
        truncate(source.path(), 10);
        assertEquals(SkipReason.CHANGED, assertThrows(SkippedFileException.class,
                () -> chunk(MAPPED_SMALL_WINDOWS, source)).reason());
        assertEquals(SkipReason.CHANGED, assertThrows(SkippedFileException.class, () -> chunk(PLAIN, source)).reason());
    }

    @Test
    void aFileRewrittenWhileReadIsReportedAsChanged() throws Exception {
        SourceFile source = file("Rewritten.java", mixedText().getBytes(StandardCharsets.UTF_8));
        SkippedFileException e = assertThrows(SkippedFileException.class, () -> chunk(PLAIN, new SourceFile(
                source.path(), source.relativePath(), source.size(), source.modifiedMillis() - 5000)));
        assertEquals(SkipReason.CHANGED, e.reason());
        assertTrue(e.getMessage().contains("modification time"), e.getMessage());
        Files.setLastModifiedTime(source.path(), FileTime.fromMillis(source.modifiedMillis()));
        assertFalse(chunk(PLAIN, source).isEmpty());
    }

    private static void truncate(Path path, long size) {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(size);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
