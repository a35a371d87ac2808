package dev.indexer.pipeline;

import dev.indexer.IndexerException;
import dev.indexer.chunk.FileChangedException;
import dev.indexer.chunk.FileChunker;
import dev.indexer.embed.Embedder;
import dev.indexer.pipeline.Item.BatchEnd;
import dev.indexer.pipeline.Item.ChunkItem;
import dev.indexer.pipeline.Item.FileEnd;
import dev.indexer.pipeline.Item.FileFailed;
import dev.indexer.pipeline.Item.FileStart;
import dev.indexer.store.EmbeddedChunk;
import dev.indexer.store.VectorStore;
import dev.indexer.walk.ContentSniffer;
import dev.indexer.walk.FileWalker;
import dev.indexer.walk.SkipReason;
import dev.indexer.walk.SourceFile;
import dev.indexer.walk.WalkOptions;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Walk, read and chunk, embed, write: four threads joined by bounded queues, so a slow stage
 * holds the others back instead of letting work pile up in memory. Items keep file order end to
 * end. The first fatal error aborts every queue, all stages stop, and it is rethrown from
 * {@link #run()}; per-file problems are counted and the run goes on. The store is committed at
 * batch boundaries (at most once per commit interval) and at the end; closing it without a
 * commit drops only the work since the last one.
 */
public final class IndexPipeline {
    private final Path root;
    private final WalkOptions walkOptions;
    private final ContentSniffer sniffer;
    private final FileChunker chunker;
    private final Embedder embedder;
    private final VectorStore store;
    private final PipelineSettings settings;
    private final ProgressListener progress;
    private final RunReport report = new RunReport();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final BoundedQueue<SourceFile> files;
    private final BoundedQueue<Item> chunks;
    private final BoundedQueue<Item> embedded;

    public IndexPipeline(
            Path root,
            WalkOptions walkOptions,
            ContentSniffer sniffer,
            FileChunker chunker,
            Embedder embedder,
            VectorStore store,
            PipelineSettings settings,
            ProgressListener progress) {
        this.root = root;
        this.walkOptions = walkOptions;
        this.sniffer = sniffer;
        this.chunker = chunker;
        this.embedder = embedder;
        this.store = store;
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
        if (error != null) {
            if (error instanceof IndexerException fatal) {
                throw fatal;
            }
            throw new IndexerException("Indexing stopped on an internal error: " + error, error);
        }
        return result;
    }

    /** Counts what the run will see, for the progress display's percentage and ETA. */
    private void countAhead() {
        FileWalker walker = new FileWalker(root, walkOptions, (path, reason, detail) -> {});
        long count = 0;
        long bytes = 0;
        try (Stream<SourceFile> stream = walker.stream()) {
            Iterator<SourceFile> it = stream.iterator();
            while (it.hasNext() && count < settings.maxFiles() && failure.get() == null) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                bytes += it.next().size();
                count++;
            }
        } catch (RuntimeException e) {
            return; // the real walk reports problems; this count only feeds the ETA
        }
        report.expect(count, bytes);
    }

    private void walk() throws InterruptedException {
        FileWalker walker = new FileWalker(root, walkOptions, report);
        long handed = 0;
        try (Stream<SourceFile> stream = walker.stream()) {
            Iterator<SourceFile> it = stream.iterator();
            while (handed < settings.maxFiles() && it.hasNext()) {
                SourceFile file = it.next();
                report.fileFound();
                files.put(file, 64 + 2L * file.relativePath().length());
                handed++;
            }
            if (handed == settings.maxFiles() && it.hasNext()) {
                report.moreRemain();
            }
        } catch (java.io.UncheckedIOException e) {
            throw new IndexerException("Could not walk " + root + " (" + e.getMessage() + ").", e);
        }
        files.close();
    }

    private void chunk() throws InterruptedException {
        int inBatch = 0;
        for (SourceFile file = files.take(); file != null; file = files.take()) {
            if (sniffer.examine(file) instanceof ContentSniffer.Skip skip) {
                report.fileFailed(file, skip.reason(), skip.detail());
                continue;
            }
            chunks.put(new FileStart(file), 64);
            long[] tokens = {0};
            try {
                FileChunker.Result result = chunker.chunk(file, chunk -> {
                    tokens[0] += chunk.tokens();
                    ChunkItem item = new ChunkItem(chunk, null);
                    chunks.put(item, item.weight());
                });
                chunks.put(new FileEnd(file, result.chunks(), (int) tokens[0]), 64);
                if (result.replacementChars() > 0) {
                    report.fileHadReplacements();
                }
            } catch (FileChangedException e) {
                failFile(file, SkipReason.CHANGED, e.getMessage());
            } catch (NoSuchFileException e) {
                failFile(file, SkipReason.VANISHED, "deleted while it was read");
            } catch (AccessDeniedException e) {
                failFile(file, SkipReason.UNREADABLE, "permission denied");
            } catch (IOException e) {
                failFile(file, SkipReason.UNREADABLE, String.valueOf(e.getMessage()));
            }
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

    private void failFile(SourceFile file, SkipReason reason, String detail) throws InterruptedException {
        report.fileFailed(file, reason, detail);
        FileFailed failed = new FileFailed(file, reason, detail);
        chunks.put(failed, failed.weight());
    }

    private void embed() throws InterruptedException {
        List<Item> window = new ArrayList<>();
        long windowTokens = 0;
        // Several model calls' worth, so sorting by length has something to work with.
        long windowLimit = 4L * settings.embedBatchTokens();
        for (Item item = chunks.take(); item != null; item = chunks.take()) {
            if (item instanceof FileFailed failed) {
                String path = failed.file().relativePath();
                window.removeIf(i -> i instanceof ChunkItem c && c.chunk().path().equals(path));
            }
            window.add(item);
            if (item instanceof ChunkItem c) {
                windowTokens += c.chunk().tokens() + embedder.specialTokens();
            }
            if (item instanceof BatchEnd || windowTokens >= windowLimit || window.size() >= settings.queueItems()) {
                flush(window);
                windowTokens = 0;
            }
        }
        flush(window);
        embedded.close();
    }

    private void flush(List<Item> window) throws InterruptedException {
        List<ChunkItem> pending = new ArrayList<>();
        for (Item item : window) {
            if (item instanceof ChunkItem c) {
                pending.add(c);
            }
        }
        int[] tokens = new int[pending.size()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = Math.min(embedder.maxTokens(), pending.get(i).chunk().tokens() + embedder.specialTokens());
        }
        float[][] vectors = new float[pending.size()][];
        for (int[] batch : EmbedBatches.plan(tokens, settings.embedBatchTokens(), settings.embedBatchInputs())) {
            List<String> texts = new ArrayList<>(batch.length);
            for (int index : batch) {
                texts.add(pending.get(index).chunk().text());
            }
            float[][] result = embedder.embedDocuments(texts);
            for (int j = 0; j < batch.length; j++) {
                vectors[batch[j]] = result[j];
            }
        }
        int next = 0;
        for (Item item : window) {
            Item out = item instanceof ChunkItem c ? new ChunkItem(c.chunk(), vectors[next++]) : item;
            embedded.put(out, out.weight());
        }
        window.clear();
    }

    private void write() throws InterruptedException {
        List<EmbeddedChunk> pending = new ArrayList<>();
        long lastCommit = System.nanoTime();
        for (Item item = embedded.take(); item != null; item = embedded.take()) {
            if (item instanceof FileStart start) {
                store.deleteFile(start.file().relativePath());
            } else if (item instanceof ChunkItem c) {
                pending.add(new EmbeddedChunk(c.chunk(), c.vector()));
                if (pending.size() >= 256) {
                    store.upsert(pending);
                    pending.clear();
                }
            } else if (item instanceof FileEnd end) {
                report.fileIndexed(end.file().size(), end.chunks(), end.tokens());
            } else if (item instanceof FileFailed failed) {
                String path = failed.file().relativePath();
                pending.removeIf(e -> e.chunk().path().equals(path));
                store.deleteFile(path);
            } else if (item instanceof BatchEnd) {
                store.upsert(pending);
                pending.clear();
                if (System.nanoTime() - lastCommit >= settings.commitInterval().toNanos()) {
                    store.commit();
                    lastCommit = System.nanoTime();
                }
            }
        }
        store.upsert(pending);
        store.commit();
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
