package dev.indexer.cli;

import dev.indexer.config.CollectionSpec;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.Rebuild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Everything {@code index} (and {@code estimate}, {@code mcp}, {@code serve}) was asked, validated
 * once, built once from the options; the defaults are in {@link dev.indexer.config.Defaults}.
 *
 * @param repo the repository of the collection the tree is indexed as
 * @param root the tree to index, absolute
 * @param home where collections and models live
 * @param spec what the collection is built with
 * @param options how the run walks and paces itself
 * @param memory how the memory budget is spent
 * @param modelCalls model calls that run at once ({@code --model-calls})
 * @param rebuild whether what the collection holds is dropped first ({@code --reindex})
 */
record IndexConfig(String collection, String repo, Path root, IndexHome home, CollectionSpec spec, IndexOptions options,
        MemoryBudget memory, int modelCalls, Rebuild rebuild) {
    public IndexConfig {
        CollectionSpec.checkName(collection);
        if (same(home.dir(), root)) {
            // collections/, models/ and cache/ would land among the sources, beside what they index
            throw new IllegalArgumentException("the index home (--index-dir or $" + IndexHome.ENV + ") is " + root
                    + ", the tree to index; keep the index outside it, e.g. --index-dir " + root.resolveSibling(
                            root.getFileName() + ".indexer"));
        }
    }

    /** Whether two paths are one directory, under any name (a link to it, say). */
    private static boolean same(Path a, Path b) {
        try {
            return a.equals(b) || Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false; // one of them cannot be looked at: the run will say so itself
        }
    }
}
