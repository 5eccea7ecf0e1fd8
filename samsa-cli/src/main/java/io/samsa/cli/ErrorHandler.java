package io.samsa.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Prints every failure as one line {@code samsa: <message>} on stderr (plus the stack trace with {@code -v}) and
 * maps it to an exit code: usage errors 2 with a "Try 'samsa X --help'" hint, {@link CliException} its own code,
 * anything else 1.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        err.println("samsa: " + Errors.message(ex));
        if (isVerbose(parseResult)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ex instanceof CliException cli ? cli.exitCode() : SamsaCommand.EXIT_FAILURE;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("samsa: " + Errors.message(ex));
        UnmatchedArgumentException.printSuggestions(ex, err);
        if (isVerbose(args)) {
            ex.printStackTrace(err);
        }
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return SamsaCommand.EXIT_USAGE;
    }

    private static boolean isVerbose(ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isVerbose(String[] args) {
        for (String arg : args) {
            if (arg.equals("-v") || arg.equals("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
