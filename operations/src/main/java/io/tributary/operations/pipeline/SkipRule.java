package io.tributary.operations.pipeline;

/**
 * When a step's item has nothing to do, decided from the lake before the command starts, the same way for every
 * runner: {@code input-missing} (the path after the command's {@code --input} does not exist), {@code adapter-current} (the Datanet
 * has no contribution newer than its latest adapter's pinned version), {@code influence-current} (the adapter already has a
 * run in the {@code influence} table), or {@code never}. Apart from these, a step named in the profile's
 * {@code tributary.pipeline.disabled-steps} is skipped for every item (the cluster profile disables {@code attribute}:
 * there the stream runs continuously as a Flink job), and a per-Datanet step whose rule is not {@code input-missing} skips
 * a Datanet that has no contributions yet (nothing to dedup, index or train).
 */
public enum SkipRule {
    NEVER("never"),
    INPUT_MISSING("input-missing"),
    ADAPTER_CURRENT("adapter-current"),
    INFLUENCE_CURRENT("influence-current");

    private final String word;

    SkipRule(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    static SkipRule of(String word, String step) {
        for (SkipRule value : values()) {
            if (value.word.equals(word)) {
                return value;
            }
        }
        throw new PlanException("step '" + step + "': skip_when '" + word + "' is not one of never, input-missing, adapter-current, influence-current");
    }
}
