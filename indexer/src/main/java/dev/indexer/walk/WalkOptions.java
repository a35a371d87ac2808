package dev.indexer.walk;

import dev.indexer.config.Shard;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What the walker lets through.
 *
 * @param maxFileSize files larger than this (from metadata) are skipped before any read
 * @param symlinks whether symbolic links are followed
 * @param indexHome the index home in use, left out wherever it lies in the tree (other index homes
 *     and collection directories are recognised by what they hold)
 * @param shard the part of the tree walked: files of other parts are passed over without a word
 *     (they are another worker's, not skipped)
 */
public record WalkOptions(long maxFileSize, SymlinkPolicy symlinks, Optional<Path> indexHome, Shard shard) {
    public WalkOptions {
        if (maxFileSize <= 0) {
            throw new IllegalArgumentException("maxFileSize must be positive");
        }
        Objects.requireNonNull(shard, "shard");
    }

    public WalkOptions(long maxFileSize, SymlinkPolicy symlinks, Optional<Path> indexHome) {
        this(maxFileSize, symlinks, indexHome, Shard.ALL);
    }

    public WalkOptions(long maxFileSize, SymlinkPolicy symlinks) {
        this(maxFileSize, symlinks, Optional.empty());
    }

    /** What to do with symbolic links. */
    public enum SymlinkPolicy {
        /** Skip them (the default): a link can lead outside the tree or into a loop. */
        SKIP,
        /** Follow them, skipping any directory link that leads back to one of its ancestors. */
        FOLLOW
    }
}
