package io.tributary.core.cli;

import io.tributary.core.error.InputError;

/**
 * An error caused by what the user asked for (a bad id, a missing file, an ill-typed configuration key):
 * the launcher prints its message without a stack trace and exits with status 2. Commands throw it;
 * libraries throw their own {@link InputError} subclasses, which the launcher treats the same way.
 */
public class UserError extends InputError {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
