package io.tributary.core.inference;

/** Why a line of the inference log was refused, with a detail that names the field or the problem. */
public record InferenceRejection(Reason reason, String detail) {

    /** Reason codes as stored in the {@code rejected_inferences} table. */
    public enum Reason {
        /** The bytes are not valid UTF-8. */
        NOT_UTF8("not_utf8"),
        /** Not a single JSON object. */
        UNPARSABLE_JSON("unparsable_json"),
        /** A required field is absent or null. */
        MISSING_FIELD("missing_field"),
        /** A field has the wrong type or format, or the fields contradict each other. */
        BAD_FIELD("bad_field"),
        /** {@code fee_wei} is not a non-negative integer in decimal. */
        BAD_FEE("bad_fee"),
        /** {@code payer} is not a 0x address (or fails its EIP-55 checksum). */
        BAD_ADDRESS("bad_address"),
        /** The record is well formed but its adapter is not registered (decided by the reader, which knows the table). */
        UNKNOWN_ADAPTER("unknown_adapter");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    @Override
    public String toString() {
        return reason.code() + ": " + detail;
    }
}
