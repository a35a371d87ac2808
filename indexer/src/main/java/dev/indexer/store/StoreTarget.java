package dev.indexer.store;

import java.util.List;

/**
 * Where a collection's chunks live: the embedded index in the index home, or a Qdrant server.
 * Resolved once per command; opening, describing and dropping are the target's job, so callers
 * never need to know which kind they hold. Either way the manifest and the writer's lock stay in
 * the index home, on the machine that indexes.
 */
public interface StoreTarget {
    /** What the manifest records ({@code embedded}, {@code qdrant}), so a collection never silently moves. */
    String kind();

    /** Where a collection's chunks are, for messages: {@code embedded store at /..}, {@code Qdrant collection 'x' at ...}. */
    String describe(String collection);

    /** The store's name for {@code status}: {@code embedded (Lucene)}, {@code Qdrant}. */
    String storeName();

    /** Where the collection is, for {@code status}: a directory or a server address. */
    String location(String collection);

    /** Whether the chunks live in the collection's directory on this machine (so no manifest means no collection). */
    boolean local();

    /**
     * Checks that the store can be reached and answers about {@code collection}, before anything on
     * this machine changes for it: a
     * bad server address must not leave a collection recorded against that server.
     *
     * @throws dev.indexer.IndexerException saying what is wrong and what to do
     */
    void check(String collection);

    /** Whether the store holds a collection of this name (it may still be damaged). */
    boolean exists(String collection);

    /** What a writer does with what the collection already holds. */
    enum Contents {
        /** Keeps it: the run updates what changed. */
        KEEP,
        /** Deletes it first (a {@code --reindex}). */
        DELETE
    }

    /**
     * Opens the repositories {@code repos} of an existing collection for searching, counting and
     * describing.
     *
     * @throws dev.indexer.IndexerException if there is no such collection, naming the way to make
     *     one, or it has no repository of a name in {@code repos}, naming those it has
     */
    StoreReader openReader(String collection, RepoScope repos);

    /** Every repository of the collection: {@link #openReader(String, RepoScope)} with {@link RepoScope#ALL}. */
    default StoreReader openReader(String collection) {
        return openReader(collection, RepoScope.ALL);
    }

    /**
     * Opens repository {@code repo} of a collection for writing, creating the collection if needed;
     * {@link Contents#DELETE} deletes that repository's chunks only (the whole collection when it
     * has no other, or was made before collections held repositories).
     *
     * @throws dev.indexer.IndexerException if it holds vectors of another model or size, or was
     *     made by an earlier version whose chunks say no repository
     */
    StoreWriter openWriter(CollectionInfo info, String repo, Contents contents);

    /** The repository named as the collection: what the library's one-repository calls write. */
    default StoreWriter openWriter(CollectionInfo info, Contents contents) {
        return openWriter(info, info.name(), contents);
    }

    /**
     * The repositories a collection holds, by name, with their counts and recorded runs.
     *
     * @throws dev.indexer.IndexerException if there is no such collection
     */
    List<RepoSummary> repos(String collection);

    /** Deletes the collection's chunks; returns whether there were any to delete. */
    boolean drop(String collection);

    /** Deletes one repository's chunks, leaving the collection's others; returns whether it had any. */
    boolean dropRepo(String collection, String repo);
}
