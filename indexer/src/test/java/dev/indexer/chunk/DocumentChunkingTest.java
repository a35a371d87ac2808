package dev.indexer.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.TestModels;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.walk.ContentSniffer;
import dev.indexer.walk.SkipReason;
import dev.indexer.walk.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Documents through Tika: detection, streaming extraction into chunks, and the files that cannot be read. */
class DocumentChunkingTest {
    private static OnnxEmbedder embedder;
    private static FileChunker chunker;
    private final ContentSniffer sniffer = new ContentSniffer(4000);

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        embedder = TestModels.open(ModelSpec.BGE_SMALL);
        chunker = new FileChunker(ChunkingOptions.forModel(256, 2), embedder.tokenCounter());
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    private static SourceFile source(Path path) throws IOException {
        return new SourceFile(path, path.getFileName().toString(), Files.size(path),
                Files.getLastModifiedTime(path).toMillis());
    }

    /** What the sniffer detects the document as, which the pipeline hands to the chunker. */
    private org.apache.tika.mime.MediaType type(Path path) throws IOException {
        return ((ContentSniffer.Document) verdict(path)).type();
    }

    private ContentSniffer.Verdict verdict(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        return sniffer.judge(java.util.Arrays.copyOf(bytes, Math.min(bytes.length, ContentSniffer.HEAD_BYTES)),
                path.getFileName().toString());
    }

    private List<Chunk> chunks(Path path) throws Exception {
        List<Chunk> chunks = new ArrayList<>();
        chunker.chunkDocument(source(path), type(path), chunks::add);
        return chunks;
    }

    private static String all(List<Chunk> chunks) {
        return chunks.stream().map(Chunk::text).collect(Collectors.joining("\n"));
    }

    @Test
    void aGeneratedPdfIsDetectedAndItsTextChunkedInOrder() throws Exception {
        Path pdf = dir.resolve("handbook.pdf");
        List<List<String>> pages = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            List<String> lines = new ArrayList<>();
            for (int l = 0; l < 40; l++) {
                lines.add("Page " + p + " line " + l + ": rotate the signing keys before the quarterly audit.");
            }
            pages.add(lines);
        }
        pages.get(3).set(7, "The incident runbook lives in the operations wiki under Escalation.");
        Documents.pdf(pdf, pages, null);

        assertInstanceOf(ContentSniffer.Document.class, verdict(pdf));
        List<Chunk> chunks = chunks(pdf);
        assertTrue(chunks.size() >= 5, "240 lines of text make several chunks: " + chunks.size());
        String text = all(chunks);
        assertTrue(text.contains("The incident runbook lives in the operations wiki under Escalation."), text);
        assertTrue(text.indexOf("Page 0 line 0") < text.indexOf("Page 5 line 39"), "extracted in reading order");
        for (Chunk chunk : chunks) {
            assertEquals("pdf", chunk.language());
            assertEquals("handbook.pdf", chunk.context().header());
            assertTrue(chunk.tokens() <= 254);
            assertFalse(chunk.text().contains("%PDF"), "text, not the file's bytes");
        }
        for (int i = 1; i < chunks.size(); i++) {
            assertTrue(chunks.get(i).startLine() > chunks.get(i - 1).startLine());
        }
    }

    @Test
    void aGeneratedDocxIsDetectedAndItsParagraphsChunked() throws Exception {
        Path docx = dir.resolve("design.docx");
        Documents.docx(docx, List.of("Design notes for the billing service.",
                "Invoices are generated nightly by the ledger job and mailed at six.",
                "Refunds over five hundred euros need a second approver."));
        ContentSniffer.Verdict verdict = verdict(docx);
        assertInstanceOf(ContentSniffer.Document.class, verdict);
        assertTrue(((ContentSniffer.Document) verdict).type().toString().contains("wordprocessingml"), verdict.toString());
        List<Chunk> chunks = chunks(docx);
        assertEquals(1, chunks.size());
        assertEquals(List.of("Design notes for the billing service.",
                        "Invoices are generated nightly by the ledger job and mailed at six.",
                        "Refunds over five hundred euros need a second approver."),
                chunks.get(0).text().lines().filter(l -> !l.isBlank()).toList());
        assertEquals("word", chunks.get(0).language());
    }

    @Test
    void extractionStopsAtTheWriteLimitAndSaysSo() throws Exception {
        Path pdf = dir.resolve("long.pdf");
        List<List<String>> pages = new ArrayList<>();
        for (int p = 0; p < 40; p++) {
            List<String> lines = new ArrayList<>();
            for (int l = 0; l < 50; l++) {
                lines.add("Page " + p + " line " + l + " of a long manual about the deployment pipeline.");
            }
            pages.add(lines);
        }
        Documents.pdf(pdf, pages, null);
        Path docx = dir.resolve("long.docx");
        List<String> paragraphs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            paragraphs.add("Paragraph " + i + " explains one more step of the release checklist.");
        }
        Documents.docx(docx, paragraphs);
        FileChunker limited = new FileChunker(ChunkingOptions.forModel(256, 2), embedder.tokenCounter(), 5_000);
        for (Path document : List.of(pdf, docx)) {
            List<Chunk> chunks = new ArrayList<>();
            FileChunker.Result result = limited.chunkDocument(source(document), type(document), chunks::add);
            assertTrue(result.truncated(), document.toString());
            int chars = chunks.stream().mapToInt(c -> c.text().length()).sum();
            assertTrue(chars > 3_000 && chars < 12_000, document + ": " + chars + " characters kept");
            assertTrue(all(chunks).contains("line 0") || all(chunks).contains("Paragraph 0"), "the start is kept");
        }
        List<Chunk> whole = new ArrayList<>();
        assertFalse(chunker.chunkDocument(source(pdf), type(pdf), whole::add).truncated());
        assertTrue(all(whole).contains("Page 39 line 49"));
    }

    @Test
    void anEncryptedPdfIsSkippedAsEncrypted() throws Exception {
        Path pdf = dir.resolve("secret.pdf");
        Documents.pdf(pdf, List.of(List.of("Quarterly numbers, not for circulation.")), "hunter2");
        SkippedFileException e = assertThrows(SkippedFileException.class, () -> chunks(pdf));
        assertEquals(SkipReason.ENCRYPTED, e.reason());
    }

    @Test
    void aBrokenPdfIsSkippedWithTheReason() throws Exception {
        Path pdf = dir.resolve("broken.pdf");
        Files.write(pdf, ("%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                + "\u0000\u0001\u0002 garbage that is not a PDF body").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertInstanceOf(ContentSniffer.Document.class, verdict(pdf));
        SkippedFileException e = assertThrows(SkippedFileException.class, () -> chunks(pdf));
        assertEquals(SkipReason.BROKEN_DOCUMENT, e.reason());
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void rtfIsReadAsADocumentNotAsText() throws Exception {
        Path rtf = dir.resolve("memo.rtf");
        Files.writeString(rtf, "{\\rtf1\\ansi{\\fonttbl\\f0\\fswiss Helvetica;}\\f0\\pard Backups run at {\\b midnight} daily.\\par}");
        assertInstanceOf(ContentSniffer.Document.class, verdict(rtf));
        assertEquals("Backups run at midnight daily.", all(chunks(rtf)).strip());
    }
}
