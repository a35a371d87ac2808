package dev.indexer.pipeline;

import dev.indexer.IndexerException;
import dev.indexer.chunk.SourceReader;
import dev.indexer.embed.Embedder;
import dev.indexer.state.Manifest;
import dev.indexer.store.VectorStore;
import dev.indexer.walk.WalkOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lifecycle of an index run: four stages ({@link ChangeDetection}, {@link ReadStage},
 * {@link EmbedStage}, {@link WriteStage}) on their own threads, joined by queues bounded in items
 * and bytes, so a slow stage holds the others back instead of letting work pile up in memory;
 * then the {@link DeletionSweep} once a walk has completed. Items keep file order end to end.
 *
 * <p>The first fatal error aborts every queue, all stages stop, and it is rethrown from
 * {@link #run()}; per-file problems are counted and the run goes on. A {@link Cancellation} stops
 * the stages from taking new work; what the store acknowledged is committed and the run ends as
 * interrupted. Either way the outcome is recorded in the manifest.
 */
public final class IndexPipeline {
    /**
     * What a run works with.
     *
     * @param root the tree, absolute
     * @param walk what the walker lets through
     * @param reader reads and chunks one file
     * @param embedder the model (loaded on first use)
     * @param store where chunks go
     * @param manifest what the collection holds, file by file
     */
    public record Parts(Path root, WalkOptions walk, SourceReader reader, Embedder embedder, VectorStore store,
            Manifest manifest) {}

    private final Parts parts;
    private final PipelineSettings settings;
    private final ProgressListener progress;
    private final Cancellation cancellation;
    private final RunReport report = new RunReport();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final BoundedQueue<Candidate> files;
    private final BoundedQueue<Item> chunks;
    private final BoundedQueue<Item> embedded;

    public IndexPipeline(Parts parts, PipelineSettings settings, ProgressListener progress, Cancellation cancellation) {
        this.parts = parts;
        this.settings = settings;
        this.progress = progress;
        this.cancellation = cancellation;
        this.files = new BoundedQueue<>("files", settings.queueItems(), settings.queueBytes());
        this.chunks = new BoundedQueue<>("chunks", settings.queueItems(), settings.queueBytes());
        this.embedded = new BoundedQueue<>("embedded", settings.queueItems(), settings.queueBytes());
    }

    /**
     * Runs to the end (or to {@code maxFiles}, or to a cancellation) and returns the final report.
     *
     * @throws IndexerException for the first fatal error of any stage
     */
    public RunSummary run() {
        Manifest manifest = parts.manifest();
        long run = manifest.startRun();
        manifest.putMeta(Map.of(
                "last_run_started", Instant.now().toString(),
                "last_run_outcome", "running",
                "last_run_pid", Long.toString(ProcessHandle.current().pid())));
        ChangeDetection walk = new ChangeDetection(parts.root(), parts.walk(), manifest, run, settings.maxFiles(),
                report, cancellation, files);
        WriteStage write = new WriteStage(parts.store(), manifest, run, settings.commitInterval(), report, embedded);
        DeletionSweep sweep = new DeletionSweep(parts.store(), manifest, run, report);
        List<Thread> stages = List.of(
                stage("indexer-walk", walk),
                stage("indexer-read", new ReadStage(parts.reader(), settings.batchSize(), report, cancellation, files,
                        chunks)),
                stage("indexer-embed", new EmbedStage(parts.embedder(), parts.store(), settings, report, cancellation,
                        chunks, embedded)),
                stage("indexer-write", () -> {
                    write.run();
                    if (walk.completed() && !cancellation.isCancelled()) {
                        sweep.run(cancellation);
                    }
                }));
        Thread counter = daemon("indexer-count", new PreCount(parts.root(), parts.walk(), manifest,
                settings.maxFiles(), parts.store().localDirectory(), report, this::fail));
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
        if (cancellation.isCancelled()) {
            report.interrupted();
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

    private void recordOutcome(RunSummary result, IndexerException fatal) {
        String outcome = fatal != null ? "failed: " + fatal.getMessage() : result.outcomeText();
        try {
            parts.manifest().putMeta(Map.of(
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

    private Thread stage(String name, Stage body) {
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
