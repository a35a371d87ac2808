package dev.indexer.config;

import java.time.Duration;

/**
 * How one index run walks the tree and paces its work.
 *
 * @param maxFileSize larger files are skipped, from their metadata, before any byte is read
 * @param followSymlinks follow symbolic links (loops are detected)
 * @param batchSize files per batch: chunks are embedded and committed batch by batch
 * @param maxFiles stop after this many new or changed files; {@link Long#MAX_VALUE} for no limit
 * @param commitInterval the least time between two commits while running (there is always one at the end)
 * @param vectorCache bytes the index home's vector cache may take; 0 switches it off
 */
public record IndexOptions(long maxFileSize, boolean followSymlinks, int batchSize, long maxFiles,
        Duration commitInterval, long vectorCache) {

    public static final IndexOptions DEFAULTS = new IndexOptions(Defaults.MAX_FILE_SIZE, false, Defaults.BATCH_SIZE,
            Long.MAX_VALUE, Defaults.COMMIT_INTERVAL, Defaults.VECTOR_CACHE);

    public IndexOptions {
        if (maxFileSize < 1) {
            throw new IllegalArgumentException("--max-file-size must be at least 1 byte");
        }
        if (batchSize < 1 || batchSize > 100_000) {
            throw new IllegalArgumentException("--batch-size must be from 1 to 100000, was " + batchSize);
        }
        if (maxFiles < 1) {
            throw new IllegalArgumentException("--max-files must be at least 1, was " + maxFiles);
        }
        if (commitInterval.isNegative()) {
            throw new IllegalArgumentException("--commit-interval cannot be negative");
        }
        if (vectorCache < 0) {
            throw new IllegalArgumentException("--vector-cache cannot be negative");
        }
    }

    public IndexOptions withMaxFiles(long value) {
        return new IndexOptions(maxFileSize, followSymlinks, batchSize, value, commitInterval, vectorCache);
    }

    public IndexOptions withBatchSize(int value) {
        return new IndexOptions(maxFileSize, followSymlinks, value, maxFiles, commitInterval, vectorCache);
    }

    public IndexOptions withCommitInterval(Duration value) {
        return new IndexOptions(maxFileSize, followSymlinks, batchSize, maxFiles, value, vectorCache);
    }

    public IndexOptions withVectorCache(long bytes) {
        return new IndexOptions(maxFileSize, followSymlinks, batchSize, maxFiles, commitInterval, bytes);
    }

    /** These options walking with another size cap and symlink policy. */
    public IndexOptions withWalk(long maxFileSizeValue, boolean followSymlinksValue) {
        return new IndexOptions(maxFileSizeValue, followSymlinksValue, batchSize, maxFiles, commitInterval,
                vectorCache);
    }
}
