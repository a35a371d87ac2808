package dev.indexer.eval;

/**
 * One question of an evaluation set: a function's documentation, and where the function is.
 *
 * @param text the query: the documentation's first sentence
 * @param path the file, below the root
 * @param firstLine the function's first line
 * @param lastLine the function's last line
 */
record EvalQuery(String text, String path, int firstLine, int lastLine, String name) {
    /** Whether a hit on these lines of this file shows part of the function. */
    public boolean overlaps(String hitPath, int hitFirst, int hitLast) {
        return hitPath.equals(path) && hitFirst <= lastLine && hitLast >= firstLine;
    }
}
