package dev.indexer.chunk;

import java.io.IOException;

/** The file changed (shrank, grew, was rewritten or truncated under a mapping) while it was read. */
public final class FileChangedException extends IOException {
    private static final long serialVersionUID = 1L;

    public FileChangedException(String message) {
        super(message);
    }

    public FileChangedException(String message, Throwable cause) {
        super(message, cause);
    }
}
