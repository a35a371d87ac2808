package dev.indexer.chunk;

import dev.indexer.walk.ContentSniffer;
import dev.indexer.walk.SkipReason;
import dev.indexer.walk.SourceFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.apache.tika.mime.MediaType;

/**
 * Reads a file once: it is opened once, its first bytes are judged ({@link ContentSniffer}), and
 * only a file worth reading is read further, hashed and decoded from the same windows. A file
 * that is binary from its first bytes costs one window, however large it is.
 *
 * <p>A file the collection already has (its metadata changed) is hashed first, from the same open
 * file: the same content (a {@code touch}, a checkout that rewrote it) needs no chunking at all.
 * Documents (PDF, Word...) are hashed here and then handed to their parser, which opens them itself.
 */
public final class SourceReader {
    private final ContentSniffer sniffer;
    private final FileChunker chunker;

    public SourceReader(ContentSniffer sniffer, FileChunker chunker) {
        this.sniffer = sniffer;
        this.chunker = chunker;
    }

    /** What reading a file came to. */
    public sealed interface Outcome permits Unchanged, Skipped, Chunked, Counted {}

    /** The content is what the collection already has: only the metadata changed. */
    public record Unchanged() implements Outcome {}

    /** The file is not indexed: binary, another encoding, minified... */
    public record Skipped(SkipReason reason, String detail) implements Outcome {}

    /**
     * The file was chunked.
     *
     * @param hash SHA-256 of its bytes
     */
    public record Chunked(String hash, FileChunker.Result result) implements Outcome {}

    /**
     * The file was read and counted, not chunked (a dry run).
     *
     * @param document the document type for a document (PDF, Word...), empty for text
     */
    public record Counted(long lines, long chars, Optional<MediaType> document) implements Outcome {}

    /**
     * Judges, hashes and chunks a file into {@code sink}.
     *
     * @param previousHash the hash the collection has for the file, if it has it: when the content
     *     still has that hash, nothing is chunked
     * @throws SkippedFileException (changed) if the file changed while it was read
     * @throws java.nio.file.NoSuchFileException if it vanished
     * @throws SkippedFileException (a document reason) if it is a document that is encrypted or cannot
     *     be parsed
     * @throws IOException if it cannot be read
     */
    public Outcome read(SourceFile file, Optional<String> previousHash, Chunk.Sink sink)
            throws IOException, InterruptedException {
        try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ);
                HashingWindows windows = new HashingWindows(chunker.windows(channel, file.size()), file.size())) {
            ByteBuffer first = file.size() == 0 ? ByteBuffer.allocate(0) : windows.window(0);
            ContentSniffer.Verdict verdict = sniffer.judge(head(first), name(file));
            if (verdict instanceof ContentSniffer.Skip skip) {
                return new Skipped(skip.reason(), skip.detail());
            }
            if (previousHash.isEmpty() && verdict instanceof ContentSniffer.Text) {
                FileChunker.Result result = chunker.chunk(file, windows, sink);
                return new Chunked(windows.finish(), result);
            }
            String hash = windows.finish();
            if (previousHash.filter(hash::equals).isPresent()) {
                return new Unchanged();
            }
            if (verdict instanceof ContentSniffer.Document document) {
                return new Chunked(hash, chunker.chunkDocument(file, document.type(), sink));
            }
            try (ByteWindows again = chunker.windows(channel, file.size())) {
                return new Chunked(hash, chunker.chunk(file, again, sink));
            }
        } catch (InternalError e) {
            throw SkippedFileException.truncatedWhileMapped(e);
        }
    }

    /**
     * Judges a file and counts its lines and characters (UTF-8 lead bytes) without tokenizing:
     * what a dry run needs of every file.
     */
    public Outcome count(SourceFile file) throws IOException, InterruptedException {
        try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ);
                ByteWindows windows = chunker.windows(channel, file.size())) {
            ByteBuffer window = file.size() == 0 ? ByteBuffer.allocate(0) : windows.window(0);
            ContentSniffer.Verdict verdict = sniffer.judge(head(window), name(file));
            if (verdict instanceof ContentSniffer.Skip skip) {
                return new Skipped(skip.reason(), skip.detail());
            }
            if (verdict instanceof ContentSniffer.Document document) {
                long[] counted = chunker.countDocument(file, document.type());
                return new Counted(counted[0], counted[1], Optional.of(document.type()));
            }
            long lines = 0;
            long chars = 0;
            for (long position = window.limit(); ; position += window.limit()) {
                while (window.hasRemaining()) {
                    byte b = window.get();
                    lines += b == '\n' ? 1 : 0;
                    chars += (b & 0xC0) != 0x80 ? 1 : 0; // a character's first byte
                }
                if (position >= file.size()) {
                    return new Counted(lines, chars, Optional.empty());
                }
                window = windows.window(position);
            }
        } catch (InternalError e) {
            throw SkippedFileException.truncatedWhileMapped(e);
        }
    }

    /** The first bytes of the file, as much of them as the sniffer judges. */
    private static byte[] head(ByteBuffer first) {
        ByteBuffer view = first.duplicate();
        byte[] head = new byte[Math.min(ContentSniffer.HEAD_BYTES, view.remaining())];
        view.get(head);
        return head;
    }

    private static String name(SourceFile file) {
        String path = file.relativePath();
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
