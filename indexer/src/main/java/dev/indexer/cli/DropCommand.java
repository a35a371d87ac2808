package dev.indexer.cli;

import dev.indexer.config.ByteSize;
import dev.indexer.config.IndexHome;
import dev.indexer.state.CollectionLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "drop", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Remove a collection: its index and its manifest.")
final class DropCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreOptions store;

    DropCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        String collection = store.collection(spec.commandLine());
        IndexHome home = store.home(context.env());
        Path dir = home.collectionDir(collection);
        if (!Files.isDirectory(dir)) {
            throw StoreOptions.noCollection(collection, home);
        }
        long bytes = CollectionFiles.diskBytes(dir);
        // Holding the lock means no index run is writing while the files go.
        try (CollectionLock lock = CollectionLock.acquire(dir, collection)) {
            CollectionFiles.deleteContents(dir);
        }
        Files.deleteIfExists(dir.resolve(CollectionLock.FILE_NAME));
        Files.deleteIfExists(dir);
        context.out().println("Dropped collection '" + collection + "' (" + ByteSize.format(bytes) + " freed).");
        context.out().flush();
        return ExitCodes.OK;
    }
}
