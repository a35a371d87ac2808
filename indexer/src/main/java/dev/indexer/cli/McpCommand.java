package dev.indexer.cli;

import dev.indexer.mcp.LiveServer;
import dev.indexer.pipeline.Cancellation;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "mcp", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        headerHeading = "", header = "Serve a live index of a tree to a coding assistant over MCP (stdio).",
        description = {"An MCP server over stdin and stdout, as coding assistants launch them, for example:",
            "  claude mcp add code -- /abs/path/scripts/indexer mcp /repo --collection repo",
            "It opens (or creates) the collection, indexes what changed since the last run in the background,"
                + " answers searches at once with what is indexed, and follows the tree's changes as files are saved.",
            "Tools: search_code, read_code, index_status, reindex.",
            "Only MCP messages go to stdout; logs go to stderr. It stops when stdin closes, or on SIGTERM or Ctrl-C:"
                + " what is indexed is kept."})
final class McpCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    LiveOptions live;

    McpCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        // stdout carries the protocol alone: whatever else would print there goes to stderr.
        OutputStream protocol = new FileOutputStream(FileDescriptor.out);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        InputStream stdin = new FileInputStream(FileDescriptor.in);
        Cancellation stop = context.interrupts().begin();
        try {
            return LiveOptions.run(context, live, spec.commandLine(), "mcp", stop,
                    LiveServer.Transport.stdio(stdin, protocol));
        } finally {
            context.interrupts().end();
        }
    }
}
