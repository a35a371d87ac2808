package dev.indexer.engine;

import dev.indexer.config.ModelSpec;
import dev.indexer.embed.Embedder;
import dev.indexer.state.Manifest;
import dev.indexer.store.StoreReader;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a {@link CollectionReader} reads from and embeds queries with: a store and a manifest of its
 * own ({@link StoredState}), or those of the writer it was taken from, which it must not close.
 */
interface ReadSource extends AutoCloseable {
    /**
     * The store to search, opened on first need.
     *
     * @throws dev.indexer.IndexerException if there is no such collection, or its store cannot be read
     */
    StoreReader store();

    /** {@code read} applied to the collection's manifest; empty when this machine has none. */
    <T> Optional<T> manifest(Function<Manifest, T> read);

    /** What every search says while the store holds fewer chunks than the manifest lists. */
    Optional<String> damage();

    /** The model that embeds queries, loaded on first use. */
    Embedder embedder(ModelSpec model);

    @Override
    void close();
}
