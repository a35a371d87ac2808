package dev.indexer.cli;

import dev.indexer.chunk.FileChunker;
import dev.indexer.config.ByteSize;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexerConfig;
import dev.indexer.embed.LazyEmbedder;
import dev.indexer.embed.ModelSpec;
import dev.indexer.embed.djl.DjlEmbedder;
import dev.indexer.pipeline.IndexPipeline;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.pipeline.RunSummary;
import dev.indexer.state.CollectionLock;
import dev.indexer.state.Manifest;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.local.LuceneStore;
import dev.indexer.walk.ContentSniffer;
import dev.indexer.walk.WalkOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "index", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Walk PATH, cut its text files into chunks, embed them and store them in a collection.",
            "Reruns are incremental: unchanged files are not read, changed ones are replaced,",
            "deleted ones leave the collection, and an interrupted run continues where it stopped."})
final class IndexCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "The directory to index.")
    Path path;

    @Mixin
    StoreOptions store;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + IndexerConfig.DEFAULT_BATCH_SIZE,
            description = "Files per batch: chunks are embedded and written batch by batch. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--max-file-size", paramLabel = "SIZE", defaultValue = IndexerConfig.DEFAULT_MAX_FILE_SIZE,
            converter = Converters.Size.class,
            description = "Skip larger files (checked before reading), e.g. 512k, 5MB, 1g. Default: ${DEFAULT-VALUE}.")
    ByteSize maxFileSize;

    @Option(names = "--max-files", paramLabel = "N",
            description = "Index at most N new or changed files, then stop and say how many remain;"
                    + " run again to continue. Default: no limit.")
    Long maxFiles;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = IndexerConfig.DEFAULT_MODEL,
            converter = Converters.Model.class, completionCandidates = Converters.ModelIds.class,
            description = "Embedding model: ${COMPLETION-CANDIDATES}. bge-small is better on code, minilm faster."
                    + " Default: ${DEFAULT-VALUE}.")
    ModelSpec model;

    @Option(names = "--reindex", description = "Drop what the collection holds and build it again from scratch"
            + " (needed to change the model).")
    boolean reindex;

    @Option(names = "--commit-interval", paramLabel = "TIME", defaultValue = IndexerConfig.DEFAULT_COMMIT_INTERVAL,
            converter = DurationConverter.class,
            description = "Commit at batch ends at most this often; a crash loses at most this much work."
                    + " Default: ${DEFAULT-VALUE}.")
    Duration commitInterval;

    @Option(names = "--max-memory", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "Memory budget for the whole process (heap and native), e.g. 512m, 1g: sizes model calls,"
                    + " queues and buffers to fit, and refuses up front if it cannot work. scripts/indexer derives"
                    + " the heap from it. Default: 4 times the JVM's heap limit.")
    ByteSize maxMemory;

    @Option(names = "--follow-symlinks", description = "Follow symbolic links (loops are detected and skipped).")
    boolean followSymlinks;

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
            EstimateCommand.estimate(context, config.root(), config.walkOptions(), config.model(), config.memory(), home,
                    json);
            return ExitCodes.OK;
        }
        Path collectionDir = home.collectionDir(config.collection());
        CollectionInfo info = new CollectionInfo(
                config.collection(), config.model().id(), config.model().dimension(), config.root().toString());
        try (CollectionLock lock = CollectionLock.acquire(collectionDir, config.collection())) {
            if (reindex) {
                CollectionFiles.deleteContents(collectionDir);
            }
            try (Manifest manifest = Manifest.open(collectionDir.resolve(Manifest.FILE_NAME));
                    LuceneStore lucene = openStore(manifest, config, info, home, config.memory().luceneBufferMB());
                    LazyEmbedder embedder = new LazyEmbedder(config.model(), IndexerConfig.CHUNK_TOKENS,
                            () -> DjlEmbedder.open(config.model(), IndexerConfig.CHUNK_TOKENS, config.threads(),
                                    home.dir()))) {
                manifest.putMeta(config.walkSettings());
                FileChunker chunker = new FileChunker(
                        config.chunkingOptions(embedder.specialTokens()), embedder.tokenCounter());
                ProgressListener progress = quiet ? ProgressListener.NONE : ConsoleProgress.create(context);
                IndexPipeline pipeline = new IndexPipeline(
                        config.root(),
                        config.walkOptions(),
                        new ContentSniffer(IndexerConfig.MAX_LINE_LENGTH),
                        chunker,
                        embedder,
                        lucene,
                        manifest,
                        config.pipelineSettings(),
                        progress);
                RunSummary summary = pipeline.run();
                if (json) {
                    ReportPrinter.json(context.out(), config.collection(), config.model().id(), summary);
                } else {
                    String header = "Indexed " + config.root() + " into collection '" + config.collection()
                            + "' (model " + config.model().id() + ", embedded store at " + home.luceneDir(config.collection())
                            + ")";
                    ReportPrinter.text(context.out(), header, summary);
                }
            }
        }
        return ExitCodes.OK;
    }

    private LuceneStore openStore(
            Manifest manifest, IndexerConfig config, CollectionInfo info, IndexHome home, int bufferMB) {
        manifest.requireSettings(config.collection(), config.collectionSettings());
        LuceneStore lucene = LuceneStore.openForWriting(home.luceneDir(config.collection()), info, bufferMB);
        lucene.previous()
                .filter(before -> !before.root().equals(info.root()))
                .ifPresent(before -> context.err().println("indexer: note: collection '" + info.name()
                        + "' was indexed from " + before.root() + "; it now follows " + info.root() + "."));
        return lucene;
    }

    private IndexerConfig config() {
        CommandLine commandLine = spec.commandLine();
        if (!Files.isDirectory(path)) {
            throw new CommandLine.ParameterException(commandLine,
                    "PATH: " + path + (Files.exists(path) ? " is not a directory" : " does not exist"));
        }
        try {
            return new IndexerConfig(
                    path.toAbsolutePath().normalize(),
                    store.collection(commandLine),
                    store.home(context.env()),
                    model,
                    batchSize,
                    maxFileSize.bytes(),
                    maxFiles == null ? Long.MAX_VALUE : maxFiles,
                    followSymlinks ? WalkOptions.SymlinkPolicy.FOLLOW : WalkOptions.SymlinkPolicy.SKIP,
                    Runtime.getRuntime().availableProcessors(),
                    commitInterval,
                    MemoryPreflight.plan(Optional.ofNullable(maxMemory), model));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }
}
