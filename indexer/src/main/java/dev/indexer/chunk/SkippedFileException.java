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

    /**
     * The skip for a fault in a mapped read: the JVM turns the SIGBUS of touching a page past a
     * file's new end into an {@link InternalError}. In compiled code that error is raised
     * asynchronously, at the thread's next safepoint, so it can surface anywhere in the reading
     * call tree and not only at the read that faulted: the outermost reading methods catch it too.
     * Any other internal error is the JVM's own and is thrown on.
     */
    static SkippedFileException truncatedWhileMapped(InternalError e) {
        String message = String.valueOf(e.getMessage());
        if (!message.contains("unsafe memory access")) {
            throw e;
        }
        return new SkippedFileException(SkipReason.CHANGED, "file was truncated while mapped", e);
    }

    public SkipReason reason() {
        return reason;
    }
}
