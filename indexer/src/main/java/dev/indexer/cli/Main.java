package dev.indexer.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Optional;

/** The program's entry point; the only place that calls {@code System.exit}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Charset charset = Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, charset), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, charset), true);
        // System.console() is null unless stdin and stdout are terminals; close enough for stderr.
        Optional<PrintStream> terminal = System.console() != null ? Optional.of(System.err) : Optional.empty();
        System.exit(IndexerCli.run(args, System.getenv(), out, err, terminal));
    }
}
