package io.tributary.model;

import io.tributary.core.error.InputError;

/**
 * A model, adapter or tokenizer that cannot be used as given: a missing or malformed file, an unsupported
 * architecture, shapes that do not fit. The message names the file or setting at fault.
 */
public class ModelException extends InputError {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
