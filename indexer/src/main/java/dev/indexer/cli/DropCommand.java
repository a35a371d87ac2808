package dev.indexer.cli;

import dev.indexer.IndexerException;
import dev.indexer.config.ByteSize;
import dev.indexer.store.qdrant.QdrantStore;
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
    public Integer call() throws IOException {
        String collection = store.collection(spec.commandLine());
        IndexHome home = store.home(context.env());
        Path dir = home.collectionDir(collection);
        StoreTarget target = StoreTarget.of(qdrant, home, context, spec.commandLine());
        boolean local = Files.isDirectory(dir);
        if (!local && target instanceof StoreTarget.Embedded) {
            throw StoreOptions.noCollection(collection, home);
        }
        long bytes = local ? CollectionFiles.diskBytes(dir) : 0;
        boolean remote = false;
        // Holding the lock means no index run on this machine writes while the collection goes.
        try (CollectionLock lock = local ? CollectionLock.acquire(dir, collection) : null) {
            if (target instanceof StoreTarget.Qdrant q) {
                remote = QdrantStore.drop(QdrantStore.connect(q.settings()), q.settings(), collection);
            }
            if (local) {
                CollectionFiles.deleteContents(dir);
            }
        }
        if (local) {
            Files.deleteIfExists(dir.resolve(CollectionLock.FILE_NAME));
            Files.deleteIfExists(dir);
        }
        if (target instanceof StoreTarget.Qdrant q) {
            if (!remote && !local) {
                throw new IndexerException("There is no collection '" + collection + "' in Qdrant at "
                        + q.settings().address() + " nor in " + home.dir() + "; nothing was dropped.");
            }
            context.out().println("Dropped " + (remote ? target.describe(collection) : "nothing in Qdrant")
                    + (local ? " and the manifest in " + dir : "") + ".");
        } else {
            context.out().println("Dropped collection '" + collection + "' (" + ByteSize.format(bytes) + " freed).");
        }
        context.out().flush();
        return ExitCodes.OK;
    }
}
