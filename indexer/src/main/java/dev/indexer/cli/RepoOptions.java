package dev.indexer.cli;

import dev.indexer.config.RepoName;
import dev.indexer.git.GitCheckout;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The option that names one repository of a collection: commands that index, serve, or report on one. */
final class RepoOptions {
    @Option(names = "--repo", paramLabel = "NAME",
            description = "The repository of the collection to use: a collection holds many, each indexed, searched,"
                    + " reported on and dropped alone. Commands that index a tree (index, mcp, serve) name it after"
                    + " the tree when it is not given: its origin remote as host/owner/name, else the directory's"
                    + " name.")
    String repo;

    /** The repository named, checked; empty if none was. A usage error if the name is not valid. */
    Optional<String> given(CommandLine commandLine) {
        if (repo == null) {
            return Optional.empty();
        }
        return Optional.of(check(commandLine, repo));
    }

    /**
     * The repository the tree at {@code root} is indexed as: the one named, else the tree's
     * repository name ({@link GitCheckout#repositoryName}) with characters a repository name cannot
     * hold (',', control characters) made '-'.
     */
    String forTree(CommandLine commandLine, Path root) {
        if (repo != null) {
            return check(commandLine, repo);
        }
        String name = GitCheckout.repositoryName(root).replaceAll("[,\\p{Cntrl}]", "-").strip();
        if (name.length() > RepoName.MAX_LENGTH) {
            name = name.substring(name.length() - RepoName.MAX_LENGTH).strip();
        }
        if (name.isEmpty()) {
            throw new CommandLine.ParameterException(commandLine, "No repository name can be made from " + root
                    + "; name one with --repo NAME");
        }
        return check(commandLine, name);
    }

    private static String check(CommandLine commandLine, String name) {
        try {
            return new RepoName(name).value();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "--repo: " + e.getMessage());
        }
    }
}
