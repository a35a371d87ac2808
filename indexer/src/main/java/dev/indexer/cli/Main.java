package dev.indexer.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The program's entry point; the only place that calls {@code System.exit}. */
final class Main {
    private Main() {}

    public static void main(String[] args) {
        LibraryLogging.configure(System.getenv());
        // UTF-8 whatever the locale: JSON must be, and paths and code are in any script.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
                StandardCharsets.UTF_8), true);
        // System.console() is null unless stdin and stdout are terminals; close enough for stderr.
        Optional<PrintStream> terminal = System.console() != null ? Optional.of(System.err) : Optional.empty();
        System.exit(IndexerCli.run(args, System.getenv(), out, err, terminal, Interrupts.install()));
    }
}
