package dev.indexer.cli;

import dev.indexer.IndexerException;
import dev.indexer.text.Echo;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
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
                "a command is required: index, search, symbols, outline, refs, estimate, status, drop, evaluate, mcp or serve");
    }

    /** A ready command line with its subcommands and error handling. */
    static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err,
            Optional<PrintStream> terminal, Interrupts interrupts) {
        CliContext context = new CliContext(env, out, err, terminal, interrupts);
        CommandLine commandLine = new CommandLine(new IndexerCli());
        for (Object command : List.of(new IndexCommand(context), new SearchCommand(context),
                new EstimateCommand(context), new StatusCommand(context), new DropCommand(context),
                new EvaluateCommand(context), new McpCommand(context), new ServeCommand(context),
                new SymbolsCommand(context), new OutlineCommand(context), new RefsCommand(context),
                new ReposCommand(context))) {
            commandLine.addSubcommand(new CommandLine(command));
        }
        return commandLine.setOut(out).setErr(err).setExecutionStrategy(IndexerCli::refuseUnmatched)
                .setParameterExceptionHandler(IndexerCli::usageError)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof IndexerException) {
                        cmd.getErr().println("indexer: " + shown(e.getMessage()));
                    } else {
                        cmd.getErr().println("indexer: unexpected error, please report it: " + e);
                        e.printStackTrace(cmd.getErr());
                    }
                    cmd.getErr().flush();
                    return ExitCodes.FATAL;
                });
    }

    /**
     * Picocli leaves out its check of unmatched arguments when help is asked for, so that
     * {@code indexer nosuchcommand --help} would print the top help and succeed: a typo'd command
     * is refused here whatever else the line holds.
     */
    private static int refuseUnmatched(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult level = parsed; level != null; level = level.subcommand()) {
            if (!level.unmatched().isEmpty()) {
                throw new CommandLine.UnmatchedArgumentException(level.commandSpec().commandLine(), level.unmatched());
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /**
     * A usage error: its message, then the command's usage where the usage is the answer (a
     * parameter missing, an unknown option or command with nothing close to suggest, no command at
     * all), else one line pointing to {@code --help}. A value that breaks a rule (an empty name, a
     * number out of range, a path that is not an indexed file, a word where a number goes) has a
     * message that says what to change, and forty lines of usage after it would only push it off
     * the screen. An unknown command is called that.
     */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        String message = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && command.getParent() == null
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
            message = "unknown command '" + unmatched.getUnmatched().get(0) + "'; the commands are "
                    + String.join(", ", command.getSubcommands().keySet());
        }
        err.println(shown(message));
        if (e instanceof CommandLine.UnmatchedArgumentException) {
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
                command.usage(err);
            }
        } else if (e instanceof CommandLine.MissingParameterException || command.getParent() == null) {
            command.usage(err);
        } else {
            err.println("(indexer " + command.getCommandName() + " --help shows the usage)");
        }
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * A refusal or a fatal error as printed: they repeat what was typed or found on disk (a name, a
     * path), whose control characters would otherwise reach the terminal as they are (an escape
     * sequence recolours it, a carriage return rewrites the line); cut as the MCP tools cut theirs.
     */
    private static String shown(String message) {
        return Echo.of(message, 4 * Echo.MAX_CHARS);
    }

    /**
     * Runs one command and returns its exit code.
     *
     * @param terminal where to draw a progress bar, when stderr is an interactive terminal
     */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err,
            Optional<PrintStream> terminal) {
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
