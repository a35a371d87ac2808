package dev.indexer.pipeline;

import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;

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
    synchronized void put(T item, long itemBytes) throws InterruptedException {
        while (!aborted && !entries.isEmpty() && (entries.size() >= maxItems || bytes + itemBytes > maxBytes)) {
            wait();
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
        notifyAll();
    }

    /** The next item, waiting while the queue is empty; {@code null} once it is closed and drained. */
    synchronized T take() throws InterruptedException {
        while (!aborted && entries.isEmpty() && !closed) {
            wait();
        }
        if (aborted) {
            throw new CancellationException(name + " queue aborted");
        }
        Entry<T> entry = entries.pollFirst();
        if (entry == null) {
            return null;
        }
        bytes -= entry.bytes();
        notifyAll();
        return entry.item();
    }

    /** No more items will come; the consumer gets {@code null} after the last one. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** Stops both sides now: waiting and future calls throw {@link CancellationException}. */
    synchronized void abort() {
        aborted = true;
        entries.clear();
        bytes = 0;
        notifyAll();
    }

    /** The most bytes the queue held at once. */
    synchronized long peakBytes() {
        return peakBytes;
    }

    synchronized int size() {
        return entries.size();
    }
}
