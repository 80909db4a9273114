package io.tributary.training.safetensors;

import io.tributary.core.cli.UserError;

/** A safetensors file that breaks the format; the message names the file and, when known, the tensor. */
public final class SafetensorsFormatException extends UserError {
    public SafetensorsFormatException(String message) {
        super(message);
    }

    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
