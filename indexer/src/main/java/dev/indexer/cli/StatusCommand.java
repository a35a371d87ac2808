package dev.indexer.cli;

import dev.indexer.IndexerException;
import dev.indexer.config.ByteSize;
import dev.indexer.config.IndexHome;
import dev.indexer.engine.CollectionReader;
import dev.indexer.engine.Engine;
import dev.indexer.json.Json;
import dev.indexer.store.RepoScope;
import dev.indexer.store.RepoSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "status", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        headerHeading = "", header = "Show what a collection holds, or list the collections.",
        description = {"Show what a collection holds, what its last run did, and what a rerun would do for PATH.",
            "Without --collection, list the collections of the index home."})
final class StatusCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
            description = "The tree to compare with the collection. Default: the tree it was last indexed from.")
    Path path;

    @Mixin
    StoreOptions store;

    @Mixin
    RepoOptions repo;

    @Mixin
    QdrantOptions qdrant;

    @Option(names = "--json", description = "Print the status as one JSON object.")
    boolean json;

    StatusCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        IndexHome home = store.home(context.env(), spec.commandLine());
        Engine engine = Engine.forReading(home, qdrant.target(context.env(), home, spec.commandLine()));
        if (store.collection == null) {
            if (path != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "PATH needs --collection");
            }
            list(engine.collections(), home);
            return ExitCodes.OK;
        }
        String name = store.collection(spec.commandLine());
        String repoName = repo.given(spec.commandLine()).orElseGet(() -> soleRepo(engine, home, name));
        CollectionReader.Status status;
        try (CollectionReader collection = engine.openReader(name, RepoScope.of(repoName))) {
            status = collection.status(Optional.ofNullable(path));
        }
        Map<String, Object> fields = fields(status);
        Optional<Engine.Server> server = engine.server(name, repoName);
        server.ifPresent(s -> fields.put("server", serverFields(s)));
        if (json) {
            context.out().println(Json.of(fields));
        } else {
            print(context.out(), status);
            server.ifPresent(s -> printServer(context.out(), s));
        }
        context.out().flush();
        if (status.storeError().isPresent()) {
            context.err().println("indexer: " + status.storeError().get());
            context.err().flush();
            return ExitCodes.FATAL;
        }
        return ExitCodes.OK;
    }

    /**
     * The repository a status without {@code --repo} is of: the collection's only one on this
     * machine, else its only one in the store.
     *
     * @throws IndexerException if it has several (naming them) or none
     */
    private static String soleRepo(Engine engine, IndexHome home, String name) {
        Set<String> here = home.repos(name).keySet();
        if (here.size() == 1) {
            return here.iterator().next();
        }
        List<String> stored = engine.repos(name).stream().map(RepoSummary::name).toList();
        if (stored.size() == 1) {
            return stored.get(0);
        }
        if (stored.isEmpty()) {
            throw new IndexerException("Collection '" + name + "' holds no repository yet; index one with: indexer"
                    + " index PATH --collection " + name);
        }
        throw new IndexerException("Collection '" + name + "' holds " + stored.size() + " repositories ("
                + String.join(", ", stored.stream().map(r -> "'" + r + "'").toList()) + "); name one with --repo, or"
                + " list them with: indexer repos --collection " + name);
    }

    private void list(List<Engine.CollectionSummary> collections, IndexHome home) {
        PrintWriter out = context.out();
        if (json) {
            out.println(Json.of(Map.of("indexDir", home.dir().toString(), "collections", collections)));
        } else if (collections.isEmpty()) {
            out.println("No collections in " + home.dir() + "; make one with: indexer index PATH --collection NAME");
        } else {
            out.printf(Locale.ROOT, "Collections in %s:%n", home.dir());
            for (Engine.CollectionSummary c : collections) {
                out.printf(Locale.ROOT, "  %-20s %-24s %-9s %-10s %,8d files %,10d chunks  %s  (last run: %s)%n",
                        c.name(), c.repo().isEmpty() ? "(earlier version: --reindex)" : c.repo(), c.store(), c.model(),
                        c.files(), c.chunks(), c.root(), c.lastRunOutcome());
            }
        }
        out.flush();
    }

    /**
     * The server that keeps the collection current: its pid and resident memory, anonymous (stays
     * until freed) apart from file-backed (the mapped index: the OS's cache, which shrinks under
     * pressure), as {@code index_status} gives it from inside the server.
     */
    private static Map<String, Object> serverFields(Engine.Server server) {
        Map<String, Object> fields = Json.object("pid", server.pid());
        server.memory().ifPresent(m -> fields.put("memory", Json.object("rssAnonBytes", m.anonBytes(),
                "rssFileBytes", m.fileBytes(), "peakRssBytes", m.peakBytes())));
        return fields;
    }

    private static void printServer(PrintWriter out, Engine.Server server) {
        out.printf(Locale.ROOT, "  server    pid %d keeps it current%s%n", server.pid(), server.memory()
                .map(m -> String.format(Locale.ROOT, "; resident %s anonymous, %s file-backed (mapped index,"
                        + " the OS's cache), peak %s", ByteSize.format(m.anonBytes()), ByteSize.format(m.fileBytes()),
                        ByteSize.format(m.peakBytes()))).orElse(""));
        out.flush();
    }

    private static Map<String, Object> fields(CollectionReader.Status s) {
        Map<String, Object> status = Json.object("collection", s.collection(), "repo", s.repo(), "store", s.store(),
                "location", s.location(), "model", s.model(), "dimension", s.dimension(), "root", s.root());
        if (s.manifestHere()) {
            status.putAll(Json.object("filesIndexed", s.filesIndexed(), "filesSkipped", s.filesSkipped(),
                    "chunks", s.chunks(), "chunksWithVectors", s.chunksWithVectors(),
                    "chunksWaiting", s.chunks() - s.chunksWithVectors() - s.chunksWordsOnly(),
                    "chunksWordsOnly", s.chunksWordsOnly()));
        }
        status.put("storeChunks", s.storeChunks());
        s.manifestAgreesWithStore().ifPresent(agrees -> status.put("manifestAgreesWithStore", agrees));
        if (!s.shard().isAll()) {
            status.put("shard", s.shard().toString());
        }
        s.pending().ifPresent(p -> status.putAll(Json.object("pendingNew", p.added(), "pendingChanged", p.changed(),
                "pendingDeleted", p.deleted())));
        if (s.manifestHere()) {
            status.putAll(Json.object("lastRunStarted", s.lastRunStarted(), "lastRunFinished", s.lastRunFinished(),
                    "lastRunOutcome", s.lastRunOutcome(), "diskBytes", s.diskBytes()));
        }
        s.storeError().ifPresent(e -> status.put("storeError", e));
        if (!s.storeDetails().isEmpty()) {
            status.put("qdrant", s.storeDetails());
        }
        return status;
    }

    private static void print(PrintWriter out, CollectionReader.Status s) {
        out.printf(Locale.ROOT, "Repository '%s' of collection '%s' (%s at %s)%n", s.repo(), s.collection(), s.store(),
                s.location());
        out.printf(Locale.ROOT, "  model     %s (%s dimensions)%n", s.model(), s.dimension());
        if (s.manifestHere()) {
            out.printf(Locale.ROOT, "  files     %,d indexed, %,d read but skipped (binary, generated...)%n",
                    s.filesIndexed(), s.filesSkipped());
            out.printf(Locale.ROOT, "  chunks    %,d (the store holds %s)%n", s.chunks(),
                    s.storeChunks() < 0 ? "an unknown number" : String.format(Locale.ROOT, "%,d", s.storeChunks()));
            if (!s.shard().isAll()) {
                out.printf(Locale.ROOT, "  part      this index home indexes part %s of the tree; the store holds every"
                        + " part%n", s.shard());
            } else if (s.manifestAgreesWithStore().equals(Optional.of(false))) {
                out.printf(Locale.ROOT, "  differs   the store holds %,d chunks where this index home lists %,d (indexed"
                        + " from another machine, or changed behind its back); the store is the truth: the next run"
                        + " takes the files it holds from it and indexes again what it lacks%n", s.storeChunks(), s.chunks());
            }
            long toEmbed = s.chunks() - s.chunksWordsOnly();
            out.printf(Locale.ROOT, "  meaning   %,d of %,d chunks embedded%s%s%n", s.chunksWithVectors(), toEmbed,
                    toEmbed > s.chunksWithVectors()
                            ? String.format(Locale.ROOT, "; %,d wait, searchable by words meanwhile",
                                    toEmbed - s.chunksWithVectors()) : "",
                    s.chunksWordsOnly() > 0 ? String.format(Locale.ROOT, "; %,d more are data (tables, escapes,"
                            + " numbers), searched by their words only", s.chunksWordsOnly()) : "");
            if (s.pending().isPresent()) {
                CollectionReader.Status.Pending p = s.pending().get();
                out.printf(Locale.ROOT, "  pending   %,d new, %,d changed, %,d deleted in %s%n",
                        p.added(), p.changed(), p.deleted(), s.root());
            } else {
                out.printf(Locale.ROOT, "  pending   unknown: %s is not a directory%n", s.root());
            }
            out.printf(Locale.ROOT, "  last run  %s, %s%n", s.lastRunFinished().isEmpty()
                    ? s.lastRunStarted() : s.lastRunFinished(), s.lastRunOutcome());
            out.printf(Locale.ROOT, "  disk      %s (manifest%s)%n", ByteSize.format(s.diskBytes()),
                    s.storeDetails().isEmpty() ? " and index" : "");
        } else {
            out.printf(Locale.ROOT, "  chunks    %,d; no manifest on this machine (indexed elsewhere?) for %s%n",
                    s.storeChunks(), s.root());
        }
        Map<String, Object> q = s.storeDetails();
        if (!q.isEmpty()) {
            out.printf(Locale.ROOT, "  qdrant    %s, %,d points (%,d indexed), %s segments%n",
                    q.get("status"), q.get("points"), q.get("indexedVectors"), q.get("segments"));
            out.printf(Locale.ROOT, "  vectors   %s %s, on disk: %s; quantization: %s; sparse: %s%n",
                    q.get("vectorSize"), q.get("distance"), q.get("vectorsOnDisk"), q.get("quantization"),
                    q.get("sparseVectors"));
            boolean perRepo = Long.valueOf(0).equals(q.get("hnswM"))
                    && q.get("hnswPayloadM") instanceof Long m && m > 0;
            out.printf(Locale.ROOT, "  hnsw      m %s%s, ef_construct %s, on disk: %s%n", q.get("hnswM"),
                    perRepo ? ", payload_m " + q.get("hnswPayloadM") + " (a graph per repository)" : "",
                    q.get("hnswEfConstruct"), q.get("hnswOnDisk"));
            out.printf(Locale.ROOT, "  layout    %s shards x %s replicas; payload on disk: %s; indexed fields: %s%n",
                    q.get("shards"), q.get("replicas"), q.get("payloadOnDisk"), q.get("payloadIndexes"));
            if (q.get("repos") instanceof List<?> repos) {
                out.printf(Locale.ROOT, "  repos     %,d in the collection%n", repos.size());
            }
            if (q.get("runs") instanceof List<?> runs) {
                for (Object run : runs) {
                    if (run instanceof Map<?, ?> r && s.repo().equals(r.get("repo"))) {
                        printRun(out, r);
                    }
                }
            }
        }
    }

    /** A run the store recorded, from any machine: which part, when, from which commit, what it left. */
    private static void printRun(PrintWriter out, Map<?, ?> run) {
        String part = String.valueOf(run.get("part"));
        String commit = String.valueOf(run.get("commit"));
        out.printf(Locale.ROOT, "  run       %s: %s %s%s; %,d files, %,d chunks, %,d with vectors; model %s, chunker"
                + " %s, indexer %s%n", "all".equals(part) ? "the whole tree" : "part " + part, run.get("outcome"),
                run.get("finished"), commit.isEmpty() ? "" : " at commit " + commit.substring(0, Math.min(12, commit.length())),
                number(run.get("files")), number(run.get("chunks")), number(run.get("embedded")), run.get("model"),
                run.get("chunker"), run.get("indexer"));
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
