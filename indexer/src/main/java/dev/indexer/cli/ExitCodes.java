package dev.indexer.cli;

/** The process exit codes, as documented in {@code --help}. */
final class ExitCodes {
    static final int OK = 0;
    static final int FATAL = 1;
    static final int USAGE = 2;

    private ExitCodes() {}
}
