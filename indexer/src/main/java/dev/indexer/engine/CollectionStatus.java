package dev.indexer.engine;

import java.util.Map;
import java.util.Optional;

/**
 * What a collection holds and what a rerun would do, read without touching file contents.
 *
 * @param collection the name
 * @param store the kind of store, for people: {@code embedded (Lucene)}, {@code Qdrant}
 * @param location the collection's directory, or the server's address
 * @param model the embedding model
 * @param dimension the vector size
 * @param root the tree it follows (or the one given to compare with)
 * @param manifestHere whether this machine has the collection's manifest; without it (indexed
 *     elsewhere) only the store's side is known and the file counts are zero
 * @param filesIndexed files whose chunks the collection holds
 * @param filesSkipped files read but not indexed (binary, generated...)
 * @param chunks chunks the manifest lists
 * @param chunksWithVectors how many of them have their vectors (the rest are searchable by words only)
 * @param storeChunks chunks the store holds; -1 if the store could not be read ({@code storeError} says why)
 * @param pending what a rerun over {@code root} would do; empty if {@code root} is not a directory here
 * @param lastRunStarted when the last run started (ISO-8601), or empty
 * @param lastRunFinished when it finished, or empty
 * @param lastRunOutcome how it ended: {@code completed}, {@code interrupted...}, {@code failed: ...}, {@code running}
 * @param diskBytes the collection's directory on this machine (manifest, and the embedded index)
 * @param storeDetails what the store itself reports (Qdrant: its configuration and state)
 * @param storeError why the store could not be read, if it could not
 */
public record CollectionStatus(
        String collection,
        String store,
        String location,
        String model,
        int dimension,
        String root,
        boolean manifestHere,
        long filesIndexed,
        long filesSkipped,
        long chunks,
        long chunksWithVectors,
        long storeChunks,
        Optional<Pending> pending,
        String lastRunStarted,
        String lastRunFinished,
        String lastRunOutcome,
        long diskBytes,
        Map<String, Object> storeDetails,
        Optional<String> storeError) {

    /** New, changed and deleted files: what {@code index} would do now. */
    public record Pending(long added, long changed, long deleted) {}
}
