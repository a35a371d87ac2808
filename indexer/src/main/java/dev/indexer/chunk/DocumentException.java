package dev.indexer.chunk;

import dev.indexer.walk.SkipReason;

/** A document whose text cannot be had: encrypted, broken, or not what it claimed to be. */
public final class DocumentException extends Exception {
    private static final long serialVersionUID = 1L;

    private final SkipReason reason;

    public DocumentException(SkipReason reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = reason;
    }

    public SkipReason reason() {
        return reason;
    }
}
