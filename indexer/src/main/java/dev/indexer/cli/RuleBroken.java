package dev.indexer.cli;

import picocli.CommandLine;

/**
 * A value the command line accepted in form but that breaks a rule its message names (an empty
 * name, a regular expression where a name goes, a path that is not an indexed file). The message
 * says what to change, so the command's forty lines of usage after it would only push it off the
 * screen: it is printed with a one-line pointer to {@code --help} instead. Exit code 2, as any
 * usage error.
 */
final class RuleBroken extends CommandLine.ParameterException {
    private static final long serialVersionUID = 1L;

    RuleBroken(CommandLine commandLine, String message) {
        super(commandLine, message);
    }
}
