package dev.indexer.engine;

import dev.indexer.IndexerException;
import dev.indexer.chunk.ChunkingOptions;
import dev.indexer.config.ByteSize;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.Defaults;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.Rebuild;
import dev.indexer.config.ResidentMemory;
import dev.indexer.embed.Embedder;
import dev.indexer.embed.EmbedderFactory;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.pipeline.Estimate;
import dev.indexer.state.CollectionFiles;
import dev.indexer.state.Manifest;
import dev.indexer.store.StoreTarget;
import dev.indexer.walk.ContentSniffer;
import dev.indexer.walk.WalkOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The indexer as a library: the collections of one index home, in one kind of store. The command
 * line, the MCP server, the benchmark harnesses and the tests all go through here, the same way:
 * open a collection's {@link CollectionReader} to search it and ask its status, or its
 * {@link CollectionWriter} to index it; estimate a tree; drop a collection.
 *
 * <p>Holds no resources itself; each reader and writer it opens holds its own.
 */
public final class Engine {
    private final Workspace workspace;

    /**
     * @param home where collections, models and caches live
     * @param target where chunks live: the embedded store or a Qdrant server
     * @param memory how the memory budget is spent (model calls, queues)
     * @param threads threads the model may use
     * @param embedders how models are loaded
     */
    public Engine(IndexHome home, StoreTarget target, MemoryBudget memory, int threads, EmbedderFactory embedders) {
        this(new Workspace(home, target, memory, threads, embedders, UnaryOperator.identity()));
    }

    private Engine(Workspace workspace) {
        this.workspace = workspace;
    }

    /**
     * This engine cutting files as {@code adjust} makes of the chunker's options: for the
     * evaluation, which compares ways of cutting code on collections of its own. A collection
     * records only its chunker kind, so one must be built and searched by the same engine.
     */
    public Engine withChunking(UnaryOperator<ChunkingOptions> adjust) {
        Workspace w = workspace;
        return new Engine(new Workspace(w.home(), w.target(), w.memory(), w.threads(), w.embedders(), adjust));
    }

    /** The real models, as many threads as there are cores. */
    public static Engine standard(IndexHome home, StoreTarget target, MemoryBudget memory) {
        return new Engine(home, target, memory, Runtime.getRuntime().availableProcessors(),
                OnnxEmbedder.factory(home.dir()));
    }

    /** For commands that only read: search, status, drop. */
    public static Engine forReading(IndexHome home, StoreTarget target) {
        return standard(home, target, MemoryBudget.forReading(Runtime.getRuntime().maxMemory()));
    }

    public StoreTarget target() {
        return workspace.target();
    }

    /** The directory on this machine that holds collection {@code name}'s manifest and lock (and, in the embedded store, its index). */
    public Path collectionDir(String name) {
        CollectionSpec.checkName(name);
        return workspace.home().collectionDir(name);
    }

    /**
     * Opens a collection for searching and status. Nothing is read until asked.
     *
     * @throws IllegalArgumentException if the name is not a valid collection name
     */
    public CollectionReader openReader(String name) {
        CollectionSpec.checkName(name);
        return new CollectionReader(workspace, name, new StoredState(workspace, name));
    }

    /**
     * Opens a collection for writing, creating it if needed, and takes its writer's lock for as
     * long as it stays open: no other process writes it meanwhile.
     *
     * @param spec what the collection is built with
     * @param rebuild whether what it holds is dropped first ({@code --reindex}, the way to change the model)
     * @throws IndexerException if another process writes it, or the index home cannot be made
     */
    public CollectionWriter openWriter(String name, CollectionSpec spec, Rebuild rebuild) {
        CollectionSpec.checkName(name);
        try {
            workspace.home().mark();
        } catch (IOException e) {
            throw new IndexerException("Could not create the index home " + workspace.home().dir() + " ("
                    + e.getMessage() + "); check that it is writable, or choose another with --index-dir.", e);
        }
        return new CollectionWriter(workspace, name, spec, rebuild);
    }

    /**
     * Removes a collection: its chunks in the store, and its directory here (manifest, lock).
     *
     * @throws IndexerException if there is no such collection, or another process writes it
     */
    public DropResult drop(String name) {
        CollectionSpec.checkName(name);
        Path dir = workspace.home().collectionDir(name);
        boolean local = Files.isDirectory(dir);
        if (!local && workspace.target().local()) {
            throw workspace.noCollection(name);
        }
        try {
            long bytes = local ? CollectionFiles.diskBytes(dir) : 0;
            boolean stored;
            // Holding the lock means no index run on this machine writes while the collection goes.
            try (CollectionLock lock = local ? CollectionLock.acquire(dir, name) : null) {
                stored = workspace.target().drop(name);
                if (local) {
                    CollectionFiles.deleteContents(dir);
                }
            }
            if (local) {
                Files.deleteIfExists(dir.resolve(CollectionFiles.SEARCH_SOCKET)); // a dead server's: the lock was free
                Files.deleteIfExists(dir.resolve(CollectionLock.FILE_NAME));
                Files.deleteIfExists(dir);
            }
            if (!stored && !local) {
                throw new IndexerException("There is no collection '" + name + "' in " + workspace.target().storeName() + " at "
                        + workspace.target().location(name) + " nor in " + workspace.home().dir() + "; nothing was dropped.");
            }
            String message = workspace.target().local()
                    ? "Dropped collection '" + name + "' (" + ByteSize.format(bytes) + " freed)."
                    : "Dropped " + (stored ? workspace.target().describe(name) : "nothing in " + workspace.target().storeName())
                            + (local ? " and the manifest in " + dir : "") + ".";
            return new DropResult(stored, local, bytes, message);
        } catch (IOException | UncheckedIOException e) {
            String why = e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
            throw new IndexerException("Could not remove " + dir + " (" + why + "); check its permissions.", e);
        }
    }

    /**
     * What indexing {@code root} would take, without embedding or writing anything: every file is
     * walked and read, a sample is chunked and a few chunks embedded to time the model.
     */
    public Estimate estimate(Path root, IndexOptions options, CollectionSpec spec) {
        try (Embedder embedder = workspace.embedders().open(spec.model(), Defaults.MODEL_INPUT_TOKENS,
                workspace.threads())) {
            return Estimate.measure(root.toAbsolutePath().normalize(), workspace.walkOptions(options),
                    new ContentSniffer(Defaults.MAX_LINE_LENGTH), workspace.chunking(spec), embedder,
                    workspace.memory().embedBatchTokens());
        }
    }

    /** Every collection whose manifest is in this index home, by name, from the manifests alone. */
    public List<CollectionSummary> collections() {
        Path dir = workspace.home().collectionsDir();
        List<CollectionSummary> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path collection : entries.sorted().toList()) {
                Path file = collection.resolve(Manifest.FILE_NAME);
                if (!Manifest.exists(file)) {
                    continue;
                }
                try (Manifest manifest = Manifest.openForReading(file)) {
                    Map<String, String> meta = manifest.meta();
                    Manifest.Totals totals = manifest.totals();
                    found.add(new CollectionSummary(collection.getFileName().toString(),
                            meta.getOrDefault("store", "embedded"), meta.getOrDefault("model", "?"),
                            meta.getOrDefault("root", ""), totals.indexedFiles(), totals.chunks(),
                            RunLiveness.outcome(meta)));
                }
            }
        } catch (IOException e) {
            throw new IndexerException("Could not list the collections in " + dir + " (" + e.getMessage() + ").", e);
        }
        return found;
    }

    /** How the walker walks for these options: the index home is always left out. */
    public WalkOptions walkOptions(IndexOptions options) {
        return workspace.walkOptions(options);
    }

    /**
     * What dropping a collection removed.
     *
     * @param storeDropped whether the store held the collection (the embedded index, or the server's collection)
     * @param localDropped whether this machine had its directory (manifest, lock, embedded index)
     * @param bytesFreed the size of that directory
     * @param message one sentence for people saying what went
     */
    /**
     * The server ({@code mcp} or {@code serve}) that keeps collection {@code name} current on this
     * machine, and its resident memory, split as {@link ResidentMemory} splits it; empty when none
     * runs. Reads what the server wrote next to its lock; no lock is tried.
     */
    public Optional<Server> server(String name) {
        return CollectionLock.server(workspace.home().collectionDir(name))
                .map(pid -> new Server(pid, ResidentMemory.ofProcess(pid)));
    }

    /**
     * A running server of a collection.
     *
     * @param memory empty when its {@code /proc} entry cannot be read (another user's process)
     */
    public record Server(long pid, Optional<ResidentMemory> memory) {}

    public record DropResult(boolean storeDropped, boolean localDropped, long bytesFreed, String message) {}

    /**
     * One line of the list of an index home's collections, from its manifest alone.
     *
     * @param store the kind of store it was built in ({@code embedded}, {@code qdrant})
     * @param root the tree it follows
     * @param lastRunOutcome how its last run ended
     */
    public record CollectionSummary(String name, String store, String model, String root, long files, long chunks,
            String lastRunOutcome) {}
}
