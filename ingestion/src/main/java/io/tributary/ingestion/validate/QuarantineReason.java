package io.tributary.ingestion.validate;

/** Why an input line was quarantined; exactly one per line, checked in the order declared here. */
public enum QuarantineReason {
    /** The Datanet named on the command line does not exist; every line of the batch gets this reason. */
    UNKNOWN_DATANET("unknown_datanet"),
    /** The line's bytes are not valid UTF-8, or its strings hold unpaired surrogates. */
    INVALID_UTF8("invalid_utf8"),
    /** Not one JSON object, or an optional field of the wrong type or form (source, submitted_at). */
    MALFORMED_JSON("malformed_json"),
    /** contributor, text, license or signature absent, null or not a string. */
    MISSING_FIELD("missing_field"),
    BAD_ADDRESS("bad_address"),
    EMPTY_TEXT("empty_text"),
    TEXT_TOO_LARGE("text_too_large"),
    BAD_LICENSE("bad_license"),
    /** Not 65 bytes of hex, or it does not recover to the contributor's address. */
    BAD_SIGNATURE("bad_signature");

    private final String code;

    QuarantineReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
