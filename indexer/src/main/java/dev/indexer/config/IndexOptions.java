package dev.indexer.config;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * How one index run walks the tree and paces its work: {@link #DEFAULTS}, changed by name with the
 * {@code with} methods.
 *
 * @param maxFileSize larger files are skipped, from their metadata, before any byte is read
 * @param followSymlinks follow symbolic links (loops are detected)
 * @param batchSize files per batch: chunks are embedded and committed batch by batch
 * @param maxFiles the most files whose chunks one run embeds; {@link Long#MAX_VALUE} for no limit
 * @param commitInterval the least time between two commits while running (there is always one at the end)
 * @param vectorCache bytes the index home's vector cache may take; 0 switches it off
 * @param scope the parts of the tree this run looks at, as paths relative to the root ('/'
 *     between names; a directory stands for everything under it); empty for the whole tree. Files
 *     outside the scope are neither read nor taken for deleted: what a watcher that saw a few
 *     files change asks for.
 * @param shard the part of the tree this run indexes, when workers share a tree ({@link Shard#ALL}
 *     for all of it): files of other parts are neither read nor taken for deleted
 */
public record IndexOptions(long maxFileSize, boolean followSymlinks, int batchSize, long maxFiles,
        Duration commitInterval, long vectorCache, List<String> scope, Shard shard) {

    public static final IndexOptions DEFAULTS = new IndexOptions(Defaults.MAX_FILE_SIZE, false, Defaults.BATCH_SIZE,
            Long.MAX_VALUE, Defaults.COMMIT_INTERVAL, Defaults.VECTOR_CACHE, List.of(), Shard.ALL);

    public IndexOptions {
        scope = normalizeScope(scope);
        Objects.requireNonNull(shard, "shard");
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

    public IndexOptions withMaxFileSize(long bytes) {
        return new IndexOptions(bytes, followSymlinks, batchSize, maxFiles, commitInterval, vectorCache, scope, shard);
    }

    /** These options following symbolic links. */
    public IndexOptions followingSymlinks() {
        return new IndexOptions(maxFileSize, true, batchSize, maxFiles, commitInterval, vectorCache, scope, shard);
    }

    public IndexOptions withBatchSize(int value) {
        return new IndexOptions(maxFileSize, followSymlinks, value, maxFiles, commitInterval, vectorCache, scope, shard);
    }

    public IndexOptions withMaxFiles(long value) {
        return new IndexOptions(maxFileSize, followSymlinks, batchSize, value, commitInterval, vectorCache, scope, shard);
    }

    public IndexOptions withCommitInterval(Duration value) {
        return new IndexOptions(maxFileSize, followSymlinks, batchSize, maxFiles, value, vectorCache, scope, shard);
    }

    public IndexOptions withVectorCache(long bytes) {
        return new IndexOptions(maxFileSize, followSymlinks, batchSize, maxFiles, commitInterval, bytes, scope, shard);
    }

    /**
     * These options for a run over only {@code paths} of the tree (empty: all of it).
     *
     * @throws IllegalArgumentException for an absolute path or one that climbs out with ".."
     */
    public IndexOptions withScope(Collection<String> paths) {
        return new IndexOptions(maxFileSize, followSymlinks, batchSize, maxFiles, commitInterval, vectorCache,
                List.copyOf(paths), shard);
    }

    /** These options for a worker that indexes only the files of {@code part} (see {@link Shard}). */
    public IndexOptions withShard(Shard part) {
        return new IndexOptions(maxFileSize, followSymlinks, batchSize, maxFiles, commitInterval, vectorCache, scope,
                part);
    }

    /**
     * The scope as a sorted set of clean relative paths, none inside another: "." or "" (the root)
     * makes the scope the whole tree (empty).
     */
    private static List<String> normalizeScope(List<String> paths) {
        TreeSet<String> clean = new TreeSet<>();
        for (String path : paths) {
            Path p = Path.of(path.replace('\\', '/')).normalize();
            if (p.isAbsolute() || (p.getNameCount() > 0 && p.getName(0).toString().equals(".."))) {
                throw new IllegalArgumentException("a path to index must lie inside the tree: " + path);
            }
            String relative = p.toString().replace(File.separatorChar, '/');
            if (relative.isEmpty() || relative.equals(".")) {
                return List.of();
            }
            clean.add(relative);
        }
        List<String> kept = new ArrayList<>();
        for (String path : clean) {
            // Sorted, so a directory comes right before what lies under it ("a" < "a/b" < "a0").
            if (kept.isEmpty() || !path.startsWith(kept.get(kept.size() - 1) + "/")) {
                kept.add(path);
            }
        }
        return List.copyOf(kept);
    }
}
