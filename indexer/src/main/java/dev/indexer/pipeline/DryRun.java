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
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Everything indexing would do short of embedding and storing: walk, and read every file the way
 * the read stage does ({@link SourceReader}), counting lines and characters by scanning bytes,
 * which is much cheaper than tokenizing. Tokens
 * and chunks are then estimated from characters per token measured with the real tokenizer on a
 * random sample of files, and the embedding time from the real model on a sample of real chunks.
 * Memory is bounded: one read buffer and a fixed-size sample.
 */
final class DryRun {
    private static final int SAMPLE_FILES = 48;
    private static final long SAMPLE_CHARS = 4L << 20;
    private static final int CALIBRATION_CHUNKS = 48;

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
        List<Long> sampleChars = new ArrayList<>();
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
                    sampleChars.add(counted.chars());
                } else {
                    int slot = random.nextInt((int) Math.min(Integer.MAX_VALUE, textFiles));
                    if (slot < SAMPLE_FILES) {
                        sample.set(slot, file);
                        sampleChars.set(slot, counted.chars());
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw new IndexerException("Could not walk " + root + " (" + e.getMessage() + ").", e);
        }
        long scanned = System.nanoTime() - start;
        Calibration calibration = calibrate(reader, sample, sampleChars);
        long tokens = calibration.charsPerToken() > 0 ? Math.round(characters / calibration.charsPerToken()) : 0;
        long chunks = Math.round(characters * calibration.chunksPerChar());
        RunSummary summary = report.summary();
        return new Estimate(summary.files().seen(), textFiles, bytes, lines, characters, calibration.charsPerToken(),
                tokens, chunks, summary.issues().skipped(), calibration.chunksPerSecond(), scanned, System.nanoTime() - start);
    }

    /** What the sample says: tokens and chunks per character, and the model's speed here. */
    private record Calibration(double charsPerToken, double chunksPerChar, double chunksPerSecond) {}

    /**
     * Chunks the sampled files for real (up to a few MB of text): their tokens and chunks per
     * character give the estimates for the whole tree (a ratio estimator, which includes the
     * overlap and each file's partly filled last chunk), and some of their chunks are embedded,
     * in model calls planned as the real run plans them, to time the model on this machine.
     */
    private Calibration calibrate(SourceReader reader, List<SourceFile> sample, List<Long> sampleChars) {
        List<String> texts = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        long chars = 0;
        long chunks = 0;
        long tokens = 0;
        for (int i = 0; i < sample.size() && chars < SAMPLE_CHARS; i++) {
            long[] fileChunks = {0};
            long[] fileTokens = {0};
            try {
                Chunk.Sink sink = chunk -> {
                    fileChunks[0]++;
                    fileTokens[0] += chunk.tokens();
                    if (texts.size() < CALIBRATION_CHUNKS) {
                        texts.add(chunk.embedText());
                        lengths.add(chunk.tokens() + embedder.specialTokens());
                    }
                };
                if (!(reader.read(sample.get(i), Optional.empty(), sink) instanceof SourceReader.Chunked)) {
                    continue;
                }
            } catch (IOException e) {
                continue; // changed since the walk: the other files will do
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            chars += sampleChars.get(i);
            chunks += fileChunks[0];
            tokens += fileTokens[0];
        }
        if (chars == 0 || tokens == 0) {
            return new Calibration(0, 0, 0);
        }
        // Chunk tokens count the overlap twice; characters per token wants each character once.
        double overlapShare = chunks <= 1 ? 0 : (double) chunking.overlapTokens() * (chunks - 1) / tokens;
        return new Calibration(chars / (tokens * (1 - Math.min(0.5, overlapShare))), (double) chunks / chars,
                embedRate(texts, lengths));
    }

    private double embedRate(List<String> texts, List<Integer> lengths) {
        if (texts.isEmpty()) {
            return 0;
        }
        embedder.embedDocuments(texts.subList(0, Math.min(4, texts.size()))); // warm-up
        int[] tokens = lengths.stream().mapToInt(Integer::intValue).toArray();
        long start = System.nanoTime();
        EmbedBatches.embed(embedder, texts, tokens, embedBatchTokens, Defaults.EMBED_BATCH_INPUTS);
        return texts.size() / ((System.nanoTime() - start) / 1e9);
    }
}
