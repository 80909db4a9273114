package io.tributary.operations.audit;

import io.tributary.core.error.InputError;

/** An audit that cannot start: a malformed account, or no payout for the account in the epoch. */
public final class AuditException extends InputError {
    public AuditException(String message) {
        super(message);
    }
}
