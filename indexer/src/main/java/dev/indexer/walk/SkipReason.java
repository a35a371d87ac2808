package dev.indexer.walk;

/** Why a file (or a directory) was not indexed. Every skip is counted under one of these. */
public enum SkipReason {
    IGNORED("ignored"),
    IGNORED_DIRECTORY("ignored directory"),
    SECRET("secret"),
    TOO_LARGE("too large"),
    BINARY("binary"),
    GENERATED("minified or generated"),
    NOT_UTF8("not UTF-8 text"),
    ENCRYPTED("encrypted document"),
    BROKEN_DOCUMENT("unreadable document"),
    UNREADABLE("unreadable"),
    VANISHED("vanished"),
    CHANGED("changed while reading"),
    SYMLINK("symlink not followed"),
    SYMLINK_LOOP("symlink loop"),
    NOT_REGULAR("not a regular file"),
    BAD_NAME("badly named"),
    INDEX_DIRECTORY("index directory");

    private final String label;

    SkipReason(String label) {
        this.label = label;
    }

    /** The words used in reports, e.g. {@code too large}. */
    public String label() {
        return label;
    }

    /** Whether this reason counts a directory (and whatever it holds) rather than a file. */
    public boolean isDirectory() {
        return this == IGNORED_DIRECTORY || this == INDEX_DIRECTORY;
    }
}
