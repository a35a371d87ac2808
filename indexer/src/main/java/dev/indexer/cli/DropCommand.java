package dev.indexer.cli;

import dev.indexer.config.IndexHome;
import dev.indexer.config.RepoName;
import dev.indexer.engine.Engine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "drop", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        headerHeading = "", header = "Remove a collection, or one repository of it.",
        description = {"Remove a collection: its index (or its Qdrant collection) and its manifests.",
            "With --repo, remove only that repository's chunks and manifest; the collection's other repositories"
                    + " stay as they are."})
final class DropCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--repo", paramLabel = "NAME", description = "Drop only this repository of the collection.")
    String repo;

    @Mixin
    QdrantOptions qdrant;

    DropCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String name = store.collection(spec.commandLine());
        IndexHome home = store.home(context.env(), spec.commandLine());
        Engine engine = Engine.forReading(home, qdrant.target(context.env(), home, spec.commandLine()));
        Engine.DropResult result;
        if (repo != null) {
            try {
                new RepoName(repo);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--repo: " + e.getMessage());
            }
            result = engine.dropRepo(name, repo);
        } else {
            result = engine.drop(name);
        }
        context.out().println(result.message());
        context.out().flush();
        return ExitCodes.OK;
    }
}
