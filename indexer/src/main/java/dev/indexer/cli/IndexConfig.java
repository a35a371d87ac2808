package dev.indexer.cli;

import dev.indexer.config.CollectionSpec;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.Rebuild;
import java.nio.file.Path;

/**
 * Everything {@code index} (and {@code estimate}, {@code mcp}, {@code serve}) was asked, validated
 * once, built once from the options; the defaults are in {@link dev.indexer.config.Defaults}.
 *
 * @param collection the collection's name
 * @param root the tree to index, absolute
 * @param home where collections and models live
 * @param spec what the collection is built with
 * @param options how the run walks and paces itself
 * @param memory how the memory budget is spent
 * @param rebuild whether what the collection holds is dropped first ({@code --reindex})
 */
record IndexConfig(String collection, Path root, IndexHome home, CollectionSpec spec, IndexOptions options,
        MemoryBudget memory, Rebuild rebuild) {
    public IndexConfig {
        CollectionSpec.checkName(collection);
    }
}
