package io.tributary.core.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Runs a module's root picocli command the way every Tributary command behaves: user errors print one
 * line and exit 2, bugs print a stack trace and exit 1, usage errors print the usage and exit 2.
 */
public final class CommandLauncher {
    private CommandLauncher() {}

    public static int execute(Object rootCommand, String... args) {
        CommandLine commandLine = new CommandLine(rootCommand);
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            UserError userError = findUserError(exception);
            if (userError != null) {
                err.println("error: " + userError.getMessage());
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

    private static UserError findUserError(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof UserError userError) {
                return userError;
            }
        }
        return null;
    }
}
