package io.tributary.core.cli;

import io.tributary.core.error.InputError;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Runs a module's root picocli command the way every Tributary command behaves: user errors (any
 * {@link InputError}) print one line and exit 2, bugs print a stack trace and exit 1, usage errors print
 * the usage and exit 2.
 */
public final class CommandLauncher {
    private CommandLauncher() {}

    public static int execute(Object rootCommand, String... args) {
        CommandLine commandLine = new CommandLine(rootCommand);
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            InputError inputError = findInputError(exception);
            if (inputError != null) {
                err.println("error: " + inputError.getMessage());
                err.flush();
                return 2;
            }
            err.println("error: " + exception);
            exception.printStackTrace(err);
            err.flush();
            return 1;
        });
        return commandLine.execute(args);
    }

    public static void main(Object rootCommand, String... args) {
        int status = execute(rootCommand, args);
        System.exit(status);
    }

    /** The user error or library input error in the cause chain, if any: reported as one line, exit 2. */
    private static InputError findInputError(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof InputError inputError) {
                return inputError;
            }
        }
        return null;
    }
}
