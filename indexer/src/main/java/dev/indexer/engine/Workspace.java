package dev.indexer.engine;

import dev.indexer.IndexerException;
import dev.indexer.chunk.ChunkingOptions;
import dev.indexer.config.ChunkerKind;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.Defaults;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.embed.EmbedderFactory;
import dev.indexer.store.StoreTarget;
import dev.indexer.walk.WalkOptions;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What an engine's readers and writers are made from: the index home, where chunks live, how
 * memory is spent, how models load, and how files are cut.
 *
 * @param home where collections, models and caches live
 * @param target where chunks live: the embedded store or a Qdrant server
 * @param memory how the memory budget is spent (model calls, queues)
 * @param threads threads the model may use
 * @param embedders how models are loaded
 * @param chunkingAdjustment what the evaluation changes in how files are cut (else nothing)
 */
record Workspace(IndexHome home, StoreTarget target, MemoryBudget memory, int threads, EmbedderFactory embedders,
        UnaryOperator<ChunkingOptions> chunkingAdjustment) {

    /** How a collection with {@code spec} cuts its files here (see {@link #defaultChunking}). */
    ChunkingOptions chunking(CollectionSpec spec) {
        return chunkingAdjustment.apply(defaultChunking(spec));
    }

    /** Chunks of the default size (within what the model takes), cut as the collection's chunker says. */
    static ChunkingOptions defaultChunking(CollectionSpec spec) {
        int model = Defaults.MODEL_INPUT_TOKENS - spec.model().specialTokens();
        // A long line (a signature, a string) is a chunk of its own as long as the model reads it whole.
        ChunkingOptions options = ChunkingOptions.withTextTokens(Math.min(Defaults.CHUNK_TOKENS, model))
                .withLineTokens(model);
        return spec.chunker() == ChunkerKind.SYNTAX ? options : options.withLineWindows();
    }

    /** How the walker walks for these options: the index home is always left out. */
    WalkOptions walkOptions(IndexOptions options) {
        return new WalkOptions(options.maxFileSize(),
                options.followSymlinks() ? WalkOptions.SymlinkPolicy.FOLLOW : WalkOptions.SymlinkPolicy.SKIP,
                Optional.of(home.dir()), options.shard());
    }

    /**
     * @throws IndexerException if collection {@code name} is here in the shape of a version before
     *     collections held repositories, saying how to rebuild it
     */
    void checkLayout(String name) {
        if (home.oldLayout(name)) {
            throw new IndexerException("Collection '" + name + "' in " + home.dir() + " was made by an earlier version"
                    + " of the indexer, before a collection held repositories; rebuild it with: indexer index PATH"
                    + " --collection " + name + " --reindex");
        }
    }

    IndexerException noCollection(String name) {
        return new IndexerException("There is no collection '" + name + "' in " + home.dir()
                + "; index one first with: indexer index PATH --collection " + name);
    }
}
