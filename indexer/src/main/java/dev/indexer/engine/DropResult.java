package dev.indexer.engine;

/**
 * What dropping a collection removed.
 *
 * @param storeDropped whether the store held the collection (the embedded index, or the server's collection)
 * @param localDropped whether this machine had its directory (manifest, lock, embedded index)
 * @param bytesFreed the size of that directory
 * @param message one sentence for people saying what went
 */
public record DropResult(boolean storeDropped, boolean localDropped, long bytesFreed, String message) {}
