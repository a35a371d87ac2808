package dev.indexer.walk;

/** Receives every file or directory that is left out, with the reason and a detail for the user. */
@FunctionalInterface
public interface SkipListener {
    /**
     * @param relativePath the path below the walk root
     * @param reason why it was left out
     * @param detail a short explanation with the numbers involved, e.g. {@code 6.2 MB > 5.0 MB}
     */
    void skipped(String relativePath, SkipReason reason, String detail);
}
