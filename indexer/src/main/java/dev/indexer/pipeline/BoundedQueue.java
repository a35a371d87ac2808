package dev.indexer.pipeline;

import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A FIFO buffer between two stages, bounded both by item count and by an estimate of the bytes
 * its items hold. A full queue blocks its producer; that backpressure is what keeps the
 * pipeline's memory flat. One item larger than the byte bound is still let in when the queue is
 * empty, so a big item slows the pipeline down instead of stopping it.
 *
 * <p>{@link #close()} ends the stream normally (the consumer drains what is left, then gets
 * {@code null}); {@link #abort()} ends it at once for both sides with {@link CancellationException}.
 */
final class BoundedQueue<T> {
    private record Entry<T>(T item, long bytes) {}

    private final String name;
    private final int maxItems;
    private final long maxBytes;
    private final ArrayDeque<Entry<T>> entries = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private long bytes;
    private long peakBytes;
    private boolean closed;
    private boolean aborted;

    BoundedQueue(String name, int maxItems, long maxBytes) {
        if (maxItems < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("queue bounds must be positive");
        }
        this.name = name;
        this.maxItems = maxItems;
        this.maxBytes = maxBytes;
    }

    /** Adds an item, waiting while the queue is full. */
    void put(T item, long itemBytes) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!aborted && !entries.isEmpty() && (entries.size() >= maxItems || bytes + itemBytes > maxBytes)) {
                notFull.await();
            }
            if (aborted) {
                throw new CancellationException(name + " queue aborted");
            }
            if (closed) {
                throw new IllegalStateException(name + " queue is closed");
            }
            entries.addLast(new Entry<>(item, itemBytes));
            bytes += itemBytes;
            peakBytes = Math.max(peakBytes, bytes);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The next item, waiting while the queue is empty; {@code null} once it is closed and drained. */
    T take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!aborted && entries.isEmpty() && !closed) {
                notEmpty.await();
            }
            if (aborted) {
                throw new CancellationException(name + " queue aborted");
            }
            Entry<T> entry = entries.pollFirst();
            if (entry == null) {
                return null;
            }
            bytes -= entry.bytes();
            notFull.signalAll();
            return entry.item();
        } finally {
            lock.unlock();
        }
    }

    /** No more items will come; the consumer gets {@code null} after the last one. */
    void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops both sides now: waiting and future calls throw {@link CancellationException}. */
    void abort() {
        lock.lock();
        try {
            aborted = true;
            entries.clear();
            bytes = 0;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The most bytes the queue held at once. */
    long peakBytes() {
        lock.lock();
        try {
            return peakBytes;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }
}
