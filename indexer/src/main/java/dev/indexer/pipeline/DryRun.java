package dev.indexer.pipeline;

import dev.indexer.chunk.ChunkingOptions;
import dev.indexer.chunk.DocumentException;
import dev.indexer.chunk.FileChunker;
import dev.indexer.config.IndexerConfig;
import dev.indexer.embed.Embedder;
import dev.indexer.walk.ContentSniffer;
import dev.indexer.walk.FileWalker;
import dev.indexer.walk.SkipReason;
import dev.indexer.walk.SourceFile;
import dev.indexer.walk.WalkOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.tika.mime.MediaType;

/**
 * Everything indexing would do short of embedding and storing: walk, sniff and read every file,
 * counting lines and characters by scanning bytes, which is much cheaper than tokenizing. Tokens
 * and chunks are then estimated from characters per token measured with the real tokenizer on a
 * random sample of files, and the embedding time from the real model on a sample of real chunks.
 * Memory is bounded: one read buffer and a fixed-size sample.
 */
public final class DryRun {
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
    public DryRun(Path root, WalkOptions walkOptions, ContentSniffer sniffer, ChunkingOptions chunking, Embedder embedder,
            int embedBatchTokens) {
        this.root = root;
        this.walkOptions = walkOptions;
        this.sniffer = sniffer;
        this.chunking = chunking;
        this.embedder = embedder;
        this.embedBatchTokens = embedBatchTokens;
    }

    /** A file in the random sample, with its character count and, for a document, its type. */
    private record Sampled(SourceFile file, long chars, MediaType documentType) {}

    public Estimate run() {
        long start = System.nanoTime();
        RunReport report = new RunReport();
        FileChunker chunker = new FileChunker(chunking, embedder.tokenCounter());
        List<Sampled> sample = new ArrayList<>();
        Random random = new Random(42);
        long textFiles = 0;
        long bytes = 0;
        long lines = 0;
        long characters = 0;
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try (Stream<SourceFile> files = new FileWalker(root, walkOptions, report).stream()) {
            for (Iterator<SourceFile> it = files.iterator(); it.hasNext(); ) {
                SourceFile file = it.next();
                report.fileFound();
                ContentSniffer.Verdict verdict = sniffer.examine(file);
                if (verdict instanceof ContentSniffer.Skip skip) {
                    report.fileFailed(file, skip.reason(), skip.detail());
                    continue;
                }
                long[] counted;
                MediaType documentType = verdict instanceof ContentSniffer.Document d ? d.type() : null;
                if (documentType != null) {
                    try {
                        counted = chunker.countDocument(file, documentType);
                    } catch (DocumentException e) {
                        report.fileFailed(file, e.reason(), e.getMessage());
                        continue;
                    } catch (IOException e) {
                        counted = null;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                } else {
                    counted = count(file, buffer);
                }
                if (counted == null) {
                    report.fileFailed(file, SkipReason.UNREADABLE, "could not be read");
                    continue;
                }
                textFiles++;
                bytes += file.size();
                lines += counted[0];
                characters += counted[1];
                // Reservoir sampling: every file has the same chance to be in the sample.
                if (sample.size() < SAMPLE_FILES) {
                    sample.add(new Sampled(file, counted[1], documentType));
                } else {
                    int slot = random.nextInt((int) Math.min(Integer.MAX_VALUE, textFiles));
                    if (slot < SAMPLE_FILES) {
                        sample.set(slot, new Sampled(file, counted[1], documentType));
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw new dev.indexer.IndexerException("Could not walk " + root + " (" + e.getMessage() + ").", e);
        }
        long scanned = System.nanoTime() - start;
        Calibration calibration = calibrate(sample);
        long tokens = calibration.charsPerToken() > 0 ? Math.round(characters / calibration.charsPerToken()) : 0;
        long chunks = Math.round(characters * calibration.chunksPerChar());
        RunSummary summary = report.summary();
        return new Estimate(summary.filesSeen(), textFiles, bytes, lines, characters, calibration.charsPerToken(),
                tokens, chunks, summary.skipped(), calibration.chunksPerSecond(), scanned, System.nanoTime() - start);
    }

    /** Lines and characters (UTF-8 lead bytes) of the first {@code size} bytes, or null if unreadable. */
    private static long[] count(SourceFile file, ByteBuffer buffer) {
        long lines = 0;
        long chars = 0;
        try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
            long position = 0;
            while (position < file.size()) {
                buffer.clear();
                int n = channel.read(buffer, position);
                if (n < 0) {
                    break;
                }
                position += n;
                byte[] array = buffer.array();
                for (int i = 0; i < n; i++) {
                    byte b = array[i];
                    if (b == '\n') {
                        lines++;
                    }
                    if ((b & 0xC0) != 0x80) {
                        chars++;
                    }
                }
            }
            return new long[] {lines, chars};
        } catch (IOException e) {
            return null;
        }
    }

    /** What the sample says: tokens and chunks per character, and the model's speed here. */
    private record Calibration(double charsPerToken, double chunksPerChar, double chunksPerSecond) {}

    /**
     * Chunks the sampled files for real (up to a few MB of text): their tokens and chunks per
     * character give the estimates for the whole tree (a ratio estimator, which includes the
     * overlap and each file's partly filled last chunk), and some of their chunks are embedded,
     * in model calls planned as the real run plans them, to time the model on this machine.
     */
    private Calibration calibrate(List<Sampled> sample) {
        FileChunker chunker = new FileChunker(chunking, embedder.tokenCounter());
        List<String> texts = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        long chars = 0;
        long chunks = 0;
        long tokens = 0;
        for (Sampled sampled : sample) {
            if (chars >= SAMPLE_CHARS) {
                break;
            }
            long[] fileChunks = {0};
            long[] fileTokens = {0};
            try {
                dev.indexer.chunk.ChunkSink sink = chunk -> {
                    fileChunks[0]++;
                    fileTokens[0] += chunk.tokens();
                    if (texts.size() < CALIBRATION_CHUNKS) {
                        texts.add(chunk.embedText());
                        lengths.add(chunk.tokens() + embedder.specialTokens());
                    }
                };
                if (sampled.documentType() != null) {
                    chunker.chunkDocument(sampled.file(), sampled.documentType(), sink);
                } else {
                    chunker.chunk(sampled.file(), sink);
                }
            } catch (IOException | DocumentException e) {
                continue; // changed since the walk: the other files will do
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            chars += sampled.chars();
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
        EmbedBatches.embed(embedder, texts, tokens, embedBatchTokens, IndexerConfig.EMBED_BATCH_INPUTS);
        return texts.size() / ((System.nanoTime() - start) / 1e9);
    }
}
