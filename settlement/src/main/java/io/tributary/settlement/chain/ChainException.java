package io.tributary.settlement.chain;

import io.tributary.core.cli.UserError;

/** A chain operation that cannot go on (node unreachable past the retry deadline, a revert, a bad deployment). */
public class ChainException extends UserError {
    public ChainException(String message) {
        super(message);
    }

    public ChainException(String message, Throwable cause) {
        super(message, cause);
    }
}
