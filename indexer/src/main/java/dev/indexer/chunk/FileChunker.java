package dev.indexer.chunk;

import dev.indexer.walk.SourceFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one file and cuts it into chunks, streaming: files at or above the mapping threshold are
 * read through mapped windows, smaller ones through a small buffer, and at no time is more than
 * one window, one block of lines and one chunk of the file in memory. Reads exactly the size the
 * walker saw; a file that changes meanwhile raises {@link FileChangedException} (the caller
 * discards the chunks it already got). Thread-safe if the token counter is.
 */
public final class FileChunker {
    private static final int BLOCK_LINES = 256;
    private static final int BLOCK_CHARS = 32 * 1024;

    private final ChunkingOptions options;
    private final TokenCounter counter;

    public FileChunker(ChunkingOptions options, TokenCounter counter) {
        this.options = options;
        this.counter = counter;
    }

    public ChunkingOptions options() {
        return options;
    }

    /** What reading a file produced. */
    public record Result(int chunks, int lines, long replacementChars) {}

    /**
     * Chunks {@code file} into {@code sink}.
     *
     * @throws FileChangedException if the file changed while it was read
     * @throws java.nio.file.NoSuchFileException if it vanished
     * @throws IOException if it cannot be read
     */
    public Result chunk(SourceFile file, ChunkSink sink) throws IOException, InterruptedException {
        LineChunker chunker = new LineChunker(file.relativePath(), options, counter, sink);
        int lines = 0;
        long replacements;
        try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ);
                LineReader reader = new LineReader(windows(channel, file.size()), file.size(), options.maxLineChars())) {
            List<Line> block = new ArrayList<>(BLOCK_LINES);
            int blockChars = 0;
            for (Line line = reader.next(); line != null; line = reader.next()) {
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
            replacements = reader.replacements();
        }
        checkUnchanged(file);
        return new Result(chunker.finish(), lines, replacements);
    }

    private ByteWindows windows(FileChannel channel, long size) {
        return size >= options.mmapThreshold()
                ? new MappedWindows(channel, size, options.mmapWindow())
                : new PlainWindows(channel, size, options.readBuffer());
    }

    private static void checkUnchanged(SourceFile file) throws IOException {
        BasicFileAttributes now = Files.readAttributes(file.path(), BasicFileAttributes.class);
        if (now.size() != file.size() || now.lastModifiedTime().toMillis() != file.modifiedMillis()) {
            throw new FileChangedException("size or modification time changed while reading (" + file.size()
                    + " -> " + now.size() + " bytes)");
        }
    }
}
