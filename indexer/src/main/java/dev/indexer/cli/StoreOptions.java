package dev.indexer.cli;

import dev.indexer.chunk.Chunk;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.IndexHome;
import dev.indexer.git.GitCheckout;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The options that name a collection and where it lives, shared by every command. */
final class StoreOptions {
    @Option(names = "--collection", paramLabel = "NAME",
            description = "Collection to use: letters, digits, '.', '_' or '-'. Commands that index a tree"
                    + " (index, mcp, serve) name it after the tree's repository when it is not given: its origin"
                    + " remote (github.com/owner/name is github.com-owner-name), else the directory's name.")
    String collection;

    @Option(names = "--index-dir", paramLabel = "DIR",
            description = "Where collections are kept. Default: $INDEXER_HOME, else a per-user data directory"
                    + " (~/.local/share/indexer on Linux).")
    Path indexDir;

    /** The collection's name; a usage error if it is missing or not a valid name. */
    String collection(CommandLine commandLine) {
        if (collection == null) {
            throw new CommandLine.MissingParameterException(commandLine,
                    commandLine.getCommandSpec().findOption("--collection"),
                    "Missing required option: '--collection=NAME'");
        }
        try {
            return CollectionSpec.checkName(collection);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "--collection: " + e.getMessage());
        }
    }

    /**
     * As {@link #collection(CommandLine)}, for a command that indexes {@code root}: without
     * {@code --collection}, the collection is named after the repository the tree is (its origin
     * remote, else the directory's name).
     */
    String collection(CommandLine commandLine, Path root) {
        if (collection != null) {
            return collection(commandLine);
        }
        String repository = GitCheckout.repositoryName(root);
        String name = CollectionSpec.nameFor(repository);
        if (name.isEmpty() && !repository.isEmpty()) {
            // A name of letters a collection name cannot hold ("проект"): one that stays the same for it.
            name = "tree-" + Chunk.hashOf(repository).substring(0, 10); // the project's text hash
        }
        if (name.isEmpty()) {
            throw new CommandLine.ParameterException(commandLine, "No collection name can be made from " + root
                    + "; name one with --collection NAME");
        }
        return name;
    }

        IndexHome home(Map<String, String> env, CommandLine commandLine) {
        return home(indexDir, env, commandLine);
    }

    /** The index home that {@code --index-dir} or the environment names; a usage error if it cannot be one. */
    static IndexHome home(Path indexDir, Map<String, String> env, CommandLine commandLine) {
        try {
            return IndexHome.resolve(Optional.ofNullable(indexDir), env);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }
}
