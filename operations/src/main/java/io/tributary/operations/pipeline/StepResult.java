package io.tributary.operations.pipeline;

/** How one item of one step ended: {@code ok}, {@code skipped} (with the reason) or {@code failed}. */
public record StepResult(String step, String item, Outcome outcome, int attempts, double seconds, String detail) {

    /** The closed set of outcomes. */
    public enum Outcome {
        OK, SKIPPED, FAILED;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
