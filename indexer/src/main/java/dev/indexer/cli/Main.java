package dev.indexer.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;

/** The program's entry point; the only place that calls {@code System.exit}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Charset charset = Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, charset), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, charset), true);
        boolean interactive = System.console() != null;
        System.exit(IndexerCli.run(args, System.getenv(), out, err, interactive));
    }
}
