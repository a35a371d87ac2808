package dev.indexer.state;

import java.util.List;

/**
 * What the manifest remembers about one file.
 *
 * @param path path below the root, {@code /}-separated
 * @param size size in bytes when it was processed
 * @param modifiedMillis modification time when it was processed
 * @param hash SHA-256 of the content, hex
 * @param status {@link #INDEXED}, or the name of the skip reason for a file read but not indexed
 * @param chunkHashes content hashes of its chunks, by ordinal (empty unless indexed)
 * @param pending how many of its chunks are still without vectors (searchable by words only)
 * @param priority where the file comes in the embedding order: lower first
 * @param wordsOnly how many of its chunks are data that get no vector ({@link dev.indexer.chunk.Chunk#isData()})
 */
public record FileRecord(String path, long size, long modifiedMillis, String hash, String status,
        List<String> chunkHashes, int pending, int priority, int wordsOnly) {

    public static final String INDEXED = "indexed";

    public FileRecord {
        chunkHashes = List.copyOf(chunkHashes);
    }

    /** A record with no chunk that stays without a vector. */
    public FileRecord(String path, long size, long modifiedMillis, String hash, String status, List<String> chunkHashes,
            int pending, int priority) {
        this(path, size, modifiedMillis, hash, status, chunkHashes, pending, priority, 0);
    }

    public boolean isIndexed() {
        return INDEXED.equals(status);
    }

    /** Whether the file on disk still has the size and modification time recorded here. */
    public boolean sameMetadata(long size, long modifiedMillis) {
        return this.size == size && this.modifiedMillis == modifiedMillis;
    }

    /** A file that was read and is not indexed (binary, generated...): it has no chunks. */
    public static FileRecord skipped(String path, long size, long modifiedMillis, String status) {
        return new FileRecord(path, size, modifiedMillis, "", status, List.of(), 0, 0);
    }

    /** This record with {@code count} chunks waiting for their vectors and {@code data} that get none. */
    public FileRecord withPending(int count, int data) {
        return new FileRecord(path, size, modifiedMillis, hash, status, chunkHashes, count, priority, data);
    }

    /** This record for the same content seen with new metadata (a touch, a copy that kept the bytes). */
    public FileRecord withMetadata(long newSize, long newModifiedMillis) {
        return new FileRecord(path, newSize, newModifiedMillis, hash, status, chunkHashes, pending, priority, wordsOnly);
    }
}
