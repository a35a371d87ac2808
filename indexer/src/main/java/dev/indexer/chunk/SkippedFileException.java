package dev.indexer.chunk;

import dev.indexer.walk.SkipReason;
import java.io.IOException;

/**
 * A file that is left out while it is read, for a reason the run counts: it changed (shrank, grew,
 * was rewritten or truncated under a mapping), or it is a document whose text cannot be had
 * (encrypted, broken, not what it claimed to be).
 */
public final class SkippedFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final SkipReason reason;

    public SkippedFileException(SkipReason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public SkippedFileException(SkipReason reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = reason;
    }

    public SkipReason reason() {
        return reason;
    }
}
