package dev.indexer.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.indexer.walk.ContentSniffer;
import dev.indexer.walk.SkipReason;
import dev.indexer.walk.SourceFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One read per file: judged from its first window, hashed and decoded from the same windows. The
 * bytes a read costs are taken from {@code /proc/self/io} ({@code rchar}: bytes returned by read
 * calls), with plain reads rather than mapped windows so that every byte read is counted.
 */
class SourceReaderTest {
    private static final ChunkingOptions PLAIN = ChunkingOptions.forModel(256, 2).withBareLineWindows()
            .withMmap(Long.MAX_VALUE, 4096);
    /** One token per word: these tests are about reading, not tokenizing. */
    private static final TokenCounter WORDS = lines -> lines.stream()
            .mapToInt(l -> l.isBlank() ? 0 : l.strip().split("\\s+").length).toArray();

    @TempDir
    Path dir;

    private final SourceReader reader = new SourceReader(new ContentSniffer(4000), new FileChunker(PLAIN, WORDS));

    private static SourceFile source(Path path) throws IOException {
        return new SourceFile(path, path.getFileName().toString(), Files.size(path),
                Files.getLastModifiedTime(path).toMillis());
    }

    private static long bytesRead() throws IOException {
        Path io = Path.of("/proc/self/io");
        assumeTrue(Files.isReadable(io), "needs Linux's /proc/self/io");
        for (String line : Files.readAllLines(io)) {
            if (line.startsWith("rchar:")) {
                return Long.parseLong(line.substring(6).strip());
            }
        }
        throw new IllegalStateException("no rchar in /proc/self/io");
    }

    @Test
    void aFileThatIsBinaryFromItsFirstBytesIsNotReadFurther() throws Exception {
        Path blob = dir.resolve("core.dump");
        try (RandomAccessFile file = new RandomAccessFile(blob.toFile(), "rw")) {
            file.write(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
            file.setLength(3L << 30); // 3 GB, sparse: reading it to the end would take a while and show in rchar
        }
        // rchar counts the whole process: a small binary file first loads the classes of this path
        // (read from their jars), so that only the big file's reads are measured.
        Path small = dir.resolve("small.bin");
        Files.write(small, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        reader.read(source(small), Optional.empty(), chunk -> {});
        long before = bytesRead();
        SourceReader.Outcome outcome = reader.read(source(blob), Optional.empty(), chunk -> {
            throw new AssertionError("nothing to chunk");
        });
        long read = bytesRead() - before;
        assertEquals(SkipReason.BINARY, assertInstanceOf(SourceReader.Skipped.class, outcome).reason());
        assertTrue(read < (1 << 20), "read " + read + " bytes of a file that is binary from its first 16");
    }

    @Test
    void aNewTextFileIsReadOnceToHashAndChunkIt() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "a line of plain words for the reader to cut\n".repeat(60_000)); // 2.6 MB
        long size = Files.size(text);
        List<Chunk> chunks = new ArrayList<>();
        long before = bytesRead();
        SourceReader.Chunked chunked = assertInstanceOf(SourceReader.Chunked.class,
                reader.read(source(text), Optional.empty(), chunks::add));
        long read = bytesRead() - before;
        assertTrue(read >= size && read < size + size / 4, "read " + read + " bytes of a " + size + "-byte file");
        assertTrue(chunks.size() > 100);
        assertEquals(sha256(Files.readAllBytes(text)), chunked.hash());

        // Its metadata changes but not its content: hashed (one more pass), not chunked.
        before = bytesRead();
        SourceReader.Outcome again = reader.read(source(text), Optional.of(chunked.hash()), chunk -> {
            throw new AssertionError("unchanged content is not chunked");
        });
        read = bytesRead() - before;
        assertInstanceOf(SourceReader.Unchanged.class, again);
        assertTrue(read < size + size / 4, "read " + read + " bytes to hash a " + size + "-byte file");
    }

    @Test
    void aChangedFileIsChunkedWithItsNewHash() throws Exception {
        Path code = dir.resolve("a.txt");
        Files.writeString(code, "first version\n");
        List<Chunk> chunks = new ArrayList<>();
        SourceReader.Chunked chunked = assertInstanceOf(SourceReader.Chunked.class,
                reader.read(source(code), Optional.of("0".repeat(64)), chunks::add));
        assertEquals(sha256("first version\n".getBytes(StandardCharsets.UTF_8)), chunked.hash());
        assertEquals(List.of("first version"), chunks.stream().map(Chunk::text).toList());
    }

    @Test
    void vanishedAndUnreadableFilesAreTheirOwnErrors() throws IOException {
        Path gone = dir.resolve("gone.txt");
        SourceFile vanished = new SourceFile(gone, "gone.txt", 10, 0);
        assertThrows(NoSuchFileException.class, () -> reader.read(vanished, Optional.empty(), c -> {}));

        // A file replaced by a directory after it was listed cannot be read, even by root.
        Path swapped = dir.resolve("swapped.txt");
        Files.createDirectory(swapped);
        assertThrows(IOException.class, () -> reader.read(new SourceFile(swapped, "swapped.txt", 10, 0),
                Optional.empty(), c -> {}));

        Path locked = dir.resolve("locked.txt");
        Files.writeString(locked, "secret plans");
        assertTrue(locked.toFile().setReadable(false, false));
        if (!Files.isReadable(locked)) { // root reads anything
            assertThrows(AccessDeniedException.class, () -> reader.read(source(locked), Optional.empty(), c -> {}));
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
