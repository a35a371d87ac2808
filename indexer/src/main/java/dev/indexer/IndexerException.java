package dev.indexer;

/**
 * A fatal problem that stops the run. Its message is one plain sentence for the user: what
 * happened and what to do about it. The cause, if any, is kept for diagnostics.
 */
public class IndexerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IndexerException(String message) {
        super(message);
    }

    public IndexerException(String message, Throwable cause) {
        super(message, cause);
    }
}
