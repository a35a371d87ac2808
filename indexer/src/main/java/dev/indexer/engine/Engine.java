package dev.indexer.engine;

import dev.indexer.IndexerException;
import dev.indexer.chunk.ChunkingOptions;
import dev.indexer.chunk.syntax.TreeSitterNatives;
import dev.indexer.config.ByteSize;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.Defaults;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.Rebuild;
import dev.indexer.config.RepoName;
import dev.indexer.config.ResidentMemory;
import dev.indexer.embed.Embedder;
import dev.indexer.embed.EmbedderFactory;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.pipeline.Estimate;
import dev.indexer.state.CollectionFiles;
import dev.indexer.state.Manifest;
import dev.indexer.state.SqliteNatives;
import dev.indexer.store.RepoScope;
import dev.indexer.store.RepoSummary;
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
        useNativesOf(home);
    }

    /**
     * SQLite's and tree-sitter's native libraries from an index home that exists (a writer makes
     * its home first), not copied into the temporary directory by every process, where a killed
     * process leaves its copies behind.
     */
    private static void useNativesOf(IndexHome home) {
        if (Files.isRegularFile(home.dir().resolve(IndexHome.MARKER))) {
            SqliteNatives.useUnpacked(home.dir());
            TreeSitterNatives.useUnpacked(home.dir());
        }
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

    /**
     * The real models, as many threads as there are cores, as many model calls at once as shipped
     * ({@link Defaults#modelCalls}) where {@code memory}'s tokens give each a full-length input, else fewer.
     */
    public static Engine standard(IndexHome home, StoreTarget target, MemoryBudget memory) {
        int cores = Runtime.getRuntime().availableProcessors();
        return standard(home, target, memory, memory.callsAtMost(Defaults.modelCalls(cores)));
    }

    /**
     * The real models, as many threads as there are cores, shared by {@code modelCalls} calls that
     * run at once (each call's share of the token budget shrinks to match, so activations stay as
     * for one call; the runtime itself needs about 20 MB more for each further call:
     * {@link OnnxEmbedder.Tuning#calls}).
     */
    public static Engine standard(IndexHome home, StoreTarget target, MemoryBudget memory, int modelCalls) {
        return new Engine(home, target, memory, Runtime.getRuntime().availableProcessors(),
                OnnxEmbedder.factory(home.dir(), modelCalls));
    }

    /** For commands that only read: search, status, drop. */
    public static Engine forReading(IndexHome home, StoreTarget target) {
        return standard(home, target, MemoryBudget.forReading(Runtime.getRuntime().maxMemory()));
    }

    public StoreTarget target() {
        return workspace.target();
    }

    /**
     * The directory on this machine that holds repository {@code repo}'s manifest and lock in
     * collection {@code name} (and, in the embedded store, its index).
     */
    public Path repoDir(String name, String repo) {
        CollectionSpec.checkName(name);
        return workspace.home().repoDir(name, repo);
    }

    /**
     * Opens a collection for searching, and for the status of its one repository when it has one
     * here. Nothing is read until asked.
     *
     * @throws IllegalArgumentException if the name is not a valid collection name
     */
    public CollectionReader openReader(String name) {
        return openReader(name, RepoScope.ALL);
    }

    /**
     * Opens repositories of a collection for searching ({@link RepoScope#ALL}: every one it has).
     * The reader also has the status, definitions and references of a repository here when the
     * scope names one, or is all and this machine has one repository of the collection.
     *
     * @throws IllegalArgumentException if the name is not a valid collection name, or a repository's is not valid
     */
    public CollectionReader openReader(String name, RepoScope scope) {
        CollectionSpec.checkName(name);
        scope.names().forEach(RepoName::new);
        Optional<String> own = scope.names().size() == 1 ? Optional.of(scope.names().get(0))
                : scope.all() ? soleRepoHere(name) : Optional.empty();
        return new CollectionReader(workspace, name, own, new StoredState(workspace, name, scope, own));
    }

    /** The collection's repository on this machine when it has exactly one here. */
    private Optional<String> soleRepoHere(String name) {
        java.util.Set<String> here = workspace.home().repos(name).keySet();
        return here.size() == 1 ? Optional.of(here.iterator().next()) : Optional.empty();
    }

    /**
     * The repositories of a collection, from the store (its counts and the runs it recorded).
     *
     * @throws IndexerException if there is no such collection
     */
    public List<RepoSummary> repos(String name) {
        CollectionSpec.checkName(name);
        workspace.checkLayout(name);
        if (workspace.target().local() && workspace.home().repos(name).isEmpty()) {
            throw workspace.noCollection(name);
        }
        return workspace.target().repos(name);
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
        return openWriter(name, name, spec, rebuild);
    }

    /**
     * Opens repository {@code repo} of a collection for writing, creating either if needed, and
     * takes the repository's writer's lock for as long as it stays open: other repositories of the
     * collection may be written meanwhile, by this process or others.
     *
     * @param rebuild whether what the repository holds is dropped first ({@code --reindex}); a
     *     collection made before collections held repositories must be
     * @throws IndexerException if another process writes the repository, the index home cannot be
     *     made, the collection is of an earlier version (and no rebuild asked), or the collection's
     *     other repositories here were embedded with another model
     */
    public CollectionWriter openWriter(String name, String repo, CollectionSpec spec, Rebuild rebuild) {
        CollectionSpec.checkName(name);
        new RepoName(repo);
        IndexHome home = workspace.home();
        try {
            home.mark();
            useNativesOf(home);
            if (home.oldLayout(name)) {
                if (rebuild != Rebuild.NOW) {
                    workspace.checkLayout(name);
                }
                clearOldLayout(name);
            }
            checkModel(name, repo, spec);
        } catch (IOException e) {
            throw new IndexerException("Could not create the index home " + home.dir() + " ("
                    + e.getMessage() + "); check that it is writable, or choose another with --index-dir.", e);
        }
        return new CollectionWriter(workspace, name, repo, spec, rebuild);
    }

    /**
     * Empties a collection's directory of an earlier version's files (its manifest, index, lock),
     * under that version's lock: a run of it still going keeps them.
     */
    private void clearOldLayout(String name) throws IOException {
        Path dir = workspace.home().collectionDir(name);
        try (CollectionLock lock = CollectionLock.acquire(dir, name)) {
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path entry : entries.toList()) {
                    if (!entry.getFileName().toString().equals(IndexHome.REPOS)
                            && !entry.getFileName().toString().equals(CollectionLock.FILE_NAME)) {
                        if (Files.isDirectory(entry)) {
                            CollectionFiles.deleteContents(entry);
                        }
                        Files.deleteIfExists(entry);
                    }
                }
            }
        }
        Files.deleteIfExists(dir.resolve(CollectionLock.FILE_NAME));
    }

    /**
     * The embedded store searches a collection's repositories with one query vector, so all must be
     * embedded by one model (a Qdrant collection checks its own).
     */
    private void checkModel(String name, String repo, CollectionSpec spec) {
        if (!workspace.target().local()) {
            return;
        }
        workspace.home().repos(name).forEach((other, dir) -> {
            Path file = dir.resolve(Manifest.FILE_NAME);
            if (!other.equals(repo) && Manifest.exists(file)) {
                try (Manifest manifest = Manifest.openForReading(file)) {
                    String model = manifest.meta().getOrDefault("model", spec.model().id());
                    if (!model.equals(spec.model().id())) {
                        throw new IndexerException("Collection '" + name + "' holds repository '" + other
                                + "' embedded with model " + model + ", not " + spec.model().id() + "; one collection"
                                + " is searched with one model: use --model " + model + ", or another --collection.");
                    }
                }
            }
        });
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
            // Holding every repository's lock means no index run on this machine writes while the collection goes.
            List<CollectionLock> locks = new ArrayList<>();
            try {
                for (Path repoDir : workspace.home().repos(name).values()) {
                    locks.add(CollectionLock.acquire(repoDir, name));
                }
                if (local && workspace.home().oldLayout(name)) {
                    locks.add(CollectionLock.acquire(dir, name));
                }
                stored = workspace.target().drop(name);
                for (Path repoDir : workspace.home().repos(name).values()) {
                    CollectionFiles.deleteContents(repoDir);
                }
                if (local) {
                    CollectionFiles.deleteContents(dir);
                }
            } finally {
                locks.forEach(CollectionLock::close);
            }
            if (local) {
                deleteLeftovers(dir);
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
     * Removes one repository of a collection: its chunks in the store (the collection's other
     * repositories keep theirs), and its directory here.
     *
     * @throws IndexerException if the collection has no such repository, or another process writes it
     */
    public DropResult dropRepo(String name, String repo) {
        CollectionSpec.checkName(name);
        new RepoName(repo);
        workspace.checkLayout(name);
        Path dir = workspace.home().repoDir(name, repo);
        boolean local = Files.isDirectory(dir);
        try {
            long bytes = local ? CollectionFiles.diskBytes(dir) : 0;
            boolean stored;
            try (CollectionLock lock = local ? CollectionLock.acquire(dir, name) : null) {
                stored = workspace.target().dropRepo(name, repo);
                if (local) {
                    CollectionFiles.deleteContents(dir);
                }
            }
            if (local) {
                deleteLeftovers(dir);
            }
            if (!stored && !local) {
                List<String> known = workspace.target().local() ? List.copyOf(workspace.home().repos(name).keySet())
                        : workspace.target().exists(name)
                                ? workspace.target().repos(name).stream().map(RepoSummary::name).toList() : List.of();
                throw new IndexerException(RepoScope.noSuch(name, List.of(repo), known) + "; nothing was dropped.");
            }
            String message = "Dropped repository '" + repo + "' of collection '" + name + "'"
                    + (workspace.target().local() ? " (" + ByteSize.format(bytes) + " freed)."
                            : " from " + workspace.target().describe(name)
                                    + (local ? " and its manifest in " + dir : "")
                                    + "; the collection's other repositories are kept.");
            return new DropResult(stored, local, bytes, message);
        } catch (IOException | UncheckedIOException e) {
            String why = e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
            throw new IndexerException("Could not remove " + dir + " (" + why + "); check its permissions.", e);
        }
    }

    /** A directory emptied under its lock: the lock file, a dead server's socket, then the directory. */
    private static void deleteLeftovers(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(CollectionFiles.SEARCH_SOCKET)); // a dead server's: the lock was free
        Files.deleteIfExists(dir.resolve(CollectionLock.FILE_NAME));
        Files.deleteIfExists(dir);
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
                String name = collection.getFileName().toString();
                Map<String, Path> repos = new java.util.LinkedHashMap<>();
                try {
                    CollectionSpec.checkName(name);
                    repos.putAll(workspace.home().repos(name));
                } catch (IllegalArgumentException e) {
                    continue; // not a collection's directory
                }
                if (Manifest.exists(collection.resolve(Manifest.FILE_NAME))) {
                    repos.put("", collection); // an earlier version's: listed so that it can be found and rebuilt
                }
                for (Map.Entry<String, Path> repo : repos.entrySet()) {
                    Path file = repo.getValue().resolve(Manifest.FILE_NAME);
                    if (!Manifest.exists(file)) {
                        continue;
                    }
                    try (Manifest manifest = Manifest.openForReading(file)) {
                        Map<String, String> meta = manifest.meta();
                        Manifest.Totals totals = manifest.totals();
                        found.add(new CollectionSummary(name, repo.getKey(), meta.getOrDefault("store", "embedded"),
                                meta.getOrDefault("model", "?"), meta.getOrDefault("root", ""), totals.indexedFiles(),
                                totals.chunks(), RunLiveness.outcome(meta)));
                    } catch (IndexerException e) {
                        // listed all the same: the list is how one finds what to rebuild or drop
                        found.add(new CollectionSummary(name, repo.getKey(), "?", "?", "", 0, 0,
                                "manifest unreadable: " + e.getMessage()));
                    }
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
     * The server ({@code mcp} or {@code serve}) that keeps repository {@code repo} of collection
     * {@code name} current on this machine, and its resident memory, split as {@link ResidentMemory}
     * splits it; empty when none runs. Reads what the server wrote next to its lock; no lock is tried.
     */
    public Optional<Server> server(String name, String repo) {
        return CollectionLock.server(workspace.home().repoDir(name, repo))
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
     * One line of the list of an index home's collections: a repository of one, from its manifest alone.
     *
     * @param repo the repository; empty for a collection of an earlier version (to be rebuilt)
     * @param store the kind of store it was built in ({@code embedded}, {@code qdrant})
     * @param root the tree it follows
     * @param lastRunOutcome how its last run ended
     */
    public record CollectionSummary(String name, String repo, String store, String model, String root, long files,
            long chunks, String lastRunOutcome) {}
}
