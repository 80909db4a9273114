package io.tributary.operations.pipeline;

/**
 * What a step runs once per: the whole lake, every Datanet, the latest adapter of every Datanet, or every attribution
 * epoch that the stream has closed and settlement has not posted yet.
 */
public enum ForEach {
    LAKE("lake", "no lake"),
    DATANET("datanet", "no Datanet in the lake"),
    ADAPTER("adapter", "no Datanet with an adapter in the lake"),
    EPOCH("epoch", "no closed epoch that is not posted yet");

    private final String word;
    private final String none;

    ForEach(String word, String none) {
        this.word = word;
        this.none = none;
    }

    /** Why a step of this kind found nothing to run, for its log line. */
    public String none() {
        return none;
    }

    public String word() {
        return word;
    }

    static ForEach of(String word, String step) {
        for (ForEach value : values()) {
            if (value.word.equals(word)) {
                return value;
            }
        }
        throw new PlanException("step '" + step + "': for_each '" + word + "' is not one of lake, datanet, adapter, epoch");
    }
}
