package dev.indexer.chunk.syntax;

/**
 * A named definition in the syntax tree.
 *
 * @param kind {@code class}, {@code interface}, {@code function}, {@code method}...
 * @param name its name as written
 * @param signature its first line, trimmed: what a reader sees of it ({@code public int size() {})
 * @param isType whether it can hold other definitions (a class, not a method)
 */
record Definition(String kind, String name, String signature, boolean isType) {}
