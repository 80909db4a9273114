package io.tributary.serving.keys;

import io.tributary.core.error.InputError;

/** The keystore file cannot be read or written, or a request to it is refused; the message names the file. */
public final class KeystoreException extends InputError {
    public KeystoreException(String message) {
        super(message);
    }

    public KeystoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
