package io.tributary.model.llama;

import io.tributary.model.ModelException;
import io.tributary.model.tokenizer.BytesTokenizer;

/** The sizes {@code model init} can create: {@code tiny} pre-trains in minutes on two cores, {@code small} is ~5x wider. */
public enum ModelPreset {
    TINY(128, 352, 4, 4, 2, 512),
    SMALL(256, 704, 6, 8, 4, 1024);

    private final int hidden;
    private final int intermediate;
    private final int layers;
    private final int heads;
    private final int kvHeads;
    private final int maxPositions;

    ModelPreset(int hidden, int intermediate, int layers, int heads, int kvHeads, int maxPositions) {
        this.hidden = hidden;
        this.intermediate = intermediate;
        this.layers = layers;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.maxPositions = maxPositions;
    }

    public static ModelPreset parse(String name) {
        for (ModelPreset preset : values()) {
            if (preset.name().equalsIgnoreCase(name)) {
                return preset;
            }
        }
        throw new ModelException("unknown model preset '" + name + "'; expected tiny or small");
    }

    /** A byte-tokenizer Llama config with tied embeddings and grouped-query attention. */
    public LlamaConfig config() {
        return new LlamaConfig(hidden, intermediate, layers, heads, kvHeads, hidden / heads, 1e-5, 10000.0,
                BytesTokenizer.VOCAB_SIZE, maxPositions, true, BytesTokenizer.BOS, BytesTokenizer.EOS,
                LlamaConfig.BYTES_TOKENIZER);
    }
}
