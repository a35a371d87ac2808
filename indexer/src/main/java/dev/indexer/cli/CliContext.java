package dev.indexer.cli;

import java.io.PrintWriter;
import java.util.Map;

/**
 * What commands get from outside instead of reading globals: the environment, the output streams,
 * and whether stderr is an interactive terminal (for the progress bar).
 */
record CliContext(Map<String, String> env, PrintWriter out, PrintWriter err, boolean interactive) {}
