package dev.indexer.pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * Keeps the serial collector's old generation near what lives in it, so that a long run's heap is
 * given back instead of growing toward {@code -Xmx}. A run promotes much that dies soon after
 * (Lucene's indexing buffer, a window's texts): JDK 17 collects the old generation when it fills,
 * but JDK 25 grows it instead (java/util: 114 MB of old generation after 100 s, one full
 * collection, RSS 415 MB at 154 s and climbing). A full collection when the old generation holds
 * twice what survived its last one keeps it within that (the same JDK 25 run: 7 collections in
 * 150 s, 0.53 s in all, peak 326 MB). Other collectors size their heap themselves
 * and are left alone.
 */
final class HeapReturn {
    /** Below this the old generation is not worth a collection. */
    private static final long MIN_BYTES = 32L << 20;
    /** A collection at most this often, whatever the growth (a merge's graph may double it quickly). */
    private static final long MIN_INTERVAL_NANOS = 5_000_000_000L;
    /** The serial collector's old generation, as its memory pool is named. */
    private static final String SERIAL_OLD = "Tenured Gen";

    private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && SERIAL_OLD.equals(p.getName())).toList();
    private final long minIntervalNanos;
    private long lastNanos;

    HeapReturn() {
        this(MIN_INTERVAL_NANOS);
    }

    /** With collections at most every {@code minIntervalNanos} (tests: none between). */
    HeapReturn(long minIntervalNanos) {
        this.minIntervalNanos = minIntervalNanos;
        this.lastNanos = System.nanoTime() - minIntervalNanos;
    }

    /** Collects if the old generation has grown to twice what its last collection left. */
    synchronized void check() {
        if (System.nanoTime() - lastNanos < minIntervalNanos) {
            return;
        }
        for (MemoryPoolMXBean pool : pools) {
            MemoryUsage now = pool.getUsage();
            MemoryUsage after = pool.getCollectionUsage();
            if (now != null && after != null && now.getUsed() > MIN_BYTES && now.getUsed() > 2 * after.getUsed()) {
                collect();
                return;
            }
        }
    }

    /**
     * Collects now: between the phases, where the lexical phase's heap (72 MB committed after
     * java/util, 17 MB of it alive after the collection) would otherwise stay committed under the model.
     */
    synchronized void collect() {
        lastNanos = System.nanoTime();
        System.gc();
    }
}
