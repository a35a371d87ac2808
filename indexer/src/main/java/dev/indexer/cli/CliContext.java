package dev.indexer.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;

/**
 * What commands get from outside instead of reading globals: the environment, the output streams,
 * when stderr is an interactive terminal the stream the progress bar draws on, and the signals
 * that cancel a run.
 */
record CliContext(Map<String, String> env, PrintWriter out, PrintWriter err, Optional<PrintStream> terminal,
        Interrupts interrupts) {}
