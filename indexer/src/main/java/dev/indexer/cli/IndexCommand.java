package dev.indexer.cli;

import dev.indexer.chunk.FileChunker;
import dev.indexer.config.ByteSize;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexerConfig;
import dev.indexer.embed.ModelSpec;
import dev.indexer.embed.djl.DjlEmbedder;
import dev.indexer.pipeline.IndexPipeline;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.pipeline.RunSummary;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.local.LuceneStore;
import dev.indexer.walk.ContentSniffer;
import dev.indexer.walk.WalkOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "index", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Walk PATH, cut its text files into chunks, embed them and store them in a collection.")
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
            description = "Stop after N files and report whether more remain. Default: no limit.")
    Long maxFiles;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = IndexerConfig.DEFAULT_MODEL, converter = Converters.Model.class,
            completionCandidates = Converters.ModelIds.class,
            description = "Embedding model: ${COMPLETION-CANDIDATES}. bge-small is better on code, minilm faster."
                    + " Default: ${DEFAULT-VALUE}.")
    ModelSpec model;

    @Option(names = "--follow-symlinks", description = "Follow symbolic links (loops are detected and skipped).")
    boolean followSymlinks;

    @Option(names = "--json", description = "Print the final report as JSON.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress display.")
    boolean quiet;

    IndexCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        IndexerConfig config = config();
        IndexHome home = config.home();
        Files.createDirectories(home.dir());
        Path indexDir = home.collectionDir(config.collection()).resolve("lucene");
        CollectionInfo info = new CollectionInfo(
                config.collection(), config.model().id(), config.model().dimension(), config.root().toString());
        try (LuceneStore lucene = LuceneStore.openForWriting(indexDir, info);
                DjlEmbedder embedder = DjlEmbedder.open(
                        config.model(), IndexerConfig.CHUNK_TOKENS, config.threads(), home.dir())) {
            lucene.previous()
                    .filter(before -> !before.root().equals(info.root()))
                    .ifPresent(before -> context.err().println("indexer: note: collection '" + info.name()
                            + "' was indexed from " + before.root() + "; it now follows " + info.root() + "."));
            FileChunker chunker = new FileChunker(config.chunkingOptions(embedder.specialTokens()), embedder.tokenCounter());
            ProgressListener progress = quiet ? ProgressListener.NONE : ConsoleProgress.create(context);
            IndexPipeline pipeline = new IndexPipeline(
                    config.root(),
                    config.walkOptions(),
                    new ContentSniffer(IndexerConfig.MAX_LINE_LENGTH),
                    chunker,
                    embedder,
                    lucene,
                    config.pipelineSettings(),
                    progress);
            RunSummary summary = pipeline.run();
            if (json) {
                ReportPrinter.json(context.out(), config.collection(), config.model().id(), summary);
            } else {
                String header = "Indexed " + config.root() + " into collection '" + config.collection() + "' (model "
                        + config.model().id() + ", embedded store at " + indexDir + ")";
                ReportPrinter.text(context.out(), header, summary, config.maxFiles());
            }
        }
        return ExitCodes.OK;
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
                    Runtime.getRuntime().availableProcessors());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }
}
