package dev.indexer.walk;

/**
 * What the walker lets through.
 *
 * @param maxFileSize files larger than this (from metadata) are skipped before any read
 * @param symlinks whether symbolic links are followed
 */
public record WalkOptions(long maxFileSize, SymlinkPolicy symlinks) {
    public WalkOptions {
        if (maxFileSize <= 0) {
            throw new IllegalArgumentException("maxFileSize must be positive");
        }
    }

    /** What to do with symbolic links. */
    public enum SymlinkPolicy {
        /** Skip them (the default): a link can lead outside the tree or into a loop. */
        SKIP,
        /** Follow them, skipping any directory link that leads back to one of its ancestors. */
        FOLLOW
    }
}
