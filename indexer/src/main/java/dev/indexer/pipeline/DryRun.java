package dev.indexer.pipeline;

import dev.indexer.IndexerException;
import dev.indexer.chunk.Chunk;
import dev.indexer.chunk.ChunkingOptions;
import dev.indexer.chunk.FileChunker;
import dev.indexer.chunk.SkippedFileException;
import dev.indexer.chunk.SourceReader;
import dev.indexer.config.Defaults;
import dev.indexer.embed.Embedder;
import dev.indexer.walk.ContentSniffer;
import dev.indexer.walk.FileWalker;
import dev.indexer.walk.SkipReason;
import dev.indexer.walk.SourceFile;
import dev.indexer.walk.WalkOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Everything indexing would do short of embedding and storing: walk, and read every file the way
 * the read stage does ({@link SourceReader}), counting lines and characters by scanning bytes,
 * which is much cheaper than tokenizing. A random sample of the files is then chunked for real,
 * by the run's own chunker: its chunks and tokens, as the run counts them (headers and overlap
 * included), give the whole tree's ({@link #total}: a regression on characters and lines, with
 * its range), and the first sampled files' chunks time the real model on this machine, embedded
 * as the embedding stage embeds them.
 * Memory is bounded: one read buffer and a fixed-size sample.
 */
final class DryRun {
    /**
     * Files chunked for the ratios, at most: on the JDK (15,209 files) 48 files put the tokens 23%
     * low; the error shrinks with the number of files, the time grows with their characters.
     */
    private static final int SAMPLE_FILES = 256;
    private static final long SAMPLE_CHARS = 4L << 20;
    /**
     * Chunks timed on the model. The pace measured grows with the window (the first calls of each
     * shape are slower, and a class's shared signatures are embedded once for more chunks): 96
     * said 9-27% more time than runs on java/util and on java.base with four modules took, 160
     * within 3-8% and -3..+6%, 320 read 5.3 s on the second (docs/benchmarks.md).
     */
    private static final int CALIBRATION_CHUNKS = 160;
    private static final int WARM_UP_CHUNKS = 8;
    /** Threads that chunk the sample past the timed window's files. */
    private static final int CHUNKING_THREADS = 2;
    /**
     * The embedding phase's pace against the model's undisturbed pace timed here: in a run the
     * model shares the cores with reading chunks back from the store, the tokenizer, Lucene's
     * vector graph (5% of the phase on one core, seen with JFR) and the JIT. Measured on this
     * project's 2-core machine (4 December), estimates paired with runs minutes apart: java/util
     * 0.79-0.82, the whole JDK 0.92 (its run dedupes more and shares more signatures than the
     * timed window shows). 0.87 puts both within about 7% (docs/benchmarks.md, "Tenth round").
     */
    static final double RUN_SHARE = 0.87;
    /** Fewer sampled files than this are too few for the regression: the ratio to characters is used. */
    private static final int MIN_REGRESSION_FILES = 16;
    /** The normal quantile of a two-sided 95% interval. */
    private static final double Z95 = 1.96;

    private final Path root;
    private final WalkOptions walkOptions;
    private final ContentSniffer sniffer;
    private final ChunkingOptions chunking;
    private final Embedder embedder;
    private final int embedBatchTokens;

    /** @param embedBatchTokens padded tokens per model call, as the real run would use */
    DryRun(Path root, WalkOptions walkOptions, ContentSniffer sniffer, ChunkingOptions chunking, Embedder embedder,
            int embedBatchTokens) {
        this.root = root;
        this.walkOptions = walkOptions;
        this.sniffer = sniffer;
        this.chunking = chunking;
        this.embedder = embedder;
        this.embedBatchTokens = embedBatchTokens;
    }

    Estimate run() {
        long start = System.nanoTime();
        RunReport report = new RunReport();
        SourceReader reader = new SourceReader(sniffer, new FileChunker(chunking, embedder.tokenCounter()));
        List<SourceFile> sample = new ArrayList<>();
        List<long[]> sampleCounts = new ArrayList<>(); // characters, lines
        Random random = new Random(42);
        long textFiles = 0;
        long bytes = 0;
        long lines = 0;
        long characters = 0;
        try (Stream<SourceFile> files = new FileWalker(root, walkOptions, report).stream()) {
            for (SourceFile file : (Iterable<SourceFile>) files::iterator) {
                report.fileFound();
                SourceReader.Outcome outcome;
                try {
                    outcome = reader.count(file);
                } catch (IOException e) {
                    report.fileFailed(file, e instanceof SkippedFileException s ? s.reason() : SkipReason.UNREADABLE,
                            String.valueOf(e.getMessage()));
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (outcome instanceof SourceReader.Skipped skip) {
                    report.fileFailed(file, skip.reason(), skip.detail());
                    continue;
                }
                SourceReader.Counted counted = (SourceReader.Counted) outcome;
                textFiles++;
                bytes += file.size();
                lines += counted.lines();
                characters += counted.chars();
                // Reservoir sampling: every file has the same chance to be in the sample.
                if (sample.size() < SAMPLE_FILES) {
                    sample.add(file);
                    sampleCounts.add(new long[] {counted.chars(), counted.lines()});
                } else {
                    int slot = random.nextInt((int) Math.min(Integer.MAX_VALUE, textFiles));
                    if (slot < SAMPLE_FILES) {
                        sample.set(slot, file);
                        sampleCounts.set(slot, new long[] {counted.chars(), counted.lines()});
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw new IndexerException("Could not walk " + root + " (" + e.getMessage() + ").", e);
        }
        long scanned = System.nanoTime() - start;
        Calibration calibration = calibrate(reader, sample, sampleCounts);
        Total chunks = total(calibration.perFile(), CHUNKS, textFiles, characters, lines);
        Total tokens = total(calibration.perFile(), TOKENS, textFiles, characters, lines);
        RunSummary summary = report.summary();
        return new Estimate(summary.files().seen(), textFiles, bytes, lines, characters,
                tokens.value() > 0 ? characters / tokens.value() : 0, Math.round(tokens.value()),
                Math.round(chunks.value()), summary.issues().skipped(),
                tokens.value() > 0 ? calibration.tokensPerSecond() * RUN_SHARE * chunks.value() / tokens.value() : 0,
                scanned,
                System.nanoTime() - start, new Estimate.Sampling(calibration.perFile().size(), textFiles,
                        chunks.relativeError(), tokens.relativeError()));
    }

    /** Where a sampled file's counts are: characters and lines (known for every file), chunks and tokens. */
    private static final int CHARS = 0;
    private static final int LINES = 1;
    private static final int CHUNKS = 2;
    private static final int TOKENS = 3;

    /**
     * The sampled files' counts ({@link #CHARS}, {@link #LINES}, {@link #CHUNKS}, {@link #TOKENS}),
     * and the model's speed on the first files' chunks.
     */
    /**
     * @param tokensPerSecond the model's pace in the tokens of the chunks it covered (each chunk's
     *     own count, as the tree's total counts them): a window of a few files has longer or shorter
     *     chunks than the tree, and a pace in tokens carries over to the tree where one in chunks
     *     did not (on the JDK's java.base and 4 modules, 96 chunks timed said 94-100 chunks/s where
     *     the run made 105-116)
     */
    private record Calibration(List<long[]> perFile, double tokensPerSecond) {}

    /** An estimated total over the tree, and the half-width of its 95% interval relative to it. */
    record Total(double value, double relativeError) {}

    /**
     * Chunks the sampled files for real (up to a few MB of text) with the run's chunker, counting
     * chunks and tokens as the run counts them (headers, overlap and each file's partly filled last
     * chunk included). The chunks of the first sampled files (a random order) are embedded as the
     * embedding stage embeds a window, to time the model on this machine. The files past those are
     * chunked on {@link #CHUNKING_THREADS} threads (the chunker is thread-safe): on the JDK, chunking
     * 3 MB of the sample on one thread was the largest part of the estimate's time.
     */
    private Calibration calibrate(SourceReader reader, List<SourceFile> sample, List<long[]> sampleCounts) {
        int files = 0;
        long planned = 0;
        while (files < sample.size() && planned < SAMPLE_CHARS) {
            planned += sampleCounts.get(files++)[CHARS];
        }
        long[][] counted = new long[files][];
        List<Chunk> window = new ArrayList<>(CALIBRATION_CHUNKS);
        int next = 0;
        while (next < files && window.size() < CALIBRATION_CHUNKS) {
            counted[next] = chunk(reader, sample.get(next), sampleCounts.get(next), window);
            next++;
        }
        AtomicInteger claimed = new AtomicInteger(next);
        int threads = (int) Math.max(1, Math.min(CHUNKING_THREADS, files - next));
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "indexer-estimate");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Callable<Void>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(() -> {
                    for (int i = claimed.getAndIncrement(); i < counted.length && !Thread.currentThread()
                            .isInterrupted(); i = claimed.getAndIncrement()) {
                        counted[i] = chunk(reader, sample.get(i), sampleCounts.get(i), null);
                    }
                    return null;
                });
            }
            for (Future<Void> done : pool.invokeAll(workers)) {
                done.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        List<long[]> perFile = new ArrayList<>();
        for (long[] file : counted) {
            if (file != null) {
                perFile.add(file); // in the sample's order, whichever thread chunked it
            }
        }
        return new Calibration(perFile, embedRate(window));
    }

    /**
     * One sampled file's characters, lines, chunks and tokens, its chunks added to {@code window}
     * (when given) up to {@link #CALIBRATION_CHUNKS}; null when it is not chunked after all (changed
     * since the walk, or not text: the other files will do).
     */
    private static long[] chunk(SourceReader reader, SourceFile source, long[] scanned, List<Chunk> window) {
        long[] file = {scanned[CHARS], scanned[LINES], 0, 0};
        try {
            Chunk.Sink sink = chunk -> {
                file[CHUNKS]++;
                if (chunk.isData()) {
                    return; // stored, never embedded: no tokens for the model, nothing to time
                }
                file[TOKENS] += chunk.tokens();
                if (window != null && window.size() < CALIBRATION_CHUNKS) {
                    window.add(chunk); // whole files, in the sample's random order, as a run's window
                }
            };
            return reader.read(source, Optional.empty(), sink) instanceof SourceReader.Chunked ? file : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * The tree's total of count {@code y} ({@link #CHUNKS} or {@link #TOKENS}) from the sampled
     * files: a regression estimator on each file's characters and lines, which every file's scan
     * gives (a file of data tables makes far more tokens per character than code, and its lines say
     * so: on the JDK, 256 files put the chunks within 7% at 95% this way, against 15% by characters
     * alone). {@code total = N (b0 + b1 C/N + b2 L/N)} with {@code b} fitted by least squares on
     * the sample; its error from the fit's residuals, {@code 1.96 sqrt(s^2 / n)} relative to the
     * mean, less as the sample nears the whole tree. Falls back to the ratio to characters when the
     * sample is too small or the fit says nothing sensible (a negative total).
     */
    static Total total(List<long[]> perFile, int y, long files, long chars, long lines) {
        int n = perFile.size();
        if (n == 0 || files == 0) {
            return new Total(0, Double.POSITIVE_INFINITY);
        }
        if (n >= MIN_REGRESSION_FILES) {
            double[] b = leastSquares(perFile, y);
            if (b != null) {
                double mean = b[0] + b[1] * chars / files + b[2] * lines / files;
                if (mean > 0) {
                    double squares = 0;
                    for (long[] f : perFile) {
                        double residual = f[y] - (b[0] + b[1] * f[CHARS] + b[2] * f[LINES]);
                        squares += residual * residual;
                    }
                    // A sample of every file knows the total: the finite population correction.
                    double variance = squares / (n - 3) * Math.max(0, 1 - (double) n / files);
                    return new Total(mean * files, Z95 * Math.sqrt(variance / n) / mean);
                }
            }
        }
        return ratioToCharacters(perFile, y, files, chars);
    }

    /** The sum of {@code y} over the sum of characters, times the tree's characters, with its error. */
    private static Total ratioToCharacters(List<long[]> perFile, int y, long files, long chars) {
        int n = perFile.size();
        double sumX = perFile.stream().mapToDouble(f -> f[CHARS]).sum();
        double sumY = perFile.stream().mapToDouble(f -> f[y]).sum();
        if (sumX == 0) {
            return new Total(0, Double.POSITIVE_INFINITY);
        }
        double ratio = sumY / sumX;
        if (n < 2 || ratio == 0) {
            return new Total(ratio * chars, Double.POSITIVE_INFINITY);
        }
        double squares = 0;
        for (long[] f : perFile) {
            double residual = f[y] - ratio * f[CHARS];
            squares += residual * residual;
        }
        double standardError = Math.sqrt(squares / ((double) n * (n - 1)) * Math.max(0, 1 - (double) n / files))
                / (sumX / n);
        return new Total(ratio * chars, Z95 * standardError / ratio);
    }

    /** {@code b} minimising {@code sum (y - b0 - b1 chars - b2 lines)^2}; null when the files do not determine it. */
    private static double[] leastSquares(List<long[]> perFile, int y) {
        double[][] a = new double[3][4]; // the normal equations, augmented
        for (long[] f : perFile) {
            double[] x = {1, f[CHARS], f[LINES]};
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    a[i][j] += x[i] * x[j];
                }
                a[i][3] += x[i] * f[y];
            }
        }
        double[] scale = {a[0][0], a[1][1], a[2][2]};
        for (int col = 0; col < 3; col++) { // Gauss-Jordan with partial pivoting
            int pivot = col;
            for (int row = col + 1; row < 3; row++) {
                if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) {
                    pivot = row;
                }
            }
            if (!(Math.abs(a[pivot][col]) > 1e-9 * scale[col])) {
                return null; // every file alike in this respect: no fit
            }
            double[] swap = a[col];
            a[col] = a[pivot];
            a[pivot] = swap;
            for (int row = 0; row < 3; row++) {
                if (row != col) {
                    double factor = a[row][col] / a[col][col];
                    for (int k = col; k < 4; k++) {
                        a[row][k] -= factor * a[col][k];
                    }
                }
            }
        }
        return new double[] {a[0][3] / a[0][0], a[1][3] / a[1][1], a[2][3] / a[2][2]};
    }

    /**
     * The pace of an undisturbed model call, in padded tokens a second: the upper quartile of the
     * calls' paces, each call given as {padded tokens, seconds}.
     */
    static double undisturbedPace(List<double[]> calls) {
        double[] paces = calls.stream().mapToDouble(call -> call[0] / call[1]).sorted().toArray();
        return paces[(int) Math.floor(0.75 * (paces.length - 1))];
    }

    /**
     * The model's pace on this machine, in the tokens of the chunks it covered a second, timed as
     * the embedding stage embeds a window of chunks: each distinct input once (a class's signatures
     * line is shared by its chunks), in calls planned by length ({@link EmbedStage#partTokens},
     * {@link EmbedBatches}). The pace is an undisturbed call's, the upper quartile of the calls'
     * paces (padded tokens a second): the first calls of a shape, and calls the JIT or another
     * process slowed, are slower by up to half, and the window's whole time moved 14% from one
     * estimate to the next on java/util where the upper quartile moved 2%.
     */
    private double embedRate(List<Chunk> window) {
        if (window.isEmpty()) {
            return 0;
        }
        Map<String, List<Chunk>> byPart = new LinkedHashMap<>();
        for (Chunk chunk : window) {
            for (String part : chunk.embedParts()) {
                byPart.computeIfAbsent(part, p -> new ArrayList<>(1)).add(chunk);
            }
        }
        List<String> texts = new ArrayList<>(byPart.keySet());
        int[] tokens = EmbedStage.partTokens(embedder, texts, byPart);
        embedder.embedDocuments(texts.subList(0, Math.min(WARM_UP_CHUNKS, texts.size()))); // warm-up
        List<double[]> calls = new ArrayList<>(); // padded tokens, seconds
        try {
            EmbedBatches.embed(embedder, texts, tokens, embedBatchTokens, Defaults.EMBED_BATCH_INPUTS, () -> false,
                    (batch, vectors, nanos) -> {
                        int longest = Arrays.stream(batch).map(i -> tokens[i]).max().orElse(0);
                        calls.add(new double[] {(double) batch.length * longest, nanos / 1e9});
                    });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        // Calls that ran side by side, each timed alone: the model's pace is theirs together.
        int callers = EmbedBatches.callers(embedder, embedBatchTokens, embedder.maxTokens());
        double seconds = calls.stream().mapToDouble(call -> call[0]).sum() / (callers * undisturbedPace(calls));
        long covered = window.stream().mapToLong(Chunk::tokens).sum();
        return covered / seconds;
    }
}
