package io.tributary.lake.kernel;

import java.util.Objects;

/**
 * Delta's idempotent-writer marker (a {@code txn} action): an application id and a version that only grows. A
 * commit carrying a version the table has already recorded for that application is a replay and is skipped, so
 * a writer that retries after a crash (a stream replaying a checkpoint) commits each piece of work once.
 */
public record TransactionId(String applicationId, long version) {
    public TransactionId {
        Objects.requireNonNull(applicationId, "applicationId");
        if (applicationId.isBlank()) {
            throw new IllegalArgumentException("a transaction's application id must not be blank");
        }
        if (version < 0) {
            throw new IllegalArgumentException("a transaction version is >= 0, got " + version);
        }
    }
}
