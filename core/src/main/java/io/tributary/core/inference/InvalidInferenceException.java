package io.tributary.core.inference;

import io.tributary.core.error.InputError;

/** An inference record that breaks the log's format; carries the rejection the stream would record. */
public final class InvalidInferenceException extends InputError {
    private final InferenceRejection rejection;

    public InvalidInferenceException(InferenceRejection rejection) {
        super("invalid inference record: " + rejection);
        this.rejection = rejection;
    }

    public InferenceRejection rejection() {
        return rejection;
    }
}
