package io.tributary.operations.pipeline;

import java.util.Map;

/** One run of a step: the placeholder values of its item ({@code datanet}, {@code adapter}, ...), and its label. */
public record StepItem(String label, Map<String, String> bindings) {
    public StepItem {
        bindings = Map.copyOf(bindings);
    }

    static StepItem lake() {
        return new StepItem("lake", Map.of());
    }
}
