package dev.indexer.cli;

import dev.indexer.IndexerException;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexerConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options that name a collection and where it lives, shared by every command. */
final class StoreOptions {
    @Option(names = "--collection", required = true, paramLabel = "NAME",
            description = "Collection to use: letters, digits, '.', '_' or '-'.")
    String collection;

    @Option(names = "--index-dir", paramLabel = "DIR",
            description = "Where collections are kept. Default: $INDEXER_HOME, else a per-user data directory"
                    + " (~/.local/share/indexer on Linux).")
    Path indexDir;

    String collection(CommandLine commandLine) {
        try {
            return IndexerConfig.checkCollectionName(collection);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "--collection: " + e.getMessage());
        }
    }

    /** The answer to a command on a collection that does not exist. */
    static IndexerException noCollection(String collection, IndexHome home) {
        return new IndexerException("There is no collection '" + collection + "' in " + home.dir()
                + "; index one first with: indexer index PATH --collection " + collection);
    }

    IndexHome home(Map<String, String> env) {
        return IndexHome.resolve(Optional.ofNullable(indexDir), env);
    }
}
