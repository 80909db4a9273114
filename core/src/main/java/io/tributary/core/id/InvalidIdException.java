package io.tributary.core.id;

import io.tributary.core.cli.UserError;

/** An id given by a user that does not have its required form. */
public class InvalidIdException extends UserError {
    public InvalidIdException(String message) {
        super(message);
    }
}
