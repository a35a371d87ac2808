package dev.indexer.chunk;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A file's bytes, one bounded window at a time: the only part of the file held in memory. */
interface ByteWindows extends Closeable {
    /**
     * The bytes from {@code position} on, at most one window's worth, as a buffer positioned at 0.
     * The buffer is valid until the next call or {@link #close()}.
     *
     * @throws SkippedFileException (changed) if the file is now shorter than when reading began
     */
    ByteBuffer window(long position) throws IOException;

    /** Why reading fell back from the planned way (mapping failed, say), for the run report; empty if it did not. */
    default String fallback() {
        return "";
    }
}
