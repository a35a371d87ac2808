package dev.indexer.cli;

import dev.indexer.config.IndexHome;
import dev.indexer.engine.Engine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "drop", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        headerHeading = "", header = "Remove a collection.",
        description = "Remove a collection: its index (or its Qdrant collection) and its manifest.")
final class DropCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    QdrantOptions qdrant;

    DropCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String name = store.collection(spec.commandLine());
        IndexHome home = store.home(context.env(), spec.commandLine());
        Engine.DropResult result = Engine.forReading(home, qdrant.target(context.env(), home, spec.commandLine())).drop(name);
        context.out().println(result.message());
        context.out().flush();
        return ExitCodes.OK;
    }
}
