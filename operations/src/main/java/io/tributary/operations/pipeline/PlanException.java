package io.tributary.operations.pipeline;

import io.tributary.core.error.InputError;

/** A pipeline plan that cannot be used: the message names the file and the step at fault. */
public final class PlanException extends InputError {
    public PlanException(String message) {
        super(message);
    }

    public PlanException(String message, Throwable cause) {
        super(message, cause);
    }
}
