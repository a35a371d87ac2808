package dev.indexer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class BoundedQueueTest {
    private static CompletableFuture<Void> putAsync(BoundedQueue<String> queue, String item, long bytes) {
        return CompletableFuture.runAsync(() -> {
            try {
                queue.put(item, bytes);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void assertBlocked(CompletableFuture<?> future) {
        assertThrows(TimeoutException.class, () -> future.get(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void aFullQueueByCountBlocksTheProducerUntilTheConsumerTakes() throws Exception {
        BoundedQueue<String> queue = new BoundedQueue<>("test", 2, 1000);
        queue.put("a", 1);
        queue.put("b", 1);
        CompletableFuture<Void> third = putAsync(queue, "c", 1);
        assertBlocked(third);
        assertEquals("a", queue.take());
        third.get(5, TimeUnit.SECONDS);
        assertEquals(2, queue.size());
    }

    @Test
    void aFullQueueByBytesBlocksTheProducer() throws Exception {
        BoundedQueue<String> queue = new BoundedQueue<>("test", 100, 10);
        queue.put("a", 6);
        CompletableFuture<Void> second = putAsync(queue, "b", 6);
        assertBlocked(second);
        assertEquals("a", queue.take());
        second.get(5, TimeUnit.SECONDS);
        assertEquals(6, queue.peakBytes());
    }

    @Test
    void anItemLargerThanTheByteBoundPassesAlone() throws Exception {
        BoundedQueue<String> queue = new BoundedQueue<>("test", 100, 10);
        queue.put("huge", 50);
        CompletableFuture<Void> next = putAsync(queue, "small", 1);
        assertBlocked(next);
        assertEquals("huge", queue.take());
        next.get(5, TimeUnit.SECONDS);
    }

    @Test
    void closeDrainsThenEnds() throws Exception {
        BoundedQueue<String> queue = new BoundedQueue<>("test", 10, 100);
        queue.put("a", 1);
        queue.close();
        assertEquals("a", queue.take());
        assertNull(queue.take());
        assertThrows(IllegalStateException.class, () -> queue.put("late", 1));
    }

    @Test
    void abortWakesBlockedProducersAndConsumers() throws Exception {
        BoundedQueue<String> full = new BoundedQueue<>("full", 1, 100);
        full.put("a", 1);
        CompletableFuture<Void> producer = putAsync(full, "b", 1);
        BoundedQueue<String> empty = new BoundedQueue<>("empty", 1, 100);
        CompletableFuture<String> consumer = CompletableFuture.supplyAsync(() -> {
            try {
                return empty.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertBlocked(producer);
        assertBlocked(consumer);
        full.abort();
        empty.abort();
        ExecutionException p = assertThrows(ExecutionException.class, () -> producer.get(5, TimeUnit.SECONDS));
        assertTrue(p.getCause() instanceof CancellationException);
        ExecutionException c = assertThrows(ExecutionException.class, () -> consumer.get(5, TimeUnit.SECONDS));
        assertTrue(c.getCause() instanceof CancellationException);
    }
}
