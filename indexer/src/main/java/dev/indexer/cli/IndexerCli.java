package dev.indexer.cli;

import dev.indexer.IndexerException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The command line: {@code indexer index|search|status|drop ...}. */
@Command(name = "indexer",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A memory-efficient code indexer: index a codebase, then search it by meaning and by words.",
        synopsisSubcommandLabel = "COMMAND",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:fatal error (the message says what to do)", "2:usage error"})
final class IndexerCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a command is required: index, search, estimate, status, drop, evaluate, mcp or serve");
    }

    /** A ready command line with its subcommands and error handling. */
    static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err,
            Optional<PrintStream> terminal, Interrupts interrupts) {
        CliContext context = new CliContext(env, out, err, terminal, interrupts);
        CommandLine commandLine = new CommandLine(new IndexerCli())
                .addSubcommand(new CommandLine(new IndexCommand(context)))
                .addSubcommand(new CommandLine(new SearchCommand(context)))
                .addSubcommand(new CommandLine(new EstimateCommand(context)))
                .addSubcommand(new CommandLine(new StatusCommand(context)))
                .addSubcommand(new CommandLine(new DropCommand(context)))
                .addSubcommand(new CommandLine(new EvaluateCommand(context)))
                .addSubcommand(new CommandLine(new McpCommand(context)))
                .addSubcommand(new CommandLine(new ServeCommand(context)))
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof IndexerException) {
                        cmd.getErr().println("indexer: " + e.getMessage());
                    } else {
                        cmd.getErr().println("indexer: unexpected error, please report it: " + e);
                        e.printStackTrace(cmd.getErr());
                    }
                    cmd.getErr().flush();
                    return ExitCodes.FATAL;
                });
        return commandLine;
    }

    /**
     * Runs one command and returns its exit code.
     *
     * @param terminal where to draw a progress bar, when stderr is an interactive terminal
     */
    public static int run(
            String[] args, Map<String, String> env, PrintWriter out, PrintWriter err, Optional<PrintStream> terminal) {
        return run(args, env, out, err, terminal, Interrupts.none());
    }

    static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err,
            Optional<PrintStream> terminal, Interrupts interrupts) {
        int code = commandLine(env, out, err, terminal, interrupts).execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
