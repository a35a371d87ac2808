package dev.indexer.pipeline;

import dev.indexer.IndexerException;
import dev.indexer.config.ByteSize;
import dev.indexer.state.FileRecord;
import dev.indexer.state.Manifest;
import dev.indexer.walk.FileWalker;
import dev.indexer.walk.SourceFile;
import dev.indexer.walk.WalkOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Counts, ahead of the walk stage and on its own manifest connection, the new and changed files
 * the run will read: for the progress display's percentage and ETA, and to stop the run early if
 * the store's disk cannot hold what they will add. It only informs; if it fails, the run goes on
 * without an ETA or a disk check, and the report says so.
 */
final class PreCount implements Runnable {
    /**
     * Disk a store takes per byte of source text: 737 MB for the JDK's 212.9 MB of sources
     * (vectors, graph, stored text and lexical index), rounded up.
     */
    static final double STORE_BYTES_PER_TEXT_BYTE = 3.5;

    private final Path root;
    private final WalkOptions options;
    private final Manifest manifest;
    private final Optional<Path> storeDirectory;
    private final RunReport report;
    private final Consumer<IndexerException> fail;

    PreCount(Path root, WalkOptions options, Manifest manifest, Optional<Path> storeDirectory,
            RunReport report, Consumer<IndexerException> fail) {
        this.root = root;
        this.options = options;
        this.manifest = manifest;
        this.storeDirectory = storeDirectory;
        this.report = report;
        this.fail = fail;
    }

    @Override
    public void run() {
        FileWalker walker = new FileWalker(root, options, (path, reason, detail) -> {});
        long count = 0;
        long bytes = 0;
        try (Manifest reader = manifest.openReader(); Stream<SourceFile> stream = walker.stream()) {
            for (SourceFile file : (Iterable<SourceFile>) stream::iterator) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                Optional<FileRecord> known = reader.get(file.relativePath());
                if (known.filter(p -> p.sameMetadata(file.size(), file.modifiedMillis())).isEmpty()) {
                    bytes += file.size();
                    count++;
                }
            }
        } catch (RuntimeException e) {
            // The real walk reports problems with the tree; this count only feeds the ETA and the disk check.
            report.fallback(RunReport.NO_PRECOUNT, "", String.valueOf(e.getMessage()));
            return;
        }
        report.expect(count, bytes);
        checkDisk(bytes);
    }

    private void checkDisk(long pendingBytes) {
        if (storeDirectory.isEmpty()) {
            return;
        }
        long needed = (long) (pendingBytes * STORE_BYTES_PER_TEXT_BYTE);
        try {
            long usable = Files.getFileStore(storeDirectory.get()).getUsableSpace();
            if (needed > usable) {
                fail.accept(new IndexerException("The index will need about " + ByteSize.format(needed) + " more disk ("
                        + STORE_BYTES_PER_TEXT_BYTE + " times the " + ByteSize.format(pendingBytes) + " of files to read),"
                        + " but only " + ByteSize.format(usable) + " is free at " + storeDirectory.get() + "; free some"
                        + " space there, put the index on a larger disk with --index-dir, or leave part of the tree out"
                        + " (index a subdirectory, or list paths in .indexerignore)."));
            }
        } catch (IOException e) {
            // no answer from the file system: the writes themselves will report a full disk
            report.fallback(RunReport.NO_DISK_CHECK, "", String.valueOf(e.getMessage()));
        }
    }
}
