package dev.indexer.store.local;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the embedded store's document indexing on a few threads beside the caller. Analysing text
 * into postings is most of what the lexical phase spends (measured: twice the reading and chunking
 * before it), and Lucene's IndexWriter takes documents from several threads at once, so batches
 * are indexed while the next ones are prepared. At most {@code threads} batches are in flight; the
 * caller waits for a free slot, so memory stays bounded.
 *
 * <p>Order matters only per file: a file's chunks must not be indexed after a delete meant to
 * remove them. {@link #awaitPath} waits for the batches that hold a path, {@link #awaitAll} for
 * every batch (before a commit). The first failure of a batch is rethrown by the next call.
 */
final class ParallelIndexing {
    /** A batch's work: it may throw what indexing throws. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private final int threads;
    private final Semaphore slots;
    private final ExecutorService workers;
    private final Map<String, Integer> pathsInFlight = new HashMap<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    ParallelIndexing(int threads) {
        this.threads = threads;
        this.slots = new Semaphore(threads);
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lucene-indexing");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code work}, which indexes chunks of {@code paths}, on a worker; waits while all are busy. */
    void submit(Collection<String> paths, Work work) throws Exception {
        rethrow();
        Set<String> distinct = new HashSet<>(paths);
        slots.acquireUninterruptibly();
        synchronized (pathsInFlight) {
            distinct.forEach(path -> pathsInFlight.merge(path, 1, Integer::sum));
        }
        workers.execute(() -> {
            try {
                work.run();
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            } finally {
                synchronized (pathsInFlight) {
                    distinct.forEach(path -> pathsInFlight.computeIfPresent(path, (p, n) -> n == 1 ? null : n - 1));
                }
                slots.release();
            }
        });
    }

    /** Waits until no batch holding {@code path} is in flight. */
    void awaitPath(String path) throws Exception {
        boolean busy;
        synchronized (pathsInFlight) {
            busy = pathsInFlight.containsKey(path);
        }
        if (busy) {
            awaitAll();
        } else {
            rethrow();
        }
    }

    /** Waits until every batch submitted is done; rethrows the first failure. */
    void awaitAll() throws Exception {
        slots.acquireUninterruptibly(threads);
        slots.release(threads);
        rethrow();
    }

    private void rethrow() throws Exception {
        Exception e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    /** Waits for what is in flight (its failures no longer matter) and stops the workers. */
    void shutdown() {
        slots.acquireUninterruptibly(threads);
        slots.release(threads);
        workers.shutdown();
    }

    static List<String> pathsOf(Collection<dev.indexer.store.EmbeddedChunk> chunks) {
        return chunks.stream().map(c -> c.chunk().path()).toList();
    }
}
