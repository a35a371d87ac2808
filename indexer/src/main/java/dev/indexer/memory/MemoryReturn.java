package dev.indexer.memory;

import dev.indexer.config.ResidentMemory;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Gives memory that nothing uses any more back to the system, from a process that runs for long:
 * the Java heap the serial collector would keep, and the C heap's free pages that glibc keeps.
 *
 * <p><b>The Java heap.</b> A run promotes much that dies soon after (Lucene's indexing buffer, a
 * window's texts): JDK 17 collects the old generation when it fills, but JDK 25 grows it instead
 * (java/util: 114 MB of old generation after 100 s, one full collection, RSS 415 MB at 154 s and
 * climbing). A full collection when the old generation holds twice what survived its last one
 * (1.5 times from JDK 25: {@link #oldGrowthFor}) keeps it within that (the same JDK 25 run: 7
 * collections in 150 s, 0.53 s in all, peak 326 MB). Other collectors size their heap themselves
 * and are left alone.
 *
 * <p><b>The C heap.</b> What the JIT compiler, the tokenizer and ONNX Runtime free stays in
 * glibc's free lists, resident, until something asks for it to be trimmed ({@link NativeHeapTrim}):
 * in java/util's run a trim 20 s after a step gave back 53 MB, of which the run took 28 MB back
 * within seconds. So the C heap is trimmed at the first check, and after that when the process's
 * anonymous memory has grown {@link #TRIM_GROWTH_BYTES} past what it was right after the last
 * trim, at most every {@link #TRIM_INTERVAL_NANOS}, or sooner ({@link #JUMP_INTERVAL_NANOS}) when it
 * has grown {@link #JUMP_GROWTH_BYTES}; a trim that gives back nothing (the growth is in use) raises
 * the level it compares with, so it is not repeated. Index runs and a waiting
 * server alike: runs once did not trim, because a step of 16-28 MB at java/util's first merge of
 * segments with vectors (memory in use: C2 compiling Lucene's graph building again) made their peak
 * whatever was trimmed before it. The embedded store now compiles that before the model loads
 * ({@code GraphWarmup}), and trimming every 30 s took 17-21 MiB off java/util's peak
 * (docs/benchmarks.md, "Twenty-sixth round: index runs trim the C heap").
 */
public final class MemoryReturn {
    /** Below this the old generation is not worth a collection. */
    private static final long MIN_OLD_BYTES = 32L << 20;
    /**
     * How many times what its last collection left the old generation may hold before a
     * collection, on this JVM ({@link #oldGrowthFor}).
     */
    private static final double OLD_GROWTH = oldGrowthFor(Runtime.version().feature());
    /** A collection at most this often, whatever the growth (a merge's graph may double it quickly). */
    private static final long GC_INTERVAL_NANOS = 5_000_000_000L;
    /** The serial collector's old generation, as its memory pool is named. */
    private static final String SERIAL_OLD = "Tenured Gen";
    /** Growth of anonymous memory since the last trim that is worth another. */
    private static final long TRIM_GROWTH_BYTES = 12L << 20;
    /** A trim at most this often. */
    private static final long TRIM_INTERVAL_NANOS = 30_000_000_000L;
    /**
     * Growth that is worth a trim sooner than {@link #TRIM_INTERVAL_NANOS}: loading the model (its
     * file read, its weights packed for the int8 kernels, the first calls' compilations) leaves
     * 10-46 MB free but resident until the next trim, 30 s after the one between the phases, and
     * that made java/util's peak (docs/benchmarks.md, "Twenty-seventh round").
     */
    private static final long JUMP_GROWTH_BYTES = 32L << 20;
    /**
     * A trim for such growth at most this often: the model loads within a second or two of the
     * trim between the phases, and 5 s after it java/util's peak had already been made.
     */
    private static final long JUMP_INTERVAL_NANOS = 1_000_000_000L;

    private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && SERIAL_OLD.equals(p.getName())).toList();
    private final long gcIntervalNanos;
    private final long trimIntervalNanos;
    private final long trimGrowthBytes;
    private final long jumpIntervalNanos;
    private final long jumpGrowthBytes;
    private final LongSupplier clock;
    private long lastGcNanos;
    private long lastTrimNanos;
    /** Anonymous memory right after the last trim; -1 before the first. */
    private long trimmedAnonBytes = -1;
    /** False once trimming turned out to be unavailable (not glibc, not Linux). */
    private boolean canTrim;
    private int trims;

    /** For this process: an index run's, or a server's between and during its runs. */
    public static MemoryReturn forThisProcess() {
        return new MemoryReturn(true, GC_INTERVAL_NANOS, TRIM_INTERVAL_NANOS, TRIM_GROWTH_BYTES, JUMP_INTERVAL_NANOS,
                JUMP_GROWTH_BYTES, System::nanoTime);
    }

    /** With other intervals and thresholds (tests). */
    MemoryReturn(boolean trimming, long gcIntervalNanos, long trimIntervalNanos, long trimGrowthBytes,
            long jumpIntervalNanos, long jumpGrowthBytes, LongSupplier clock) {
        this.canTrim = trimming;
        this.gcIntervalNanos = gcIntervalNanos;
        this.trimIntervalNanos = trimIntervalNanos;
        this.trimGrowthBytes = trimGrowthBytes;
        this.jumpIntervalNanos = jumpIntervalNanos;
        this.jumpGrowthBytes = jumpGrowthBytes;
        this.clock = clock;
        long now = clock.getAsLong();
        this.lastGcNanos = now - gcIntervalNanos;
        this.lastTrimNanos = now - trimIntervalNanos;
    }

    /**
     * Collects if the old generation has grown to twice what its last collection left (1.5 times from
     * JDK 25), and, where this one trims, trims the C heap if anonymous memory has grown well past its
     * level after the last trim. Cheap when neither is due: call it every second or so (pages a trim
     * gave back that a run needs again are faulted back in: java/util's walls with and without are
     * within their noise).
     */
    public synchronized void check() {
        long now = clock.getAsLong();
        if (now - lastGcNanos >= gcIntervalNanos && oldGenerationGrown()) {
            lastGcNanos = now;
            System.gc();
        }
        if (canTrim) {
            trimIfGrown(now);
        }
    }

    /**
     * Collects now, and trims the C heap where this one trims: where a phase's memory is known to
     * be garbage (the lexical phase's heap, 72 MB committed after java/util and 17 MB of it alive
     * after the collection, would otherwise stay committed under the model).
     */
    public synchronized void collect() {
        long now = clock.getAsLong();
        lastGcNanos = now;
        System.gc();
        if (canTrim) {
            trim(now);
        }
    }

    /** How many times the C heap was trimmed (for tests and diagnostics). */
    public synchronized int trims() {
        return trims;
    }

    /**
     * The old generation's growth allowed before a collection on a JVM of {@code feature} (17, 25):
     * twice on JDK 17; 1.5 times from JDK 25, whose serial collector keeps its old generation full
     * and grows it (java/util: 43-45 MB held of 44 committed, against JDK 17's 25-32 of 31-33), so
     * that twice is reached late: 1.5 took 15-20 MiB off JDK 25's peak at the same wall (two runs
     * each), where on JDK 17 it took 1-7 MiB for 0-10% more wall (four alternated pairs), so JDK 17
     * keeps twice. Versions between were not measured and keep it too (docs/benchmarks.md,
     * "Twenty-eighth round").
     */
    static double oldGrowthFor(int feature) {
        return feature >= 25 ? 1.5 : 2.0;
    }

    private boolean oldGenerationGrown() {
        for (MemoryPoolMXBean pool : pools) {
            MemoryUsage now = pool.getUsage();
            MemoryUsage after = pool.getCollectionUsage();
            if (now != null && after != null && now.getUsed() > MIN_OLD_BYTES
                    && now.getUsed() > OLD_GROWTH * after.getUsed()) {
                return true;
            }
        }
        return false;
    }

    private void trimIfGrown(long now) {
        long since = now - lastTrimNanos;
        if (since < Math.min(trimIntervalNanos, jumpIntervalNanos)) {
            return;
        }
        Optional<ResidentMemory> resident = ResidentMemory.ofThisProcess();
        if (resident.isEmpty()) {
            canTrim = false; // no /proc: not Linux, nothing to measure growth by
            return;
        }
        long growth = resident.get().anonBytes() - trimmedAnonBytes;
        if (trimmedAnonBytes < 0 // the first time: whatever the process grew by before it first waited
                || (since >= trimIntervalNanos && growth > trimGrowthBytes)
                || (since >= jumpIntervalNanos && growth > jumpGrowthBytes)) {
            trim(now);
        }
    }

    private void trim(long now) {
        lastTrimNanos = now;
        if (!NativeHeapTrim.trim()) {
            canTrim = false; // not glibc: the Java heap is still looked after
            return;
        }
        trims++;
        trimmedAnonBytes = ResidentMemory.ofThisProcess().map(ResidentMemory::anonBytes).orElse(-1L);
    }
}
