package io.tributary.lake.kernel;

import io.tributary.core.error.InputError;

/** A lake request that cannot be served as asked: no such table, column or version. The message names the table. */
public final class LakeException extends InputError {
    public LakeException(String message) {
        super(message);
    }

    public LakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
