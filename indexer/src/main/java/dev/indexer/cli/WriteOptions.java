package dev.indexer.cli;

import dev.indexer.config.ByteSize;
import dev.indexer.config.Defaults;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.Rebuild;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The options of every command that writes a collection from a tree ({@code index}, {@code mcp},
 * {@code serve}): picocli reads annotated fields of superclasses, so each command declares them once
 * here and spells them the same way.
 */
abstract class WriteOptions {
    @Mixin
    TreeOptions tree;

    @Mixin
    StoreOptions store;

    @Mixin
    RepoOptions repo;

    @Mixin
    QdrantOptions qdrant;

    @Mixin
    QdrantCollectionOptions qdrantCollection;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = Defaults.BATCH_SIZE_TEXT,
            description = "Files per batch: chunks are embedded and written batch by batch. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--vector-cache", paramLabel = "SIZE", defaultValue = Defaults.VECTOR_CACHE_TEXT,
            converter = Converters.Size.class,
            description = "Disk for vectors already computed, shared by the collections of the index home, so that"
                    + " text embedded once (another branch, another checkout, before a --reindex) is not embedded"
                    + " again; the least recently used go first. 0 switches it off. Default: ${DEFAULT-VALUE}.")
    ByteSize vectorCache;

    /**
     * Everything these options say, checked; {@code runOptions} adds what only some commands set.
     *
     * @throws CommandLine.ParameterException for a value that breaks a rule
     */
    IndexConfig config(CommandLine commandLine, CliContext context, Rebuild rebuild,
            java.util.function.UnaryOperator<IndexOptions> runOptions) {
        try {
            IndexOptions options = IndexOptions.DEFAULTS.withMaxFileSize(tree.maxFileSize.bytes())
                    .withBatchSize(batchSize).withVectorCache(vectorCache.bytes());
            options = runOptions.apply(tree.followSymlinks ? options.followingSymlinks() : options);
            Path root = tree.root(commandLine);
            return new IndexConfig(store.collection(commandLine, root), repo.forTree(commandLine, root), root,
                    store.home(context.env(), commandLine),
                    tree.spec(commandLine), options, tree.memory(commandLine), tree.modelCalls(commandLine), rebuild);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }
}
