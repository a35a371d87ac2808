package dev.indexer.store;

import dev.indexer.chunk.Chunk;
import dev.indexer.config.Shard;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Writes a collection: one per collection at a time. Writes are idempotent (a chunk's id decides
 * its place), and nothing written is durable, or visible to a reader, until {@link #commit()}
 * returns. The reads here are those an index run needs of what it committed; searching is a
 * {@link StoreReader}'s job ({@link #reader()}).
 * Implementations throw {@link dev.indexer.IndexerException} for problems that stop a run.
 */
public interface StoreWriter extends AutoCloseable {
    /** The collection's settings, as this writer records them. */
    CollectionInfo info();

    /** The repository of the collection this writer writes; it touches no chunk of another. */
    String repo();

    /**
     * The collection as it was before this writer opened it; empty if opening created it (then any
     * record of earlier runs describes chunks this store does not have).
     */
    Optional<CollectionInfo> previous();

    /** Removes every chunk of a file, before its new chunks are added or because it is gone. */
    void deleteFile(String path);

    /**
     * Adds or replaces chunks, by id. A chunk may come without its vector (the lexical phase): it is
     * searchable by words once committed, and by meaning once {@link #addVectors} has given it one.
     */
    void upsert(List<EmbeddedChunk> chunks);

    /**
     * Gives stored chunks their vectors. Each chunk must be as {@link #chunksWithoutVectors} gave it
     * back: its text is what the store holds.
     */
    void addVectors(List<EmbeddedChunk> chunks);

    /**
     * Called once before a run's model loads, with how many chunks wait for vectors: a store may
     * prepare for them here (the embedded store has the JIT compile its vector graph code while the
     * process is small). Writes nothing to the collection.
     */
    default void beforeVectors(long waitingChunks) {}

    /** Makes everything written so far durable and visible to readers. */
    void commit();

    /**
     * Tidies the store while nothing else writes: the merges its policy wants, committed, so that
     * searches visit fewer segments. Gives up, keeping what is done, as soon as {@code stop} says
     * so. Returns whether the store was left settled. Stores that merge on their own (Qdrant's
     * optimizer) have nothing to do.
     */
    default boolean settle(BooleanSupplier stop) {
        return true;
    }

    /** Chunks in the collection as of the last commit. */
    long count();

    /** The committed chunks of a file that have no vector yet, rebuilt from what the store keeps. */
    List<Chunk> chunksWithoutVectors(String path);

    /**
     * The stored vectors of chunks, by id, for re-use: a chunk whose text is unchanged keeps its
     * vector. {@code hashById} maps each id to the {@link Chunk#hash() hash} its text must still
     * have; ids not found, or whose stored text has another hash (a run that stopped between the
     * store and the manifest), are left out, so a vector never lands on the wrong text.
     */
    Map<String, float[]> vectors(Map<String, String> hashById);

    /**
     * Vectors that chunks of any repository of the collection have, by their text's
     * {@link Chunk#hash() hash}, for chunks this run would otherwise embed: a fork or a vendored
     * copy of a repository indexed before costs (almost) no model time. Hashes not found are left
     * out; a store that keeps one repository per index (the embedded one) finds none here, and
     * leaves sharing to the vector cache of the index home.
     */
    default Map<String, float[]> sharedVectors(java.util.Collection<String> hashes) {
        return Map.of();
    }

    /**
     * All of a file's chunks have been written (since its {@link #deleteFile}), from content with
     * hash {@code contentHash}. A store that other machines start from (Qdrant) records the hash on
     * the file's chunks with the next {@link #commit()}, so that an index home that does not know the
     * file can tell it unchanged by its content alone; the embedded store has its manifest beside it.
     */
    default void fileWritten(String path, String contentHash) {}

    /**
     * Records a completed run in the store, for stores other machines read (Qdrant: the
     * collection's metadata, one entry per part of the tree); the embedded store has the manifest.
     */
    default void recordRun(RunRecord run) {}

    /** Calls {@code visitor} with every committed chunk, in no particular order (for checks and recovery). */
    void scan(Consumer<StoredChunk> visitor);

    /**
     * As {@link #scan(Consumer)}, the chunks of files in {@code part} only; a store that keeps each
     * path's slot selects them itself, the others filter here.
     */
    default void scan(Shard part, Consumer<StoredChunk> visitor) {
        scan(chunk -> {
            if (part.holds(chunk.path())) {
                visitor.accept(chunk);
            }
        });
    }

    /** Committed chunks of files in {@code part}; -1 when the store cannot count them without a scan. */
    default long count(Shard part) {
        return part.isAll() ? count() : -1;
    }

    /**
     * A reader of what this writer commits, opened on first use and closed with the writer: what a
     * server that writes a collection searches it with.
     */
    StoreReader reader();

    /** Where the store keeps its files on this machine, for disk-space checks; empty for a server. */
    default Optional<Path> localDirectory() {
        return Optional.empty();
    }

    /** Releases resources without committing; safe to call twice. */
    @Override
    void close();
}
