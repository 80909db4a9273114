package io.tributary.ingestion.validate;

import java.io.Serializable;
import java.time.Instant;

/** What validation made of one input line: an accepted contribution, or a rejection with its reason. */
public sealed interface LineVerdict extends Serializable {

    /** A line that passed every check; the text is kept exactly as submitted. */
    record Accepted(
            String contributionId,
            String contributor,
            String signature,
            String license,
            String source,
            Instant submittedAt,
            String text,
            int textBytes) implements LineVerdict {}

    record Rejected(QuarantineReason reason, String detail) implements LineVerdict {}
}
