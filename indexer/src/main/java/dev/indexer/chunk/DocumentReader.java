package dev.indexer.chunk;

import dev.indexer.redact.SecretRedactor;
import dev.indexer.walk.SkipReason;
import dev.indexer.walk.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.apache.tika.sax.BodyContentHandler;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Extracts the text of a document (PDF, Word, OpenDocument, RTF, EPUB...), streaming: characters
 * become lines, and every few hundred lines go to the line chunker, so the extracted text is never
 * held whole. Extraction stops at {@code maxChars} (a write limit against decompression bombs and
 * book-length files). No OCR: images stay images.
 *
 * <p>PDFs are read with PDFBox directly, a few pages at a time, with at most {@code
 * PDF_MAIN_MEMORY} of stream data in memory (the rest in a scratch file). Tika's own PDF parser
 * was measured holding 830 MB of heap on a 20 MB, 37,610-page PDF (and stopping late at the write
 * limit); PDFBox page by page extracted the same text within a 128 MB heap. Other formats go
 * through Tika's parsers.
 */
final class DocumentReader {
    private static final int BLOCK_LINES = 256;
    static final long PDF_MAIN_MEMORY = 16L << 20;

    /** Built on the first document: it loads every parser Tika has, which a tree of code never needs. */
    private Parser parser;
    private final int maxLineChars;
    private final long maxChars;

    DocumentReader(int maxLineChars, long maxChars) {
        this.maxLineChars = maxLineChars;
        this.maxChars = maxChars;
    }

    /** What extraction produced: lines, and whether the write limit cut it short. */
    record Extracted(int lines, boolean truncated) {}

    /** Feeds the text of a document of this type, as lines, to {@code chunker}. */
    Extracted read(SourceFile file, MediaType type, LineChunker chunker, SecretRedactor redactor)
            throws IOException, InterruptedException {
        return extract(file, type, new LineHandler(chunker, redactor));
    }

    /** Lines and characters of the document's text (up to the write limit), for estimates. */
    long[] count(SourceFile file, MediaType type) throws IOException, InterruptedException {
        LineHandler lines = new LineHandler(null, null);
        extract(file, type, lines);
        return new long[] {lines.count, Math.min(lines.chars, maxChars)};
    }

    private static final MediaType PDF = MediaType.application("pdf");

    /** Pages extracted per pass of the text stripper: its memory is one pass's text positions. */
    private static final int PDF_PAGES_PER_PASS = 16;

    private Extracted extract(SourceFile file, MediaType type, LineHandler lines)
            throws IOException, InterruptedException {
        return PDF.equals(type.getBaseType()) ? parsePdf(file, lines) : parse(file, lines);
    }

    private Extracted parsePdf(SourceFile file, LineHandler lines) throws IOException, InterruptedException {
        try (PDDocument document = Loader.loadPDF(new RandomAccessReadBufferedFile(file.path().toFile()),
                MemoryUsageSetting.setupMixed(PDF_MAIN_MEMORY).streamCache)) {
            int pages = document.getNumberOfPages();
            Writer sink = new Writer() {
                @Override
                public void write(char[] buffer, int offset, int length) throws IOException {
                    try {
                        lines.characters(buffer, offset, length);
                    } catch (SAXException e) {
                        throw new IOException(e);
                    }
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };
            for (int first = 1; first <= pages; first += PDF_PAGES_PER_PASS) {
                PDFTextStripper stripper = new PDFTextStripper();
                stripper.setStartPage(first);
                stripper.setEndPage(Math.min(pages, first + PDF_PAGES_PER_PASS - 1));
                try {
                    stripper.writeText(document, sink);
                } catch (IOException e) {
                    if (e.getCause() instanceof LimitReached) {
                        return lines.finish(true);
                    }
                    if (e.getCause() instanceof Interrupted interrupted) {
                        throw interrupted.cause;
                    }
                    throw e;
                }
            }
        } catch (InvalidPasswordException e) {
            throw new SkippedFileException(SkipReason.ENCRYPTED, "password-protected", e);
        } catch (IOException | RuntimeException e) {
            if (!java.nio.file.Files.isRegularFile(file.path())) {
                throw e instanceof IOException io ? io : new IOException(e);
            }
            throw new SkippedFileException(SkipReason.BROKEN_DOCUMENT, describe(e), e);
        }
        return lines.finish(false);
    }

    private Extracted parse(SourceFile file, LineHandler lines) throws IOException, InterruptedException {
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, file.path().getFileName().toString());
        ParseContext context = new ParseContext();
        PDFParserConfig pdf = new PDFParserConfig();
        pdf.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.NO_OCR);
        pdf.setExtractInlineImages(false);
        pdf.setMaxMainMemoryBytes(PDF_MAIN_MEMORY);
        context.set(PDFParserConfig.class, pdf);
        TesseractOCRConfig ocr = new TesseractOCRConfig();
        ocr.setSkipOcr(true);
        context.set(TesseractOCRConfig.class, ocr);
        // Opened on the path: parsers that need random access (PDF, ZIP-based formats) read the
        // file in place instead of spooling a copy to a temporary file.
        try (InputStream in = TikaInputStream.get(file.path(), metadata)) {
            parser().parse(in, new BodyContentHandler(lines), metadata, context);
        } catch (LimitReached e) {
            return lines.finish(true);
        } catch (Interrupted e) {
            throw e.cause;
        } catch (EncryptedDocumentException e) {
            throw new SkippedFileException(SkipReason.ENCRYPTED, "password-protected", e);
        } catch (TikaException | SAXException e) {
            if (causedBy(e, LimitReached.class)) {
                // Some parsers wrap the handler's exception instead of letting it through.
                return lines.finish(true);
            }
            throw new SkippedFileException(SkipReason.BROKEN_DOCUMENT, describe(e), e);
        } catch (RuntimeException e) {
            // Parsers of third-party formats throw anything on a malformed file; it is the file's fault.
            throw new SkippedFileException(SkipReason.BROKEN_DOCUMENT, describe(e), e);
        }
        return lines.finish(false);
    }

    private synchronized Parser parser() {
        if (parser == null) {
            parser = new AutoDetectParser();
        }
        return parser;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        Throwable t = e;
        while (t != null && !type.isInstance(t)) {
            t = t.getCause() == t ? null : t.getCause();
        }
        return t != null;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > 160 ? message.substring(0, 157) + "..." : message;
    }

    /** Stops a parse at the write limit. */
    private static final class LimitReached extends SAXException {
        private static final long serialVersionUID = 1L;
    }

    /** Carries an interruption of the chunker's queue out of Tika's callbacks. */
    private static final class Interrupted extends SAXException {
        private static final long serialVersionUID = 1L;
        final transient InterruptedException cause;

        Interrupted(InterruptedException cause) {
            this.cause = cause;
        }
    }

    /** Characters into lines; runs of blank lines (PDF output is full of them) become one. */
    private final class LineHandler extends DefaultHandler {
        private final LineChunker chunker;
        private final SecretRedactor redactor;
        private final StringBuilder line = new StringBuilder();
        private final List<Line> block = new ArrayList<>(BLOCK_LINES);
        private long chars;
        private int count;
        private boolean lastBlank = true;

        /**
         * @param chunker where lines go; null to only count them
         * @param redactor takes secrets out of lines before the chunker sees them; null to only count
         */
        LineHandler(LineChunker chunker, SecretRedactor redactor) {
            this.chunker = chunker;
            this.redactor = redactor;
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            for (int i = start; i < start + length; i++) {
                char c = ch[i];
                if (c == '\n') {
                    endLine();
                } else if (c != '\r') {
                    line.append(c);
                    if (line.length() >= maxLineChars) {
                        endLine();
                    }
                }
            }
            chars += length;
            if (chars > maxChars) {
                throw new LimitReached();
            }
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
            characters(ch, start, length);
        }

        private void endLine() throws SAXException {
            String text = line.toString().strip();
            line.setLength(0);
            boolean blank = text.isEmpty();
            if (blank && lastBlank) {
                return;
            }
            lastBlank = blank;
            block.add(new Line(++count, redactor == null ? text : redactor.redact(text)));
            if (block.size() >= BLOCK_LINES) {
                flush();
            }
        }

        private void flush() throws SAXException {
            try {
                if (chunker != null) {
                    chunker.add(block);
                }
            } catch (InterruptedException e) {
                throw new Interrupted(e);
            }
            block.clear();
        }

        /** Sends the lines held; what extraction came to. */
        Extracted finish(boolean truncated) throws InterruptedException {
            try {
                if (line.length() > 0) {
                    endLine();
                }
                if (!block.isEmpty()) {
                    flush();
                }
            } catch (Interrupted e) {
                throw e.cause;
            } catch (SAXException e) {
                throw new IllegalStateException(e); // endLine and flush only throw Interrupted
            }
            return new Extracted(count, truncated);
        }
    }
}
