package dev.indexer.pipeline;

import dev.indexer.config.ResidentMemory;
import dev.indexer.walk.FileWalker;
import dev.indexer.walk.SkipReason;
import dev.indexer.walk.SourceFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The run's counters, updated by every stage; {@link #summary()} takes a consistent-enough snapshot. */
final class RunReport implements FileWalker.SkipListener {
    private static final int EXAMPLES_PER_REASON = 3;

    /** A source file cut into line windows because its syntax tree was no help. */
    static final String LINE_WINDOWS = "line windows instead of syntax chunks";
    /** A large file read through a buffer because mapping it failed. */
    static final String PLAIN_READS = "plain reads instead of mapped windows";
    /** The count of files ahead of the run failed: no percentage, no ETA, no disk check. */
    static final String NO_PRECOUNT = "no pre-count (no ETA, no disk check)";
    /** The file system did not say how much disk is free: no disk check. */
    static final String NO_DISK_CHECK = "no disk check";

    private final long startNanos = System.nanoTime();
    private final LongAdder filesSeen = new LongAdder();
    private final LongAdder filesLeftOut = new LongAdder();
    private final LongAdder filesIndexed = new LongAdder();
    private final LongAdder filesDone = new LongAdder();
    private final LongAdder bytesIndexed = new LongAdder();
    private final LongAdder bytesDone = new LongAdder();
    private final LongAdder chunks = new LongAdder();
    private final LongAdder tokens = new LongAdder();
    private final LongAdder replaced = new LongAdder();
    private final LongAdder truncated = new LongAdder();
    private final LongAdder unchanged = new LongAdder();
    private final LongAdder newFiles = new LongAdder();
    private final LongAdder changedFiles = new LongAdder();
    private final LongAdder touched = new LongAdder();
    private final LongAdder deleted = new LongAdder();
    private final LongAdder chunksEmbedded = new LongAdder();
    private final LongAdder chunksReused = new LongAdder();
    private final LongAdder chunksFromCache = new LongAdder();
    private final LongAdder filesEmbedded = new LongAdder();
    private volatile RunSummary.Phase phase = RunSummary.Phase.LEXICAL;
    private volatile long embeddingStart;
    private volatile long lexicalNanos;
    private final AtomicLong collectionChunks = new AtomicLong(-1);
    private final AtomicLong collectionWordsOnly = new AtomicLong();
    private final AtomicLong embeddedBefore = new AtomicLong(0);
    private final LongAdder vectorsAdded = new LongAdder();
    private final AtomicLong remaining = new AtomicLong();
    private final LongAdder abandoned = new LongAdder();
    private final LongAdder filesWithSecrets = new LongAdder();
    private final Tally<String> secrets = new Tally<>();
    private volatile boolean interrupted;
    private final Tally<String> fallbacks = new Tally<>();
    private final Tally<SkipReason> skipped = new Tally<>();
    private final AtomicLong expectedFiles = new AtomicLong(-1);
    private final AtomicLong expectedBytes = new AtomicLong(-1);

    @Override
    public void skipped(String relativePath, SkipReason reason, String detail) {
        if (!reason.isDirectory()) {
            filesSeen.increment();
            filesLeftOut.increment();
        }
        skipped.add(reason, 1, relativePath + " (" + detail + ")");
    }

    /** A file was taken from the walk and passed on for reading. */
    void fileFound() {
        filesSeen.increment();
    }

    /** A file that was counted as found turned out not to be text, or failed while it was read. */
    void fileFailed(SourceFile file, SkipReason reason, String detail) {
        filesDone.increment();
        bytesDone.add(file.size());
        skipped.add(reason, 1, file.relativePath() + " (" + detail + ")");
    }

    void fileIndexed(long bytes, int fileChunks, long fileTokens) {
        filesIndexed.increment();
        filesDone.increment();
        bytesIndexed.add(bytes);
        bytesDone.add(bytes);
        chunks.add(fileChunks);
        tokens.add(fileTokens);
    }

    /**
     * Something was done a second-best way and the run went on: {@code kind} is one of this class's
     * constants, {@code detail} says why.
     */
    void fallback(String kind, String path, String detail) {
        fallbacks.add(kind, 1, path.isEmpty() ? detail : path + " (" + detail + ")");
    }

    /** Secrets were taken out of a file's text before it was chunked: counted by kind, never shown. */
    void secretsRedacted(Map<dev.indexer.redact.SecretKind, Integer> found) {
        filesWithSecrets.increment();
        found.forEach((kind, count) -> secrets.add(kind.id(), count, null));
    }

    /** A file started but not finished when the run was cancelled: the next run reads it again. */
    void fileAbandoned() {
        abandoned.increment();
    }

    /** The run was cancelled. */
    void interrupted() {
        interrupted = true;
    }

    void fileHadReplacements() {
        replaced.increment();
    }

    void documentTruncated() {
        truncated.increment();
    }

    void expect(long files, long bytes) {
        expectedFiles.set(files);
        expectedBytes.set(bytes);
    }

    /** A file the manifest has with the same size and modification time: nothing to do. */
    void fileUnchanged() {
        unchanged.increment();
    }

    /** A file handed on for reading: new, or changed since the manifest recorded it. */
    void fileQueued(boolean isNew) {
        (isNew ? newFiles : changedFiles).increment();
    }

    /** A changed file whose content turned out the same: only its metadata is recorded. */
    void fileTouched(SourceFile file) {
        touched.increment();
        filesDone.increment();
        bytesDone.add(file.size());
    }

    void filesDeleted(int count) {
        deleted.add(count);
    }

    /** Chunks that got a vector without the model: their file's old one, or the cache's. */
    void chunksFound(int reused, int cached) {
        chunksReused.add(reused);
        chunksFromCache.add(cached);
        if (phase == RunSummary.Phase.EMBEDDING) {
            vectorsAdded.add(reused + cached);
        }
    }

    /** Chunks the model embedded. */
    void chunksEmbedded(int count) {
        chunksEmbedded.add(count);
        vectorsAdded.add(count);
    }

    /** Files whose waiting chunks all have their vectors now. */
    void filesEmbedded(int count) {
        filesEmbedded.add(count);
    }

    /**
     * The lexical phase is over; the embedding phase starts with {@code embedded} of the
     * collection's {@code total} chunks having vectors.
     */
    void embeddingStarts(long total, long embedded, long wordsOnly) {
        collectionChunks.set(total);
        collectionWordsOnly.set(wordsOnly);
        embeddedBefore.set(embedded);
        embeddingStart = System.nanoTime();
        lexicalNanos = embeddingStart - startNanos;
        phase = RunSummary.Phase.EMBEDDING;
    }

    /**
     * Both phases are over; {@code embedded} of the collection's {@code total} chunks have vectors,
     * {@code wordsOnly} are data that get none.
     */
    void finished(long total, long embedded, long wordsOnly) {
        collectionChunks.set(total);
        collectionWordsOnly.set(wordsOnly);
        embeddedBefore.set(embedded);
        vectorsAdded.reset();
        phase = RunSummary.Phase.DONE;
    }

    void remaining(long count) {
        remaining.set(count);
    }

    public RunSummary summary() {
        RunSummary.Outcome outcome = interrupted ? RunSummary.Outcome.INTERRUPTED
                : remaining.get() > 0 ? RunSummary.Outcome.STOPPED_AT_MAX_FILES
                : RunSummary.Outcome.COMPLETED;
        long now = System.nanoTime();
        return new RunSummary(outcome, phase,
                new RunSummary.Files(filesSeen.sum(), filesLeftOut.sum(), filesIndexed.sum(), filesDone.sum(), expectedFiles.get(),
                        bytesIndexed.sum(), bytesDone.sum(), expectedBytes.get(), filesEmbedded.sum(), abandoned.sum()),
                new RunSummary.Chunks(chunks.sum(), tokens.sum(), chunksEmbedded.sum(), chunksReused.sum(),
                        chunksFromCache.sum(), collectionChunks.get(), embeddedBefore.get() + vectorsAdded.sum(),
                        collectionWordsOnly.get()),
                new RunSummary.Changes(unchanged.sum(), newFiles.sum(), changedFiles.sum(), touched.sum(),
                        deleted.sum(), remaining.get()),
                new RunSummary.Issues(skipped.counts(), skipped.examples(), replaced.sum(), truncated.sum(),
                        filesWithSecrets.sum(), secrets.counts(), fallbacks.counts(), fallbacks.examples()),
                new RunSummary.Cost(now - startNanos, lexicalNanos, embeddingStart == 0 ? 0 : now - embeddingStart,
                        peakHeap(), peakRss()));
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** VmHWM from /proc: the real peak, native memory (ONNX Runtime, mapped pages) included; -1 where unknown. */
    private static long peakRss() {
        return ResidentMemory.ofThisProcess().map(ResidentMemory::peakBytes).orElse(-1L);
    }

    /** Counts by key, with the first few examples of each; keys in their natural order. */
    private static final class Tally<K extends Comparable<K>> {
        private final Map<K, LongAdder> counts = new ConcurrentSkipListMap<>();
        private final Map<K, List<String>> examples = new ConcurrentSkipListMap<>();

        void add(K key, long count, String example) {
            counts.computeIfAbsent(key, k -> new LongAdder()).add(count);
            if (example != null) {
                List<String> list = examples.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>()));
                synchronized (list) {
                    if (list.size() < EXAMPLES_PER_REASON) {
                        list.add(example);
                    }
                }
            }
        }

        Map<K, Long> counts() {
            Map<K, Long> copy = new TreeMap<>();
            counts.forEach((key, count) -> copy.put(key, count.sum()));
            return Collections.unmodifiableMap(copy);
        }

        Map<K, List<String>> examples() {
            Map<K, List<String>> copy = new TreeMap<>();
            examples.forEach((key, list) -> {
                synchronized (list) {
                    copy.put(key, List.copyOf(list));
                }
            });
            return Collections.unmodifiableMap(copy);
        }
    }
}
