package io.tributary.model.safetensors;

import io.tributary.model.ModelException;

/** A safetensors file that breaks the format; the message names the file and, when known, the tensor. */
public final class SafetensorsFormatException extends ModelException {
    public SafetensorsFormatException(String message) {
        super(message);
    }

    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
