package dev.indexer.config;

import java.nio.file.Path;

/**
 * Everything {@code index} (and {@code estimate}) was asked, validated once, built once from the
 * options; the defaults are in {@link Defaults}.
 *
 * @param collection the collection's name
 * @param root the tree to index, absolute
 * @param home where collections and models live
 * @param spec what the collection is built with
 * @param options how the run walks and paces itself
 * @param memory how the memory budget is spent
 * @param rebuild drop what the collection holds first ({@code --reindex})
 */
public record IndexConfig(String collection, Path root, IndexHome home, CollectionSpec spec, IndexOptions options,
        MemoryBudget memory, boolean rebuild) {
    public IndexConfig {
        CollectionSpec.checkName(collection);
    }
}
