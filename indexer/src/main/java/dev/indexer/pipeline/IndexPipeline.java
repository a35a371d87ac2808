package dev.indexer.pipeline;

import dev.indexer.IndexerException;
import dev.indexer.chunk.Chunk;
import dev.indexer.chunk.ChunkSink;
import dev.indexer.chunk.ContentHash;
import dev.indexer.chunk.DocumentException;
import dev.indexer.chunk.FileChangedException;
import dev.indexer.chunk.FileChunker;
import dev.indexer.config.ByteSize;
import dev.indexer.embed.Embedder;
import dev.indexer.pipeline.Item.BatchEnd;
import dev.indexer.pipeline.Item.ChunkItem;
import dev.indexer.pipeline.Item.FileEnd;
import dev.indexer.pipeline.Item.FileFailed;
import dev.indexer.pipeline.Item.FileSkipped;
import dev.indexer.pipeline.Item.FileStart;
import dev.indexer.pipeline.Item.FileTouched;
import dev.indexer.state.FileRecord;
import dev.indexer.state.Manifest;
import dev.indexer.store.EmbeddedChunk;
import dev.indexer.store.VectorStore;
import dev.indexer.walk.ContentSniffer;
import dev.indexer.walk.FileWalker;
import dev.indexer.walk.SkipReason;
import dev.indexer.walk.SourceFile;
import dev.indexer.walk.WalkOptions;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Walk, read and chunk, embed, write: four threads joined by bounded queues, so a slow stage
 * holds the others back instead of letting work pile up in memory. Items keep file order end to
 * end. The first fatal error aborts every queue, all stages stop, and it is rethrown from
 * {@link #run()}; per-file problems are counted and the run goes on.
 *
 * <p>The walk compares each file with the {@link Manifest}: files with the recorded size and
 * modification time are not read; new and changed ones (at most {@code maxFiles}) are. The writer
 * commits the store at batch ends (at most once per commit interval) and at the end, and only
 * then records those files in the manifest, so a crash at any moment leaves a manifest that
 * claims no more than the store holds. Once a walk has completed, files the manifest has but the
 * walk did not meet are removed.
 */
public final class IndexPipeline {
    private final Path root;
    private final WalkOptions walkOptions;
    private final ContentSniffer sniffer;
    private final FileChunker chunker;
    private final Embedder embedder;
    private final VectorStore store;
    private final Manifest manifest;
    private final PipelineSettings settings;
    private final ProgressListener progress;
    private final RunReport report = new RunReport();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean walkCompleted = new AtomicBoolean();
    private final BoundedQueue<Candidate> files;
    private long run;
    private final BoundedQueue<Item> chunks;
    private final BoundedQueue<Item> embedded;

    public IndexPipeline(
            Path root,
            WalkOptions walkOptions,
            ContentSniffer sniffer,
            FileChunker chunker,
            Embedder embedder,
            VectorStore store,
            Manifest manifest,
            PipelineSettings settings,
            ProgressListener progress) {
        this.root = root;
        this.walkOptions = walkOptions;
        this.sniffer = sniffer;
        this.chunker = chunker;
        this.embedder = embedder;
        this.store = store;
        this.manifest = manifest;
        this.settings = settings;
        this.progress = progress;
        this.files = new BoundedQueue<>("files", settings.queueItems(), settings.queueBytes());
        this.chunks = new BoundedQueue<>("chunks", settings.queueItems(), settings.queueBytes());
        this.embedded = new BoundedQueue<>("embedded", settings.queueItems(), settings.queueBytes());
    }

    /**
     * Runs to the end (or to {@code maxFiles}) and returns the final report.
     *
     * @throws IndexerException for the first fatal error of any stage
     */
    public RunSummary run() {
        run = manifest.startRun();
        manifest.putMeta(Map.of("last_run_started", Instant.now().toString(), "last_run_outcome", "running"));
        Thread counter = daemon("indexer-count", this::countAhead);
        List<Thread> stages = List.of(
                stage("indexer-walk", this::walk),
                stage("indexer-chunk", this::chunk),
                stage("indexer-embed", this::embed),
                stage("indexer-write", this::write));
        CountDownLatch done = new CountDownLatch(1);
        Thread ticker = daemon("indexer-progress", () -> tick(done));
        counter.start();
        stages.forEach(Thread::start);
        ticker.start();
        try {
            for (Thread stage : stages) {
                stage.join();
            }
        } catch (InterruptedException e) {
            fail(e);
            Thread.currentThread().interrupt();
        } finally {
            done.countDown();
            counter.interrupt();
        }
        RunSummary result = report.summary();
        progress.finish(result);
        Throwable error = failure.get();
        IndexerException fatal = error == null ? null
                : error instanceof IndexerException e ? e
                : new IndexerException("Indexing stopped on an internal error: " + error, error);
        recordOutcome(result, fatal);
        if (fatal != null) {
            throw fatal;
        }
        return result;
    }

    /**
     * Disk a store takes per byte of source text: 737 MB for the JDK's 212.9 MB of sources
     * (vectors, graph, stored text and lexical index), rounded up.
     */
    static final double STORE_BYTES_PER_TEXT_BYTE = 3.5;

    /**
     * Counts the new and changed files the run will read, for the progress display's percentage
     * and ETA, and stops the run early if the store's disk cannot hold what they will add.
     */
    private void countAhead() {
        FileWalker walker = new FileWalker(root, walkOptions, (path, reason, detail) -> {});
        long count = 0;
        long bytes = 0;
        try (Manifest reader = manifest.openReader(); Stream<SourceFile> stream = walker.stream()) {
            Iterator<SourceFile> it = stream.iterator();
            while (it.hasNext() && count < settings.maxFiles() && failure.get() == null) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                SourceFile file = it.next();
                if (reader.get(file.relativePath()).filter(p -> p.sameMetadata(file.size(), file.modifiedMillis()))
                        .isEmpty()) {
                    bytes += file.size();
                    count++;
                }
            }
        } catch (RuntimeException e) {
            return; // the real walk reports problems; this count only feeds the ETA and the disk check
        }
        report.expect(count, bytes);
        checkDisk(bytes);
    }

    private void checkDisk(long pendingBytes) {
        Optional<Path> dir = store.localDirectory();
        if (dir.isEmpty()) {
            return;
        }
        long needed = (long) (pendingBytes * STORE_BYTES_PER_TEXT_BYTE);
        try {
            long usable = Files.getFileStore(dir.get()).getUsableSpace();
            if (needed > usable) {
                fail(new IndexerException("The index will need about " + ByteSize.format(needed) + " more disk ("
                        + STORE_BYTES_PER_TEXT_BYTE + " times the " + ByteSize.format(pendingBytes) + " of files to read),"
                        + " but only " + ByteSize.format(usable) + " is free at " + dir.get() + "; free some space, or"
                        + " index part of the tree with --max-files."));
            }
        } catch (IOException e) {
            // no answer from the file system: the writes themselves will report a full disk
        }
    }

    private void walk() throws InterruptedException {
        FileWalker walker = new FileWalker(root, walkOptions, report);
        long handed = 0;
        long remaining = 0;
        List<String> seen = new ArrayList<>();
        try (Stream<SourceFile> stream = walker.stream()) {
            Iterator<SourceFile> it = stream.iterator();
            while (it.hasNext()) {
                SourceFile file = it.next();
                report.fileFound();
                Optional<FileRecord> previous = manifest.get(file.relativePath());
                if (previous.isPresent()) {
                    seen.add(file.relativePath());
                    if (seen.size() >= 512) {
                        manifest.markSeen(seen, run);
                        seen.clear();
                    }
                    if (previous.get().sameMetadata(file.size(), file.modifiedMillis())) {
                        report.fileUnchanged();
                        continue;
                    }
                }
                if (handed < settings.maxFiles()) {
                    Candidate candidate = new Candidate(file, previous);
                    files.put(candidate, candidate.weight());
                    report.fileQueued(previous.isEmpty());
                    handed++;
                } else {
                    remaining++;
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw new IndexerException("Could not walk " + root + " (" + e.getMessage() + ").", e);
        }
        manifest.markSeen(seen, run);
        report.remaining(remaining);
        walkCompleted.set(true);
        files.close();
    }

    private void chunk() throws InterruptedException {
        int inBatch = 0;
        for (Candidate candidate = files.take(); candidate != null; candidate = files.take()) {
            read(candidate.file(), candidate.previous());
            if (++inBatch == settings.batchSize()) {
                chunks.put(new BatchEnd(), 16);
                inBatch = 0;
            }
        }
        if (inBatch > 0) {
            chunks.put(new BatchEnd(), 16);
        }
        chunks.close();
    }

    /** Hashes, sniffs and chunks one file; every outcome is an item for the writer. */
    private void read(SourceFile file, Optional<FileRecord> previous) throws InterruptedException {
        String path = file.relativePath();
        try {
            String hash = ContentHash.of(file);
            if (previous.isPresent() && previous.get().hash().equals(hash)) {
                report.fileTouched(file);
                put(new FileTouched(file, previous.get().withMetadata(file.size(), file.modifiedMillis())));
                return;
            }
            ContentSniffer.Verdict verdict = sniffer.examine(file);
            if (verdict instanceof ContentSniffer.Skip skip) {
                report.fileFailed(file, skip.reason(), skip.detail());
                FileRecord record = new FileRecord(path, file.size(), file.modifiedMillis(), hash,
                        skip.reason().name(), List.of());
                put(new FileSkipped(file, record, previous.map(FileRecord::isIndexed).orElse(false)));
                return;
            }
            put(new FileStart(file, previous.filter(FileRecord::isIndexed).map(FileRecord::chunkHashes)
                    .orElse(List.of())));
            List<String> chunkHashes = new ArrayList<>();
            long[] tokens = {0};
            ChunkSink sink = chunk -> {
                tokens[0] += chunk.tokens();
                chunkHashes.add(chunk.hash());
                put(new ChunkItem(chunk, null));
            };
            FileChunker.Result result = verdict instanceof ContentSniffer.Document document
                    ? chunker.chunkDocument(file, document.type(), sink)
                    : chunker.chunk(file, sink);
            if (result.truncated()) {
                report.documentTruncated();
            }
            if (result.replacementChars() > 0) {
                report.fileHadReplacements();
            }
            FileRecord record = new FileRecord(path, file.size(), file.modifiedMillis(), hash, FileRecord.INDEXED,
                    chunkHashes);
            put(new FileEnd(file, record, tokens[0]));
        } catch (DocumentException e) {
            failFile(file, e.reason(), e.getMessage());
        } catch (FileChangedException e) {
            failFile(file, SkipReason.CHANGED, e.getMessage());
        } catch (NoSuchFileException e) {
            failFile(file, SkipReason.VANISHED, "deleted before or while it was read");
        } catch (AccessDeniedException e) {
            failFile(file, SkipReason.UNREADABLE, "permission denied");
        } catch (IOException e) {
            failFile(file, SkipReason.UNREADABLE, String.valueOf(e.getMessage()));
        }
    }

    private void put(Item item) throws InterruptedException {
        chunks.put(item, item.weight());
    }

    private void failFile(SourceFile file, SkipReason reason, String detail) throws InterruptedException {
        report.fileFailed(file, reason, detail);
        put(new FileFailed(file, reason, detail));
    }

    private void embed() throws InterruptedException {
        List<Item> window = new ArrayList<>();
        // For each file being re-indexed: the stored vectors of its old chunks, by text hash, so that
        // unchanged text keeps its vector. Fetched when the file starts, before the writer can touch
        // its points: a store that applies writes at once (Qdrant) would otherwise hand back a vector
        // this run already replaced. Held until the file ends: at most one file's chunks per file open.
        Map<String, Map<String, float[]>> reusable = new HashMap<>();
        long windowTokens = 0;
        // Several model calls' worth, so sorting by length has something to work with.
        long windowLimit = 4L * settings.embedBatchTokens();
        for (Item item = chunks.take(); item != null; item = chunks.take()) {
            if (item instanceof FileStart start && !start.previousChunkHashes().isEmpty()) {
                reusable.put(start.file().relativePath(), storedVectors(start));
            }
            if (item instanceof FileFailed failed) {
                String path = failed.file().relativePath();
                window.removeIf(i -> i instanceof ChunkItem c && c.chunk().path().equals(path));
            }
            window.add(item);
            if (item instanceof ChunkItem c) {
                windowTokens += c.chunk().tokens() + embedder.specialTokens();
            }
            if (item instanceof BatchEnd || windowTokens >= windowLimit || window.size() >= settings.queueItems()) {
                flush(window, reusable);
                windowTokens = 0;
            }
        }
        flush(window, reusable);
        embedded.close();
    }

    private void flush(List<Item> window, Map<String, Map<String, float[]>> reusable) throws InterruptedException {
        List<ChunkItem> pending = new ArrayList<>();
        for (Item item : window) {
            if (item instanceof ChunkItem c) {
                pending.add(c);
            }
        }
        float[][] vectors = new float[pending.size()][];
        int reused = reuseVectors(pending, reusable, vectors);
        List<Integer> toEmbed = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            if (vectors[i] == null) {
                toEmbed.add(i);
            }
        }
        List<String> texts = new ArrayList<>(toEmbed.size());
        int[] tokens = new int[toEmbed.size()];
        for (int i = 0; i < tokens.length; i++) {
            Chunk chunk = pending.get(toEmbed.get(i)).chunk();
            texts.add(chunk.embedText());
            tokens[i] = Math.min(embedder.maxTokens(), chunk.tokens() + embedder.specialTokens());
        }
        float[][] embeddedVectors = EmbedBatches.embed(
                embedder, texts, tokens, settings.embedBatchTokens(), settings.embedBatchInputs());
        for (int i = 0; i < tokens.length; i++) {
            vectors[toEmbed.get(i)] = embeddedVectors[i];
        }
        report.chunksEmbedded(toEmbed.size(), reused);
        int next = 0;
        for (Item item : window) {
            Item out = item instanceof ChunkItem c ? new ChunkItem(c.chunk(), vectors[next++]) : item;
            embedded.put(out, out.weight());
            if (item instanceof FileEnd end) {
                reusable.remove(end.file().relativePath());
            } else if (item instanceof FileFailed failed) {
                reusable.remove(failed.file().relativePath());
            }
        }
        window.clear();
    }

    /** The vectors the store holds for a file's old chunks, by the hash of their text. */
    private Map<String, float[]> storedVectors(FileStart start) {
        String path = start.file().relativePath();
        List<String> hashes = start.previousChunkHashes();
        Map<String, String> hashById = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (int ordinal = 0; ordinal < hashes.size(); ordinal++) {
            if (seen.add(hashes.get(ordinal))) {
                hashById.put(Chunk.idFor(path, ordinal), hashes.get(ordinal));
            }
        }
        Map<String, float[]> byHash = new HashMap<>();
        for (Map.Entry<String, float[]> found : store.vectors(hashById).entrySet()) {
            byHash.put(hashById.get(found.getKey()), found.getValue());
        }
        return byHash;
    }

    /** Fills in the stored vectors of chunks whose text the file had before; returns how many. */
    private static int reuseVectors(
            List<ChunkItem> pending, Map<String, Map<String, float[]>> reusable, float[][] vectors) {
        int reused = 0;
        for (int i = 0; i < pending.size(); i++) {
            Chunk chunk = pending.get(i).chunk();
            Map<String, float[]> byHash = reusable.get(chunk.path());
            float[] vector = byHash == null ? null : byHash.get(chunk.hash());
            if (vector != null) {
                vectors[i] = vector;
                reused++;
            }
        }
        return reused;
    }

    private void write() throws InterruptedException {
        Writes writes = new Writes();
        for (Item item = embedded.take(); item != null; item = embedded.take()) {
            if (item instanceof FileStart start) {
                store.deleteFile(start.file().relativePath());
            } else if (item instanceof ChunkItem c) {
                writes.chunks.add(new EmbeddedChunk(c.chunk(), c.vector()));
                if (writes.chunks.size() >= 256) {
                    store.upsert(writes.chunks);
                    writes.chunks.clear();
                }
            } else if (item instanceof FileEnd end) {
                report.fileIndexed(end.file().size(), end.record().chunkHashes().size(), end.tokens());
                writes.records.add(end.record());
            } else if (item instanceof FileTouched touched) {
                writes.records.add(touched.record());
            } else if (item instanceof FileSkipped skipped) {
                if (skipped.wasIndexed()) {
                    store.deleteFile(skipped.file().relativePath());
                }
                writes.records.add(skipped.record());
            } else if (item instanceof FileFailed failed) {
                String path = failed.file().relativePath();
                writes.chunks.removeIf(e -> e.chunk().path().equals(path));
                store.deleteFile(path);
                writes.removed.add(path);
            } else if (item instanceof BatchEnd) {
                boolean due = System.nanoTime() - writes.lastCommit >= settings.commitInterval().toNanos();
                if (due || writes.records.size() + writes.removed.size() >= 4096) {
                    commit(writes);
                }
            }
        }
        commit(writes);
        if (walkCompleted.get()) {
            removeDeleted();
        }
    }

    /** What the writer has sent to the store since its last commit, and owes the manifest. */
    private static final class Writes {
        final List<EmbeddedChunk> chunks = new ArrayList<>();
        final List<FileRecord> records = new ArrayList<>();
        final List<String> removed = new ArrayList<>();
        long lastCommit = System.nanoTime();
    }

    /** Store first, manifest second: the manifest must never claim what the store has not kept. */
    private void commit(Writes writes) {
        store.upsert(writes.chunks);
        writes.chunks.clear();
        store.commit();
        manifest.record(writes.records, writes.removed, run);
        writes.records.clear();
        writes.removed.clear();
        writes.lastCommit = System.nanoTime();
    }

    /** Removes files the manifest has but this run's completed walk did not meet. */
    private void removeDeleted() {
        for (List<String> gone = manifest.unseen(run, 1000); !gone.isEmpty(); gone = manifest.unseen(run, 1000)) {
            for (String path : gone) {
                store.deleteFile(path);
            }
            store.commit();
            manifest.record(List.of(), gone, run);
            report.filesDeleted(gone.size());
        }
    }

    private void recordOutcome(RunSummary result, IndexerException fatal) {
        String outcome = fatal != null ? "failed: " + fatal.getMessage()
                : result.moreRemain() ? "stopped at --max-files; " + result.changes().remaining() + " files remain"
                : "completed";
        try {
            manifest.putMeta(Map.of(
                    "last_run_finished", Instant.now().toString(),
                    "last_run_outcome", outcome,
                    "last_run_files_indexed", Long.toString(result.filesIndexed())));
        } catch (IndexerException e) {
            if (fatal != null) {
                fatal.addSuppressed(e);
            } else {
                throw e;
            }
        }
    }

    private void tick(CountDownLatch done) {
        try {
            while (!done.await(settings.progressInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                progress.update(report.summary());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A stage body that may block on its queues. */
    @FunctionalInterface
    private interface StageBody {
        void run() throws Exception;
    }

    private Thread stage(String name, StageBody body) {
        return new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                // A CancellationException here means another stage failed first; fail() keeps the first error.
                fail(e);
            }
        }, name);
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        return thread;
    }

    private void fail(Throwable error) {
        boolean first = failure.compareAndSet(null, error);
        if (first || !(error instanceof CancellationException)) {
            files.abort();
            chunks.abort();
            embedded.abort();
        }
    }
}
