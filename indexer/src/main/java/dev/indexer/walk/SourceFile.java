package dev.indexer.walk;

import java.nio.file.Path;

/**
 * A file the walker found and did not rule out from its metadata.
 *
 * @param path absolute path on disk
 * @param relativePath path below the walk root, with {@code /} separators on every platform
 * @param size size in bytes when it was listed
 * @param modifiedMillis last-modified time when it was listed
 */
public record SourceFile(Path path, String relativePath, long size, long modifiedMillis) {}
