package dev.indexer.store;

/**
 * What a store keeps of one chunk: enough to rebuild an index home's record of its file when the
 * home does not have one (a fresh machine over a shared collection, a lost manifest).
 *
 * @param fileHash the content hash of the chunk's file as the store recorded it at the commit after
 *     the file was written; "" where it has none (the embedded store keeps it in the manifest only)
 * @param embedded whether the chunk has its vector
 */
public record StoredChunk(String id, String path, int ordinal, String hash, String fileHash, boolean embedded) {}
