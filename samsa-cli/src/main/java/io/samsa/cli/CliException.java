package io.samsa.cli;

/**
 * A failure whose message is meant for the user as is: printed as {@code samsa: <message>} with the given exit code.
 */
public final class CliException extends RuntimeException {
    private final int exitCode;

    /** A runtime failure (exit code 1). */
    public CliException(String message) {
        this(message, SamsaCommand.EXIT_FAILURE, null);
    }

    /** A failure with its own exit code and the cause (shown with {@code --verbose}). */
    public CliException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The process exit code. */
    public int exitCode() {
        return exitCode;
    }
}
