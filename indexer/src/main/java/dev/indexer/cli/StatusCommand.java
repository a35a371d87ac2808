package dev.indexer.cli;

import com.google.gson.GsonBuilder;
import dev.indexer.config.ByteSize;
import dev.indexer.config.IndexHome;
import dev.indexer.state.FileRecord;
import dev.indexer.state.Manifest;
import dev.indexer.IndexerException;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.VectorStore;
import dev.indexer.store.qdrant.QdrantStore;
import dev.indexer.walk.FileWalker;
import dev.indexer.walk.SourceFile;
import dev.indexer.walk.WalkOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Show what a collection holds, what its last run did, and what a rerun would do for PATH.")
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
    QdrantOptions qdrant;

    @Option(names = "--json", description = "Print the status as one JSON object.")
    boolean json;

    StatusCommand(CliContext context) {
        this.context = context;
    }

    /** New, changed and deleted files: what {@code index} would do now. */
    record Pending(long added, long changed, long deleted) {}

    @Override
    public Integer call() throws IOException {
        String collection = store.collection(spec.commandLine());
        IndexHome home = store.home(context.env());
        Path dir = home.collectionDir(collection);
        Path manifestFile = dir.resolve(Manifest.FILE_NAME);
        StoreTarget target = StoreTarget.of(qdrant, home, context, spec.commandLine());
        boolean local = Manifest.exists(manifestFile);
        if (!local && target instanceof StoreTarget.Embedded) {
            throw StoreOptions.noCollection(collection, home);
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("collection", collection);
        long storeChunks;
        Map<String, Object> server = null;
        CollectionInfo stored;
        try (VectorStore vectors = target.openForReading(collection)) {
            storeChunks = vectors.count();
            stored = vectors.info();
            if (vectors instanceof QdrantStore q) {
                server = q.describe();
            }
        } catch (IndexerException e) {
            if (local) {
                // The manifest is still worth showing; say why the store's side is missing.
                context.err().println("indexer: " + e.getMessage());
                storeChunks = -1;
                stored = null;
            } else {
                throw e;
            }
        }
        status.put("store", target instanceof StoreTarget.Qdrant ? "Qdrant" : "embedded (Lucene)");
        status.put("location", target instanceof StoreTarget.Qdrant q ? q.settings().address().toString() : dir.toString());
        if (!local) {
            // Another machine indexed it: only the server's side is known here.
            status.put("model", stored.model());
            status.put("dimension", stored.dimension());
            status.put("root", stored.root());
            status.put("storeChunks", storeChunks);
        } else {
            try (Manifest manifest = Manifest.open(manifestFile)) {
                Map<String, String> meta = manifest.meta();
                Manifest.Totals totals = manifest.totals();
                Path root = path != null ? path.toAbsolutePath().normalize() : Path.of(meta.getOrDefault("root", "."));
                status.put("model", meta.getOrDefault("model", "?"));
                status.put("dimension", Integer.parseInt(meta.getOrDefault("dimension", "0")));
                status.put("root", root.toString());
                status.put("filesIndexed", totals.indexedFiles());
                status.put("filesSkipped", totals.files() - totals.indexedFiles());
                status.put("chunks", totals.chunks());
                status.put("storeChunks", storeChunks);
                if (Files.isDirectory(root)) {
                    Pending pending = pending(manifest, root, meta, totals.files());
                    status.put("pendingNew", pending.added());
                    status.put("pendingChanged", pending.changed());
                    status.put("pendingDeleted", pending.deleted());
                }
                status.put("lastRunStarted", meta.getOrDefault("last_run_started", ""));
                status.put("lastRunFinished", meta.getOrDefault("last_run_finished", ""));
                status.put("lastRunOutcome", meta.getOrDefault("last_run_outcome", "never run"));
                status.put("diskBytes", CollectionFiles.diskBytes(dir));
            }
        }
        if (server != null) {
            status.put("qdrant", server);
        }
        if (json) {
            context.out().println(new GsonBuilder().disableHtmlEscaping().create().toJson(status));
        } else {
            print(context.out(), status);
        }
        context.out().flush();
        return ExitCodes.OK;
    }

    /** Walks the tree as the last run did and compares it with the manifest, reading no file. */
    private static Pending pending(Manifest manifest, Path root, Map<String, String> meta, long recorded) {
        WalkOptions options = new WalkOptions(
                Long.parseLong(meta.getOrDefault("max_file_size", Long.toString(5L << 20))),
                Boolean.parseBoolean(meta.getOrDefault("follow_symlinks", "false"))
                        ? WalkOptions.SymlinkPolicy.FOLLOW : WalkOptions.SymlinkPolicy.SKIP);
        long added = 0;
        long changed = 0;
        long met = 0;
        try (Stream<SourceFile> files = new FileWalker(root, options, (p, r, d) -> {}).stream()) {
            for (Iterator<SourceFile> it = files.iterator(); it.hasNext(); ) {
                SourceFile file = it.next();
                Optional<FileRecord> record = manifest.get(file.relativePath());
                if (record.isEmpty()) {
                    added++;
                } else {
                    met++;
                    if (!record.get().sameMetadata(file.size(), file.modifiedMillis())) {
                        changed++;
                    }
                }
            }
        }
        return new Pending(added, changed, recorded - met);
    }

    private static void print(PrintWriter out, Map<String, Object> s) {
        out.printf(Locale.ROOT, "Collection '%s' (%s at %s)%n", s.get("collection"), s.get("store"), s.get("location"));
        out.printf(Locale.ROOT, "  model     %s (%s dimensions)%n", s.get("model"), s.get("dimension"));
        if (s.containsKey("filesIndexed")) {
            out.printf(Locale.ROOT, "  files     %,d indexed, %,d read but skipped (binary, generated...)%n",
                    s.get("filesIndexed"), s.get("filesSkipped"));
            long storeChunks = (Long) s.get("storeChunks");
            out.printf(Locale.ROOT, "  chunks    %,d (the store holds %s)%n", s.get("chunks"),
                    storeChunks < 0 ? "an unknown number" : String.format(Locale.ROOT, "%,d", storeChunks));
            if (s.containsKey("pendingNew")) {
                out.printf(Locale.ROOT, "  pending   %,d new, %,d changed, %,d deleted in %s%n",
                        s.get("pendingNew"), s.get("pendingChanged"), s.get("pendingDeleted"), s.get("root"));
            } else {
                out.printf(Locale.ROOT, "  pending   unknown: %s is not a directory%n", s.get("root"));
            }
            out.printf(Locale.ROOT, "  last run  %s, %s%n", s.get("lastRunFinished").toString().isEmpty()
                    ? s.get("lastRunStarted") : s.get("lastRunFinished"), s.get("lastRunOutcome"));
            out.printf(Locale.ROOT, "  disk      %s (manifest%s)%n", ByteSize.format((Long) s.get("diskBytes")),
                    s.containsKey("qdrant") ? "" : " and index");
        } else {
            out.printf(Locale.ROOT, "  chunks    %,d; no manifest on this machine (indexed elsewhere?) for %s%n",
                    s.get("storeChunks"), s.get("root"));
        }
        if (s.get("qdrant") instanceof Map<?, ?> q) {
            out.printf(Locale.ROOT, "  qdrant    %s, %,d points (%,d indexed), %s segments%n",
                    q.get("status"), q.get("points"), q.get("indexedVectors"), q.get("segments"));
            out.printf(Locale.ROOT, "  vectors   %s %s, on disk: %s; quantization: %s; sparse: %s%n",
                    q.get("vectorSize"), q.get("distance"), q.get("vectorsOnDisk"), q.get("quantization"),
                    q.get("sparseVectors"));
            out.printf(Locale.ROOT, "  hnsw      m %s, ef_construct %s, on disk: %s%n",
                    q.get("hnswM"), q.get("hnswEfConstruct"), q.get("hnswOnDisk"));
            out.printf(Locale.ROOT, "  layout    %s shards x %s replicas; payload on disk: %s; indexed fields: %s%n",
                    q.get("shards"), q.get("replicas"), q.get("payloadOnDisk"), q.get("payloadIndexes"));
        }
    }
}
