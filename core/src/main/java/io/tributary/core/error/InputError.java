package io.tributary.core.error;

/**
 * An error that the caller's input caused (a malformed file, a missing table, a refused value) and that its
 * message alone explains. Libraries throw their own subclasses; the command layer reports any of them as
 * one line and exit status 2, without a stack trace.
 */
public abstract class InputError extends RuntimeException {
    protected InputError(String message) {
        super(message);
    }

    protected InputError(String message, Throwable cause) {
        super(message, cause);
    }
}
