package io.tributary.core.cli;

/**
 * An error caused by what the user asked for (a bad id, a missing file, an ill-typed configuration key):
 * the launcher prints its message without a stack trace and exits with status 2.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
