package dev.indexer.cli;

import dev.indexer.chunk.FileChunker;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexerConfig;
import dev.indexer.embed.LazyEmbedder;
import dev.indexer.embed.djl.DjlEmbedder;
import dev.indexer.pipeline.IndexPipeline;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.pipeline.RunSummary;
import dev.indexer.state.CollectionLock;
import dev.indexer.state.Manifest;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.VectorStore;
import dev.indexer.store.local.LuceneStore;
import dev.indexer.store.qdrant.QdrantStore;
import dev.indexer.walk.ContentSniffer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "index", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Walk PATH, cut its text files into chunks, embed them and store them in a collection.",
            "Reruns are incremental: unchanged files are not read, changed ones are replaced,",
            "deleted ones leave the collection, and an interrupted run continues where it stopped."})
final class IndexCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    TreeOptions tree;

    @Mixin
    StoreOptions store;

    @Mixin
    QdrantOptions qdrant;

    @Mixin
    QdrantCollectionOptions qdrantCollection;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + IndexerConfig.DEFAULT_BATCH_SIZE,
            description = "Files per batch: chunks are embedded and written batch by batch. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--max-files", paramLabel = "N",
            description = "Index at most N new or changed files, then stop and say how many remain;"
                    + " run again to continue. Default: no limit.")
    Long maxFiles;

    @Option(names = "--reindex", description = "Drop what the collection holds and build it again from scratch"
            + " (needed to change the model).")
    boolean reindex;

    @Option(names = "--commit-interval", paramLabel = "TIME", defaultValue = IndexerConfig.DEFAULT_COMMIT_INTERVAL,
            converter = DurationConverter.class,
            description = "Commit at batch ends at most this often; a crash loses at most this much work."
                    + " Default: ${DEFAULT-VALUE}.")
    Duration commitInterval;

    @Option(names = "--dry-run", description = "Estimate instead of indexing: walk and read everything, embed only a"
            + " sample, write nothing (the same as the estimate command).")
    boolean dryRun;

    @Option(names = "--json", description = "Print the final report as JSON.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress display.")
    boolean quiet;

    IndexCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        IndexerConfig config = config();
        IndexHome home = config.home();
        if (dryRun) {
            EstimateCommand.estimate(context, config.root(), config.walkOptions(), config.model(), config.chunker(),
                    config.memory(), home, json);
            return ExitCodes.OK;
        }
        Path collectionDir = home.collectionDir(config.collection());
        CollectionInfo info = new CollectionInfo(
                config.collection(), config.model().id(), config.model().dimension(), config.root().toString());
        StoreTarget target = target(home);
        try (CollectionLock lock = CollectionLock.acquire(collectionDir, config.collection())) {
            if (reindex) {
                CollectionFiles.deleteContents(collectionDir);
            }
            try (Manifest manifest = Manifest.open(collectionDir.resolve(Manifest.FILE_NAME));
                    VectorStore vectors = openStore(target, manifest, config, info);
                    LazyEmbedder embedder = new LazyEmbedder(config.model(), IndexerConfig.CHUNK_TOKENS,
                            () -> DjlEmbedder.open(config.model(), IndexerConfig.CHUNK_TOKENS, config.threads(),
                                    home.dir()))) {
                manifest.putMeta(config.walkSettings());
                FileChunker chunker = new FileChunker(
                        IndexerConfig.chunkingOptions(config.model(), config.chunker()), embedder.tokenCounter());
                ProgressListener progress = quiet ? ProgressListener.NONE : ConsoleProgress.create(context);
                IndexPipeline pipeline = new IndexPipeline(
                        config.root(),
                        config.walkOptions(),
                        new ContentSniffer(IndexerConfig.MAX_LINE_LENGTH),
                        chunker,
                        embedder,
                        vectors,
                        manifest,
                        config.pipelineSettings(),
                        progress);
                RunSummary summary = pipeline.run();
                if (json) {
                    ReportPrinter.json(context.out(), config.collection(), config.model().id(), summary);
                } else {
                    String header = "Indexed " + config.root() + " into collection '" + config.collection()
                            + "' (model " + config.model().id() + ", " + target.describe(config.collection()) + ")";
                    ReportPrinter.text(context.out(), header, summary);
                }
            }
        }
        return ExitCodes.OK;
    }

    private StoreTarget target(IndexHome home) {
        StoreTarget target = StoreTarget.of(qdrant, home, context, spec.commandLine());
        if (target instanceof StoreTarget.Qdrant q) {
            return new StoreTarget.Qdrant(qdrantCollection.apply(q.settings(), spec.commandLine()));
        }
        if (qdrantCollection.anySet()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "the Qdrant collection options need a Qdrant"
                    + " server: give --qdrant-url or set " + QdrantOptions.URL_ENV);
        }
        return target;
    }

    private VectorStore openStore(StoreTarget target, Manifest manifest, IndexerConfig config, CollectionInfo info) {
        Map<String, String> settings = new HashMap<>(config.collectionSettings());
        settings.put("store", target.kind());
        manifest.requireSettings(config.collection(), settings);
        Optional<CollectionInfo> previous;
        VectorStore opened;
        if (target instanceof StoreTarget.Qdrant q) {
            QdrantStore qdrantStore = QdrantStore.openForWriting(QdrantStore.connect(q.settings()), q.settings(), info,
                    reindex);
            if (qdrantStore.created() && manifest.totals().files() > 0) {
                // The manifest speaks of points this collection does not have: start over.
                manifest.forgetFiles();
                context.err().println("indexer: note: " + target.describe(info.name())
                        + " did not exist; indexing every file again.");
            }
            previous = qdrantStore.previous();
            opened = qdrantStore;
        } else {
            LuceneStore lucene = LuceneStore.openForWriting(
                    config.home().luceneDir(config.collection()), info, config.memory().luceneBufferMB());
            previous = lucene.previous();
            opened = lucene;
        }
        previous.filter(before -> !before.root().equals(info.root()))
                .ifPresent(before -> context.err().println("indexer: note: collection '" + info.name()
                        + "' was indexed from " + before.root() + "; it now follows " + info.root() + "."));
        return opened;
    }

    private IndexerConfig config() {
        CommandLine commandLine = spec.commandLine();
        Path root = tree.root(commandLine);
        try {
            return new IndexerConfig(
                    root,
                    store.collection(commandLine),
                    store.home(context.env()),
                    tree.model,
                    batchSize,
                    tree.maxFileSize.bytes(),
                    maxFiles == null ? Long.MAX_VALUE : maxFiles,
                    tree.symlinks(),
                    Runtime.getRuntime().availableProcessors(),
                    commitInterval,
                    tree.memory(),
                    tree.chunker(commandLine));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }
}
