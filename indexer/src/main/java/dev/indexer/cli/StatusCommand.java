package dev.indexer.cli;

import com.google.gson.GsonBuilder;
import dev.indexer.config.ByteSize;
import dev.indexer.config.IndexHome;
import dev.indexer.state.FileRecord;
import dev.indexer.state.Manifest;
import dev.indexer.store.local.LuceneStore;
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
        if (!Manifest.exists(manifestFile)) {
            throw StoreOptions.noCollection(collection, home);
        }
        Map<String, Object> status = new LinkedHashMap<>();
        try (Manifest manifest = Manifest.open(manifestFile)) {
            Map<String, String> meta = manifest.meta();
            Manifest.Totals totals = manifest.totals();
            long storeChunks;
            try (LuceneStore lucene = LuceneStore.openForReading(home.luceneDir(collection), collection)) {
                storeChunks = lucene.count();
            }
            Path root = path != null ? path.toAbsolutePath().normalize() : Path.of(meta.getOrDefault("root", "."));
            status.put("collection", collection);
            status.put("store", "embedded (Lucene)");
            status.put("location", dir.toString());
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
        out.printf(Locale.ROOT, "  files     %,d indexed, %,d read but skipped (binary, generated...)%n",
                s.get("filesIndexed"), s.get("filesSkipped"));
        out.printf(Locale.ROOT, "  chunks    %,d (the store holds %,d)%n", s.get("chunks"), s.get("storeChunks"));
        if (s.containsKey("pendingNew")) {
            out.printf(Locale.ROOT, "  pending   %,d new, %,d changed, %,d deleted in %s%n",
                    s.get("pendingNew"), s.get("pendingChanged"), s.get("pendingDeleted"), s.get("root"));
        } else {
            out.printf(Locale.ROOT, "  pending   unknown: %s is not a directory%n", s.get("root"));
        }
        out.printf(Locale.ROOT, "  last run  %s, %s%n", s.get("lastRunFinished").toString().isEmpty()
                ? s.get("lastRunStarted") : s.get("lastRunFinished"), s.get("lastRunOutcome"));
        out.printf(Locale.ROOT, "  disk      %s%n", ByteSize.format((Long) s.get("diskBytes")));
    }
}
