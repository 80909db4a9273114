package io.tributary.indexing.influence;

import io.tributary.core.error.InputError;

/** An influence run refused because of its input: an unknown adapter, a missing artifact, a bad option. */
public final class InfluenceException extends InputError {
    public InfluenceException(String message) {
        super(message);
    }

    public InfluenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
