package io.tributary.operations.pipeline;

/**
 * What a step runs once per: the whole lake, every Datanet, the latest adapter of every Datanet, or every attribution
 * epoch that the stream has closed and settlement has not posted yet.
 */
public enum ForEach {
    LAKE("lake"),
    DATANET("datanet"),
    ADAPTER("adapter"),
    EPOCH("epoch");

    private final String word;

    ForEach(String word) {
        this.word = word;
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
