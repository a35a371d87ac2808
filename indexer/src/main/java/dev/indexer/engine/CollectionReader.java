package dev.indexer.engine;

import dev.indexer.IndexerException;
import dev.indexer.config.Defaults;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.ModelSpec;
import dev.indexer.config.Shard;
import dev.indexer.json.Json;
import dev.indexer.lexical.CodeAnalyzer;
import dev.indexer.navigate.NavigationReader;
import dev.indexer.state.CollectionFiles;
import dev.indexer.state.FileRecord;
import dev.indexer.state.Manifest;
import dev.indexer.state.VectorCache;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.HybridSearch;
import dev.indexer.store.Landing;
import dev.indexer.store.QueryTimeVectors;
import dev.indexer.store.RepoScope;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import dev.indexer.store.SearchRequest;
import dev.indexer.store.StoreReader;
import dev.indexer.store.StoreTarget;
import dev.indexer.walk.FileWalker;
import dev.indexer.walk.SourceFile;
import dev.indexer.walk.WalkOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Searches repositories of a collection and reports the status of one: many per process, cheap to
 * open, safe to use from several threads at once. A reader of one repository (its {@link #repo()})
 * also has that repository's manifest and navigation index on this machine, when it was indexed
 * here; a reader of several searches them together. Each search sees what the newest commit made
 * durable, whoever wrote it.
 * Opened by {@link Engine#openReader}, or taken from the {@link CollectionWriter} that writes the
 * collection (a server searches what it indexes).
 */
public final class CollectionReader implements AutoCloseable {
    private static final CodeAnalyzer ANALYZER = new CodeAnalyzer();
    /** How long the manifest's totals that searches quote are kept: a server answers many searches while a run changes them. */
    private static final long COVERAGE_NANOS = 2_000_000_000L;
    /** Lexical halves of hybrid searches that run beside their callers at once. */
    private static final int SEARCH_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** Chunks a hybrid search embeds at most when its lexical half finds them without vectors. */
    static final int QUERY_TIME_CHUNKS = 16;
    /**
     * About the most characters of text one hit shows ({@link SearchHit#shownAtMost}), so that an answer
     * of {@code k} hits is bounded in bytes as well as in lines: no chunk or definition of the JDK's
     * sources comes near it, only runs of blanks or markup that the model does not read.
     */
    public static final int MAX_HIT_CHARS = 64 << 10;
    /** Files a search checks on disk, at most: every file of a page of 50 hits, and a bound on 1,000. */
    static final int STALE_FILES = 100;
    /** No model call for those starts after this; a call of four takes some 40 ms on two cores. */
    static final Duration QUERY_TIME_BUDGET = Duration.ofMillis(150);

    private final Workspace workspace;
    private final String name;
    /** The repository whose local state (manifest, navigation) this reader reads; empty for several. */
    private final Optional<String> repo;
    private final ReadSource source;
    private final HybridSearch searching = new HybridSearch(SEARCH_THREADS);
    private final QueryVectors queryVectors = new QueryVectors();
    /** Where vectors made at query time are kept; opened on the first that is made. */
    private VectorCache cache;
    /** The navigation index; opened on first use. */
    private NavigationReader navigation;
    /** The navigation indexes of the collection's other repositories on this machine, for landing their hits. */
    private final Map<String, NavigationReader> otherNavigations = new java.util.HashMap<>();
    private Optional<Manifest.Totals> coverage = Optional.empty();
    private long coverageRead;
    /** The roots of the repositories searched, as {@link #roots()} last read them. */
    private Map<String, String> roots = Map.of();
    private long rootsRead;

    CollectionReader(Workspace workspace, String name, Optional<String> repo, ReadSource source) {
        this.workspace = workspace;
        this.name = name;
        this.repo = repo;
        this.source = source;
    }

    /** The collection's name. */
    public String collection() {
        return name;
    }

    /** The repository whose state this reader reads here; empty when it searches several. */
    public Optional<String> repo() {
        return repo;
    }

    /**
     * The chunks that best answer a query, best first, with what the asker should know about how it
     * was answered.
     *
     * @throws dev.indexer.IndexerException if there is no such collection, or its store cannot be read
     */
    public Results search(SearchQuery query) {
        StoreReader store = source.store();
        SearchRequest request = request(store.info(), query);
        Optional<Manifest.Totals> totals = query.mode() == SearchMode.LEXICAL ? Optional.empty() : coverage();
        Optional<Manifest.Totals> pending = totals.filter(t -> t.pendingChunks() > 0);
        // Without a manifest here (a collection indexed elsewhere) nothing says whether vectors
        // are missing: the store is asked.
        boolean late = query.mode() == SearchMode.HYBRID && (pending.isPresent() || totals.isEmpty());
        HybridSearch.Answer answer = searching.search(store, request,
                late ? Optional.of(queryTimeVectors(Models.of(store.info()))) : Optional.empty(), definitions());
        List<String> notes = new ArrayList<>();
        source.damage().ifPresent(notes::add);
        pending.ifPresent(t -> notes.add(String.format(Locale.ROOT, "meaning search covers %,d of %,d chunks"
                + " so far; the other %,d are found by their words until their vectors are made (indexer index"
                + " continues that)", t.embeddedChunks(), t.chunksToEmbed(), t.pendingChunks())));
        if (answer.embeddedNow() > 0) {
            notes.add(String.format(Locale.ROOT, "%d of these %d hits were ranked by vectors made for this search"
                    + " (%d chunks it found by their words had none yet)", answer.hitsEmbeddedNow().size(),
                    answer.hits().size(), answer.embeddedNow()));
        }
        if (query.mode() != SearchMode.VECTOR) {
            long words = ANALYZER.terms(query.text()).stream().distinct().count();
            if (words > store.maxQueryTerms()) {
                notes.add(String.format(Locale.ROOT, "the query has %,d distinct words; the lexical search kept"
                        + " at most %,d, the rarest of those the collection has", words, store.maxQueryTerms()));
            }
        }
        List<SearchHit> hits = answer.hits().stream().map(hit -> hit.shownAtMost(MAX_HIT_CHARS)).toList();
        return new Results(hits, notes, answer.embeddedNow(), answer.hitsEmbeddedNow(), roots(), stale(hits));
    }

    /**
     * The hits whose files changed or were deleted since they were indexed, by id (not a hit that
     * landing read from a changed file as it is now): each file of the first {@link #STALE_FILES}
     * checked once against its repository's navigation index (a stat; a hash only where a checkout
     * touched it). Nothing for a repository without one here.
     */
    private Map<String, String> stale(List<SearchHit> hits) {
        Map<String, Set<String>> pathsByRepo = new LinkedHashMap<>();
        int files = 0;
        for (SearchHit hit : hits) {
            Set<String> paths = pathsByRepo.computeIfAbsent(hit.repo(), r -> new LinkedHashSet<>());
            if (!paths.contains(hit.path()) && files < STALE_FILES) {
                paths.add(hit.path());
                files++;
            }
        }
        Map<String, Map<String, NavigationReader.OnDisk>> states = new HashMap<>();
        pathsByRepo.forEach((r, paths) -> {
            try {
                states.put(r, navigationOf(r).map(reader -> reader.onDisk(paths)).orElse(Map.of()));
            } catch (IndexerException | IllegalArgumentException e) {
                states.put(r, Map.of()); // an index that cannot be read: nothing to say of its files
            }
        });
        Map<String, String> stale = new HashMap<>();
        for (SearchHit hit : hits) {
            NavigationReader.OnDisk state = states.getOrDefault(hit.repo(), Map.of()).get(hit.path());
            // A hit landed on a definition of a changed file was read from the file as it is now.
            if (state == NavigationReader.OnDisk.DELETED) {
                stale.put(hit.id(), Results.DELETED);
            } else if (state == NavigationReader.OnDisk.CHANGED && !hit.id().startsWith(Landing.DEFINITION_ID)) {
                stale.put(hit.id(), Results.CHANGED);
            }
        }
        return stale;
    }

    /**
     * The root each repository this reader searches was indexed from on this machine, so that a
     * hit of any of them names its file; read from the repositories' manifests at most every
     * couple of seconds, as the coverage is: a search opens no manifest of its own.
     */
    private synchronized Map<String, String> roots() {
        long now = System.nanoTime();
        if (rootsRead == 0 || now - rootsRead > COVERAGE_NANOS) {
            rootsRead = now;
            Map<String, String> found = new java.util.HashMap<>();
            for (String r : repo.<java.util.Collection<String>>map(List::of).orElseGet(() -> workspace.home()
                    .repos(name).keySet())) {
                rootOf(r).ifPresent(root -> found.put(r, root));
            }
            roots = Map.copyOf(found);
        }
        return roots;
    }

    /** The tree repository {@code r} was last indexed from on this machine, from its manifest; empty if none here. */
    private Optional<String> rootOf(String r) {
        if (repo.isPresent() && repo.get().equals(r)) {
            return source.manifest(m -> m.meta().getOrDefault("root", "")).filter(root -> !root.isEmpty());
        }
        Path file = workspace.home().repoDir(name, r).resolve(Manifest.FILE_NAME);
        if (!Manifest.exists(file)) {
            return Optional.empty();
        }
        try (Manifest manifest = Manifest.openForReading(file)) {
            return Optional.of(manifest.meta().getOrDefault("root", "")).filter(root -> !root.isEmpty());
        } catch (IndexerException e) {
            return Optional.empty(); // a manifest that cannot be read: its hits give their paths alone
        }
    }

    /**
     * Query-time vectors for this collection's model: at most {@link #QUERY_TIME_CHUNKS} chunks in
     * {@link #QUERY_TIME_BUDGET}, kept in the index home's vector cache when the indexer uses one.
     */
    private QueryTimeVectors queryTimeVectors(ModelSpec model) {
        return new QueryTimeVectors(QUERY_TIME_CHUNKS, QUERY_TIME_BUDGET,
                texts -> source.embedder(model).embedDocumentsForSearch(texts), made -> keep(model, made));
    }

    /**
     * Puts vectors made at query time into the vector cache, where the embedding phase looks
     * first. Only when the cache exists (an indexer given {@code --vector-cache 0} has none) and can
     * be written (a read-only index home cannot): losing them costs only their embedding again.
     */
    private synchronized void keep(ModelSpec model, Map<String, float[]> made) {
        Path file = workspace.home().vectorCache();
        if (made.isEmpty() || (cache == null && !Files.exists(file))) {
            return;
        }
        try {
            if (cache == null) {
                cache = VectorCache.open(file, Defaults.VECTOR_CACHE);
            }
            cache.put(model.id(), made);
        } catch (IndexerException e) {
            // kept or not, the search has its answer
        }
    }

    /**
     * The store's request for {@code query}: the query is embedded with the model the collection's
     * vectors were made with, only when a search needs it; a lexical search needs no model at all.
     */
    private SearchRequest request(CollectionInfo info, SearchQuery query) {
        if (query.mode() == SearchMode.LEXICAL) {
            return new SearchRequest(query.text(), (float[]) null, query.k(), query.mode(), query.language(),
                    query.path());
        }
        ModelSpec model = Models.of(info);
        Supplier<float[]> embedding = () -> queryVectors.of(model, query.text(),
                () -> source.embedder(model).embedQuery(query.text()));
        return new SearchRequest(query.text(), embedding, query.k(), query.mode(), query.language(), query.path(),
                model.hybridVectorWeight());
    }

    /** The manifest's totals as searches quote them: read at most every couple of seconds. */
    private synchronized Optional<Manifest.Totals> coverage() {
        long now = System.nanoTime();
        if (coverageRead == 0 || now - coverageRead > COVERAGE_NANOS) {
            coverageRead = now;
            coverage = source.manifest(Manifest::totals);
        }
        return coverage;
    }

    /**
     * The collection's definitions, outlines and references, opened on first use and closed with
     * this reader.
     *
     * @throws IndexerException if the collection has none here yet (never indexed on this machine,
     *     or by an earlier version)
     */
    public NavigationReader navigation() {
        return openNavigation().orElseThrow(() -> new IndexerException(repo.isEmpty()
                ? "Definitions and references are kept per repository; name one with --repo (indexer repos"
                        + " --collection " + name + " lists them)."
                : "Collection '" + name + "' has no definitions or references of repository '" + repo.get()
                        + "' on this machine yet; run indexer index --collection " + name + " on its tree to"
                        + " build them."));
    }

    /** The navigation index, opened on first use; empty while the collection has none here. */
    private synchronized Optional<NavigationReader> openNavigation() {
        if (repo.isEmpty()) {
            return Optional.empty();
        }
        Path dir = workspace.home().repoDir(name, repo.get());
        if (navigation == null && NavigationReader.present(dir)) {
            // Looked for first: without one, every search would read the manifest for the root.
            String root = source.manifest(m -> m.meta().getOrDefault("root", "")).filter(r -> !r.isEmpty())
                    .orElseGet(() -> info().root());
            navigation = NavigationReader.open(dir, Path.of(root)).orElse(null);
        }
        return Optional.ofNullable(navigation);
    }

    /**
     * Where hits find the definitions they land on: the navigation index of the hit's repository,
     * when this machine has one (a repository indexed elsewhere or by an earlier version has none,
     * and its hits stay chunks).
     */
    private Landing.Definitions definitions() {
        return (hitRepo, path) -> {
            try {
                return navigationOf(hitRepo).flatMap(reader -> reader.definitions(path));
            } catch (IndexerException | IllegalArgumentException e) {
                return Optional.empty(); // an index that cannot be read: the search still answers
            }
        };
    }

    /**
     * The navigation index of repository {@code hitRepo} on this machine: this reader's own, or
     * another's, opened on first use with the root its manifest records; empty while it has none.
     */
    private synchronized Optional<NavigationReader> navigationOf(String hitRepo) {
        if (repo.isPresent() && repo.get().equals(hitRepo)) {
            return openNavigation();
        }
        NavigationReader open = otherNavigations.get(hitRepo);
        if (open != null) {
            return Optional.of(open);
        }
        Path dir = workspace.home().repoDir(name, hitRepo);
        if (!NavigationReader.present(dir)) {
            return Optional.empty();
        }
        Optional<NavigationReader> opened = rootOf(hitRepo).flatMap(root -> NavigationReader.open(dir, Path.of(root)));
        opened.ifPresent(reader -> otherNavigations.put(hitRepo, reader));
        return opened;
    }

    /** What the collection was built with and where it follows. */
    public CollectionInfo info() {
        return source.store().info();
    }

    /**
     * What the manifest counts now: files, chunks, and those still waiting for vectors. Reads no
     * tree (unlike {@link #status}); empty when this machine has no manifest for the collection.
     */
    public Optional<Manifest.Totals> totals() {
        return source.manifest(Manifest::totals);
    }

    /**
     * What the collection holds and what a rerun would do for {@code tree} (default: the tree it
     * was last indexed from); reads no file contents. A store that cannot be read is reported in
     * {@link Status#storeError()} when this machine has the manifest, else thrown.
     */
    public Status status(Optional<Path> tree) {
        StoreTarget target = workspace.target();
        if (repo.isEmpty()) {
            throw new IndexerException("The status of collection '" + name + "' is kept per repository; name one"
                    + " with --repo (indexer repos --collection " + name + " lists them).");
        }
        Path dir = workspace.home().repoDir(name, repo.get());
        boolean local = Manifest.exists(dir.resolve(Manifest.FILE_NAME));
        if (!local && target.local()) {
            workspace.checkLayout(name);
            java.util.Set<String> here = workspace.home().repos(name).keySet();
            if (here.isEmpty()) {
                throw workspace.noCollection(name);
            }
            throw new IndexerException(RepoScope.noSuch(name, List.of(repo.get()), here) + ".");
        }
        StoreSide side;
        try {
            StoreReader store = source.store();
            side = new StoreSide(store.count(), store.info(), store.describe(), Optional.empty());
        } catch (IndexerException e) {
            if (!local) {
                throw e;
            }
            // the manifest is still worth showing
            side = new StoreSide(-1, null, Map.of(), Optional.of(e.getMessage()));
        }
        if (!local) {
            // Another machine indexed it: only the server's side is known here.
            CollectionInfo stored = side.info();
            return new Status(name, repo.get(), target.storeName(), target.location(name), stored.model(),
                    stored.dimension(), stored.root(), false, 0, 0, 0, 0, 0, side.chunks(), Optional.empty(), "", "",
                    "unknown (indexed elsewhere)", 0, side.details(), side.error(), Shard.ALL);
        }
        try {
            long diskBytes = CollectionFiles.diskBytes(dir);
            StoreSide store = side;
            return source.manifest(m -> fromManifest(m, tree, store, diskBytes))
                    .orElseThrow(() -> workspace.noCollection(name));
        } catch (IOException e) {
            throw new IndexerException("Could not read " + dir + " (" + e.getMessage() + ").", e);
        }
    }

    /** What the store said of itself, or why it could not be read. */
    private record StoreSide(long chunks, CollectionInfo info, Map<String, Object> details, Optional<String> error) {}

    private Status fromManifest(Manifest m, Optional<Path> tree, StoreSide store, long diskBytes) {
        StoreTarget target = workspace.target();
        Map<String, String> meta = m.meta();
        Manifest.Totals totals = m.totals();
        Path root = tree.map(p -> p.toAbsolutePath().normalize()).orElse(Path.of(meta.getOrDefault("root", ".")));
        Optional<Status.Pending> pending = Files.isDirectory(root)
                ? Optional.of(pending(m, root, walkOptions(meta), totals.files())) : Optional.empty();
        return new Status(name, repo.get(), target.storeName(), target.location(name), meta.getOrDefault("model", "?"),
                Integer.parseInt(meta.getOrDefault("dimension", "0")), root.toString(), true,
                totals.indexedFiles(), totals.files() - totals.indexedFiles(), totals.chunks(),
                totals.embeddedChunks(), totals.wordsOnlyChunks(), store.chunks(), pending,
                meta.getOrDefault("last_run_started", ""),
                meta.getOrDefault("last_run_finished", ""), RunLiveness.outcome(meta), diskBytes, store.details(),
                store.error(), shardOf(meta));
    }

    /** Walks the tree as the last run did and compares it with the manifest, reading no file. */
    private static Status.Pending pending(Manifest manifest, Path root, WalkOptions options, long recorded) {
        long added = 0;
        long changed = 0;
        long met = 0;
        try (Stream<SourceFile> files = new FileWalker(root, options, (p, r, d) -> {}).stream()) {
            for (SourceFile file : (Iterable<SourceFile>) files::iterator) {
                Optional<FileRecord> record = manifest.get(file.relativePath());
                added += record.isEmpty() ? 1 : 0;
                met += record.isPresent() ? 1 : 0;
                changed += record.filter(r -> !r.sameMetadata(file.size(), file.modifiedMillis())).isPresent() ? 1 : 0;
            }
        }
        return new Status.Pending(added, changed, recorded - met);
    }

    /** The part of the tree the last run indexed; the whole tree if it recorded none it can read. */
    private static Shard shardOf(Map<String, String> meta) {
        try {
            return Shard.parse(meta.getOrDefault("shard", Shard.ALL.toString()));
        } catch (IllegalArgumentException e) {
            return Shard.ALL;
        }
    }

    /** How the last run walked, from what it recorded. */
    private WalkOptions walkOptions(Map<String, String> meta) {
        IndexOptions options = IndexOptions.DEFAULTS.withMaxFileSize(
                Long.parseLong(meta.getOrDefault("max_file_size", Long.toString(Defaults.MAX_FILE_SIZE))))
                .withShard(shardOf(meta));
        return workspace.walkOptions(Boolean.parseBoolean(meta.getOrDefault("follow_symlinks", "false"))
                ? options.followingSymlinks() : options);
    }

    /** Releases what this reader opened (not what it borrows from a writer). Safe twice. */
    @Override
    public void close() {
        try (ReadSource s = source; HybridSearch h = searching) {
            // closed in reverse: the search threads, then the store
        } finally {
            synchronized (this) {
                if (cache != null) {
                    cache.close();
                }
                if (navigation != null) {
                    navigation.close();
                    navigation = null;
                }
                otherNavigations.values().forEach(NavigationReader::close);
                otherNavigations.clear();
            }
        }
    }

    /**
     * What a collection holds and what a rerun would do, read without touching file contents.
     *
     * @param repo the repository of the collection it is the status of
     * @param store the kind of store, for people: {@code embedded (Lucene)}, {@code Qdrant}
     * @param location the collection's directory, or the server's address
     * @param root the tree it follows (or the one given to compare with)
     * @param manifestHere whether this machine has the collection's manifest; without it (indexed
     *     elsewhere) only the store's side is known and the file counts are zero
     * @param filesIndexed files whose chunks the collection holds
     * @param filesSkipped files read but not indexed (binary, generated...)
     * @param chunks chunks the manifest lists
     * @param chunksWithVectors how many of them have their vectors (the rest are searchable by words only)
     * @param chunksWordsOnly how many of them are data that gets no vector ({@link dev.indexer.chunk.Chunk#isData()})
     * @param storeChunks chunks the store holds; -1 if the store could not be read ({@code storeError} says why)
     * @param pending what a rerun over {@code root} would do; empty if {@code root} is not a directory here
     * @param lastRunStarted when the last run started (ISO-8601), or empty
     * @param lastRunFinished when it finished, or empty
     * @param lastRunOutcome how it ended: {@code completed}, {@code interrupted...}, {@code failed: ...}, {@code running}
     * @param diskBytes the collection's directory on this machine (manifest, and the embedded index)
     * @param storeDetails what the store itself reports (Qdrant: its configuration and state)
     * @param storeError why the store could not be read, if it could not
     * @param shard the part of the tree this home's runs index ({@code --shard}); the whole tree usually
     */
    public record Status(String collection, String repo, String store, String location, String model, int dimension,
            String root, boolean manifestHere, long filesIndexed, long filesSkipped, long chunks,
            long chunksWithVectors, long chunksWordsOnly, long storeChunks, Optional<Pending> pending,
            String lastRunStarted,
            String lastRunFinished, String lastRunOutcome, long diskBytes, Map<String, Object> storeDetails,
            Optional<String> storeError, Shard shard) {

        /**
         * Whether the manifest here and the store hold the same number of chunks; empty when that
         * cannot be told (no manifest here, the store unread, or a home of one part of a shared tree).
         */
        public Optional<Boolean> manifestAgreesWithStore() {
            return manifestHere && storeChunks >= 0 && shard.isAll() ? Optional.of(chunks == storeChunks)
                    : Optional.empty();
        }

        /** New, changed and deleted files: what {@code index} would do now. */
        public record Pending(long added, long changed, long deleted) {}
    }

    /**
     * What a search found, best first, and anything the asker should know about how it was answered
     * (nothing indexed yet, part of the collection still without vectors...).
     *
     * @param embeddedNow chunks without vectors yet that the search embedded to rank them by meaning
     * @param hitsEmbeddedNow the ids of the hits among those
     * @param roots the tree each repository was indexed from on this machine, where known: a hit's
     *     {@code file} is its path below that
     * @param stale the hits whose files changed ({@link #CHANGED}) or were deleted ({@link #DELETED})
     *     since they were indexed, by id
     */
    public record Results(List<SearchHit> hits, List<String> notes, int embeddedNow, Set<String> hitsEmbeddedNow,
            Map<String, String> roots, Map<String, String> stale) {
        /** {@link #stale}'s word for a hit whose file has other bytes now than when it was indexed. */
        public static final String CHANGED = "changed";
        /** {@link #stale}'s word for a hit whose file is gone. */
        public static final String DELETED = "deleted";
        private static final String UNTIL = "; the next indexer index takes the change in (a server that watches the"
                + " tree, at once)";

        public Results {
            hits = List.copyOf(hits);
            notes = List.copyOf(notes);
            hitsEmbeddedNow = Set.copyOf(hitsEmbeddedNow);
            roots = Map.copyOf(roots);
            stale = stale == null ? Map.of() : Map.copyOf(stale); // null: from a server that sent none
        }

        public Results(List<SearchHit> hits, List<String> notes, int embeddedNow, Set<String> hitsEmbeddedNow,
                Map<String, String> roots) {
            this(hits, notes, embeddedNow, hitsEmbeddedNow, roots, Map.of());
        }

        public Results(List<SearchHit> hits, List<String> notes, int embeddedNow, Set<String> hitsEmbeddedNow) {
            this(hits, notes, embeddedNow, hitsEmbeddedNow, Map.of(), Map.of());
        }

        /** The same answer with these hits instead (a page of it). */
        public Results withHits(List<SearchHit> page) {
            Set<String> ids = page.stream().map(SearchHit::id).collect(Collectors.toSet());
            Map<String, String> kept = new HashMap<>(stale);
            kept.keySet().retainAll(ids);
            return new Results(page, notes, embeddedNow, hitsEmbeddedNow, roots, kept);
        }

        /** The same answer with one more note. */
        public Results withNote(String note) {
            List<String> more = new ArrayList<>(notes);
            more.add(note);
            return new Results(hits, more, embeddedNow, hitsEmbeddedNow, roots, stale);
        }

        /**
         * What the asker should know about how the search was answered, and, when some hits' files
         * changed or went since they were indexed, which (those hits' lines are the index's: they
         * may have moved), worked out from the hits shown, so a page names its own.
         */
        @Override
        public List<String> notes() {
            if (stale.isEmpty()) {
                return notes;
            }
            List<String> all = new ArrayList<>(notes);
            for (String state : List.of(CHANGED, DELETED)) {
                List<String> files = hits.stream().filter(h -> state.equals(stale.get(h.id())))
                        .map(h -> (roots.size() > 1 ? h.repo() + ": " : "") + h.path()).distinct().toList();
                if (files.isEmpty()) {
                    continue;
                }
                String named = String.join(", ", files.subList(0, Math.min(5, files.size())))
                        + (files.size() > 5 ? " and " + (files.size() - 5) + " more" : "");
                boolean changed = state.equals(CHANGED);
                String meaning = changed ? "lines may have moved" : "text is what was there";
                all.add((files.size() == 1
                        ? String.format(Locale.ROOT, "%s %s since it was indexed: its hits' %s", named,
                                changed ? "changed" : "was deleted", meaning)
                        : String.format(Locale.ROOT, "%d files with hits %s since they were indexed (%s): their hits' %s",
                                files.size(), changed ? "changed" : "were deleted", named, meaning)) + UNTIL);
            }
            return all;
        }

        /**
         * A hit as every front end gives it to programs (JSON): {@code repo} the repository it is
         * from, {@code path} below that repository's root, {@code file} that root joined to the path
         * as text (whatever the locale can name; the path alone when the root is not known here),
         * {@code startLine}, {@code endLine}, {@code score} (4 decimals), {@code language},
         * {@code symbol}, {@code kind}, {@code container}, {@code text} (within about {@link #MAX_HIT_CHARS}
         * characters, {@link SearchHit#shownAtMost}); {@code stale} ({@code changed} or {@code deleted})
         * when the hit's file has changed or gone since it was indexed; {@code embeddedNow: true}
         * when the search itself made the vector that ranked it (its chunk had none yet); and
         * {@code copies} ({@code repo}, {@code path}, {@code startLine}, {@code endLine} each) when
         * other places have exactly its text.
         *
         * @param root the indexed tree's absolute path, for hits of a repository {@link #roots} does
         *     not know; empty if not known
         */
        public Map<String, Object> fields(SearchHit hit, String root) {
            String base = roots.getOrDefault(hit.repo(), root);
            Map<String, Object> fields = Json.object("repo", hit.repo(), "path", hit.path(),
                    "file", base.isEmpty() ? hit.path() : base + (base.endsWith("/") ? "" : "/") + hit.path(),
                    "startLine", hit.startLine(), "endLine", hit.endLine(),
                    "score", Math.round(hit.score() * 10000) / 10000.0, "language", hit.language(),
                    "symbol", hit.symbol(), "kind", hit.kind(), "container", hit.container(), "text", hit.text());
            if (hitsEmbeddedNow.contains(hit.id())) {
                fields.put("embeddedNow", true);
            }
            if (stale.containsKey(hit.id())) {
                fields.put("stale", stale.get(hit.id()));
            }
            if (!hit.copies().isEmpty()) {
                fields.put("copies", hit.copies().stream().map(c -> Json.object("repo", c.repo(), "path", c.path(),
                        "startLine", c.startLine(), "endLine", c.endLine())).toList());
            }
            return fields;
        }

        /** The hits as {@link #fields}, best first. */
        public List<Map<String, Object>> hitFields(String root) {
            return hits.stream().map(hit -> fields(hit, root)).toList();
        }

        /**
         * The whole answer as front ends give it to programs: {@code hits} ({@link #fields}),
         * {@code notes} when there are any, and {@code embeddedNow} ({@code chunks} embedded for this
         * search, {@code hits} among them) when the search embedded any.
         */
        public Map<String, Object> answerFields(String root) {
            Map<String, Object> answer = Json.object("hits", hitFields(root));
            if (!notes().isEmpty()) {
                answer.put("notes", notes());
            }
            if (embeddedNow > 0) {
                answer.put("embeddedNow", Map.of("chunks", embeddedNow, "hits", hitsEmbeddedNow.size()));
            }
            return answer;
        }
    }
}
