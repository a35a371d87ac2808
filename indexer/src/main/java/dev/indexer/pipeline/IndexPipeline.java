package dev.indexer.pipeline;

import dev.indexer.IndexerException;
import dev.indexer.chunk.SourceReader;
import dev.indexer.config.Defaults;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.IndexerVersion;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.Shard;
import dev.indexer.embed.Embedder;
import dev.indexer.git.GitCheckout;
import dev.indexer.memory.MemoryReturn;
import dev.indexer.navigate.NavigationWriter;
import dev.indexer.state.Manifest;
import dev.indexer.state.VectorCache;
import dev.indexer.store.RunRecord;
import dev.indexer.store.StoreWriter;
import dev.indexer.walk.WalkOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lifecycle of an index run, in two phases, each a set of stages on their own threads joined
 * by queues bounded in items and bytes (a slow stage holds the others back instead of letting work
 * pile up in memory):
 *
 * <ol>
 *   <li>Lexical: {@link ChangeDetection} walks, {@link ReadStage} reads and chunks every new and
 *       changed file, {@link AttachStage} gives chunks the vectors they can have without the model,
 *       {@link WriteStage} stores and commits; then the {@link DeletionSweep} once the walk has
 *       completed. Every file is searchable by words as soon as its batch commits.
 *   <li>Embedding: {@link PendingSource} takes the files whose chunks wait for vectors, source code
 *       first (at most {@code maxFiles}), {@link EmbedStage} runs the model, {@link VectorWriteStage}
 *       stores the vectors and commits. Chunks become searchable by meaning as they go.
 * </ol>
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
     * @param manifest what the collection holds, file by file
     * @param navigation the collection's definitions and identifiers, written beside the store
     * @param cache vectors embedded before, by model and text; empty when switched off
     * @param scope the parts of the tree to look at, relative to the root; empty for all of it
     */
    public record Parts(Path root, WalkOptions walk, SourceReader reader, Embedder embedder, StoreWriter store,
            NavigationWriter navigation, Manifest manifest, Optional<VectorCache> cache, List<String> scope) {}

    /**
     * How the pipeline is sized.
     *
     * @param batchSize files per batch: the unit the embed stage sorts within and the writer commits at
     * @param maxFiles stop after handing this many files to the chunker; {@link Long#MAX_VALUE} for no limit
     * @param queueItems the most items in each queue between stages
     * @param queueBytes the most bytes (estimated) in each queue between stages
     * @param embedBatchTokens the most padded tokens in the model calls running at once
     * @param embedBatchInputs the most inputs in one model call
     * @param commitInterval the least time between two commits while running (there is always one at the end)
     * @param progressInterval how often the progress listener is called
     */
    public record Settings(int batchSize, long maxFiles, int queueItems, long queueBytes, int embedBatchTokens,
            int embedBatchInputs, Duration commitInterval, Duration progressInterval) {

        public Settings {
            if (batchSize < 1 || maxFiles < 1 || queueItems < 1 || queueBytes < 1 || embedBatchInputs < 1) {
                throw new IllegalArgumentException("pipeline sizes must be positive");
            }
            if (embedBatchTokens < 8) {
                throw new IllegalArgumentException("embedBatchTokens must be at least 8");
            }
        }

        /** The settings a run with {@code options} takes within {@code memory}; the rest are {@link Defaults}. */
        public static Settings of(IndexOptions options, MemoryBudget memory) {
            return new Settings(options.batchSize(), options.maxFiles(), Defaults.QUEUE_ITEMS, memory.queueBytes(),
                    memory.embedBatchTokens(), Defaults.EMBED_BATCH_INPUTS, options.commitInterval(),
                    Defaults.PROGRESS_INTERVAL);
        }
    }

    /** Chunks a lexical phase writes before its heap is worth a full collection (java/util: 32k). */
    private static final long MEMORY_RETURN_MIN_CHUNKS = 2_000;

    private final Parts parts;
    private final Settings settings;
    private final ProgressListener progress;
    private final Cancellation cancellation;
    private final RunReport report = new RunReport();
    private final MemoryReturn memoryReturn = MemoryReturn.forThisProcess();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<BoundedQueue<?>> queues = new java.util.concurrent.CopyOnWriteArrayList<>();

    public IndexPipeline(Parts parts, Settings settings, ProgressListener progress, Cancellation cancellation) {
        this.parts = parts;
        this.settings = settings;
        this.progress = progress;
        this.cancellation = cancellation;
    }

    private <T> BoundedQueue<T> queue(String name) {
        BoundedQueue<T> queue = new BoundedQueue<>(name, settings.queueItems(), settings.queueBytes());
        queues.add(queue);
        return queue;
    }

    /**
     * Runs both phases to the end (the second to {@code maxFiles}, or either to a cancellation) and
     * returns the final report.
     *
     * @throws IndexerException for the first fatal error of any stage
     */
    public RunSummary run() {
        Manifest manifest = parts.manifest();
        long run = manifest.startRun();
        manifest.putMeta(Map.of("last_run_started", Instant.now().toString(), "last_run_outcome", "running",
                "last_run_pid", Long.toString(ProcessHandle.current().pid())));
        CountDownLatch done = new CountDownLatch(1);
        Thread ticker = daemon("indexer-progress", () -> tick(done));
        ticker.start();
        try {
            lexical(run);
            if (failure.get() == null) {
                Manifest.Totals totals = manifest.totals();
                // Words are searchable from here: what the store prepares for vectors is the embedding phase's time.
                report.embeddingStarts(totals.chunks(), totals.embeddedChunks(), totals.wordsOnlyChunks());
                parts.store().beforeVectors(totals.pendingChunks());
                giveBackLexicalHeap(totals);
                embedding();
            }
            if (failure.get() == null) {
                Manifest.Totals totals = manifest.totals();
                report.finished(totals.chunks(), totals.embeddedChunks(), totals.wordsOnlyChunks());
            }
        } finally {
            done.countDown();
        }
        if (cancellation.isCancelled()) {
            report.interrupted();
        }
        RunSummary result = report.summary();
        progress.finish(result);
        Throwable error = failure.get();
        IndexerException fatal = error == null ? null : error instanceof IndexerException e ? e
                : new IndexerException("Indexing stopped on an internal error: " + error, error);
        recordOutcome(result, fatal);
        if (fatal != null) {
            throw fatal;
        }
        return result;
    }

    /** Every new and changed file read, chunked and stored; deleted ones removed. */
    private void lexical(long run) {
        BoundedQueue<Candidate> files = queue("files");
        BoundedQueue<Item> chunks = queue("chunks");
        BoundedQueue<Item> attached = queue("attached");
        Manifest manifest = parts.manifest();
        ChangeDetection walk = new ChangeDetection(parts.root(), parts.walk(), manifest, run, report, cancellation, parts.scope(), files);
        WriteStage write = new WriteStage(parts.store(), parts.navigation(), manifest, run, settings.commitInterval(), report, attached);
        DeletionSweep sweep = new DeletionSweep(parts.store(), parts.navigation(), manifest, run, report, parts.scope(),
                parts.walk().shard());
        // A run over a few paths (a watcher's) is over before a count of the tree would be.
        Thread counter = daemon("indexer-count", parts.scope().isEmpty()
                ? new PreCount(parts.root(), parts.walk(), manifest, parts.store().localDirectory(), report, this::fail)
                : () -> {});
        counter.start();
        try {
            runStages(List.of(stage("indexer-walk", walk),
                    stage("indexer-read", new ReadStage(parts.reader(), settings.batchSize(), report, cancellation,
                            files, chunks)),
                    stage("indexer-attach", new AttachStage(parts.store(), parts.cache(),
                            parts.embedder().model().id(), report, chunks, attached)),
                    stage("indexer-write", () -> {
                        write.run();
                        if (walk.completed() && !cancellation.isCancelled()) {
                            sweep.run(cancellation);
                        }
                    })));
        } finally {
            counter.interrupt();
        }
    }

    /** Chunks waiting for vectors get them, source code first, at most {@code maxFiles} files' worth. */
    private void embedding() {
        BoundedQueue<Item> waiting = queue("waiting");
        BoundedQueue<Item> embedded = queue("embedded");
        runStages(List.of(
                stage("indexer-pending", new PendingSource(parts.manifest(), parts.store(), settings.maxFiles(),
                        settings.batchSize(), report, cancellation, waiting)),
                stage("indexer-embed", new EmbedStage(parts.embedder(), parts.cache(), settings, report, cancellation,
                        waiting, embedded)),
                stage("indexer-write-vectors", new VectorWriteStage(parts.store(), parts.manifest(),
                        settings.commitInterval(), report, embedded))));
    }

    /**
     * A full collection between the phases, when the lexical phase wrote much and the model is about
     * to be used: the serial collector shrinks the heap only at a full collection, which the
     * embedding phase's short-lived garbage rarely causes, so the lexical phase's heap stayed
     * committed under the model for the first third of java/util's embedding phase and made the
     * run's peak. A watcher's small runs skip it.
     */
    private void giveBackLexicalHeap(Manifest.Totals totals) {
        if (totals.pendingChunks() > 0
                && report.summary().chunks().written() >= MEMORY_RETURN_MIN_CHUNKS) {
            memoryReturn.collect();
        }
    }

    private void runStages(List<Thread> stages) {
        stages.forEach(Thread::start);
        try {
            for (Thread stage : stages) {
                stage.join();
            }
        } catch (InterruptedException e) {
            fail(e);
            Thread.currentThread().interrupt();
        }
    }

    private void recordOutcome(RunSummary result, IndexerException fatal) {
        String outcome = fatal != null ? "failed: " + fatal.getMessage() : result.outcomeText();
        String finished = Instant.now().toString();
        try {
            parts.manifest().putMeta(Map.of("last_run_finished", finished, "last_run_outcome", outcome,
                    "last_run_files_indexed", Long.toString(result.files().indexed())));
        } catch (IndexerException e) {
            if (fatal != null) {
                fatal.addSuppressed(e);
            } else {
                throw e;
            }
        }
        if (fatal == null && result.outcome() != RunSummary.Outcome.INTERRUPTED && parts.scope().isEmpty()) {
            recordInStore(result, finished);
        }
    }

    /**
     * A completed run (or one stopped at {@code --max-files}) over the whole tree or its part, as the
     * store keeps it for other machines. What was indexed is committed either way, so a store that
     * cannot take the record only costs a note.
     */
    private void recordInStore(RunSummary result, String finished) {
        Manifest.Totals totals = parts.manifest().totals();
        Shard shard = parts.walk().shard();
        RunRecord record = new RunRecord(parts.store().repo(), shard.isAll() ? "all" : shard.toString(), finished,
                result.outcome() == RunSummary.Outcome.COMPLETED ? "completed" : "stopped at --max-files",
                GitCheckout.of(parts.root()).flatMap(GitCheckout::head).orElse(""), totals.indexedFiles(),
                totals.chunks(), totals.embeddedChunks(), totals.wordsOnlyChunks(), parts.embedder().model().id(),
                parts.manifest().meta().getOrDefault("chunker", ""), IndexerVersion.get());
        parts.manifest().putMeta(Map.of(RunRecord.META_KEY, dev.indexer.json.Json.of(record)));
        try {
            parts.store().recordRun(record);
        } catch (IndexerException e) {
            progress.note("the run could not be recorded in the store (" + e.getMessage() + "); what it indexed is kept");
        }
    }

    private void tick(CountDownLatch done) {
        try {
            while (!done.await(settings.progressInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                progress.update(report.summary());
                memoryReturn.check();
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
            queues.forEach(BoundedQueue::abort);
        }
    }
}
