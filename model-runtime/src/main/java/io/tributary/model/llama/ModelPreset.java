package io.tributary.model.llama;

import io.tributary.model.ModelException;
import io.tributary.model.tokenizer.BytesTokenizer;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The sizes {@code model init} can create, all with the bytes tokenizer: {@code tiny} pre-trains in minutes on two
 * cores, {@code small} is ~5x wider, {@code smollm-135m} has SmolLM-135M's shape (random weights, nothing downloaded).
 */
public enum ModelPreset {
    TINY("tiny", 128, 352, 4, 4, 2, 512, BytesTokenizer.VOCAB_SIZE),
    SMALL("small", 256, 704, 6, 8, 4, 1024, BytesTokenizer.VOCAB_SIZE),
    /**
     * HuggingFaceTB/SmolLM-135M's config.json: hidden 576, intermediate 1536, 30 layers, 9 heads, 3 key/value heads
     * (head_dim 64), vocab 49152, tied embeddings, rope_theta 10000, max positions 2048, rms_norm_eps 1e-5. Its
     * tokenizer is not shipped here: the bytes tokenizer uses ids 0..258 and the other embedding rows are padding
     * it never produces (generation never picks them: see {@code Generator.argmax(logits, limit)}).
     */
    SMOLLM_135M("smollm-135m", 576, 1536, 30, 9, 3, 2048, 49152);

    private final String label;
    private final int hidden;
    private final int intermediate;
    private final int layers;
    private final int heads;
    private final int kvHeads;
    private final int maxPositions;
    private final int vocab;

    ModelPreset(String label, int hidden, int intermediate, int layers, int heads, int kvHeads, int maxPositions, int vocab) {
        this.label = label;
        this.hidden = hidden;
        this.intermediate = intermediate;
        this.layers = layers;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.maxPositions = maxPositions;
        this.vocab = vocab;
    }

    public static ModelPreset parse(String name) {
        for (ModelPreset preset : values()) {
            if (preset.label.equalsIgnoreCase(name) || preset.name().equalsIgnoreCase(name)) {
                return preset;
            }
        }
        throw new ModelException("unknown model preset '" + name + "'; expected one of " + names());
    }

    /** The names {@link #parse} accepts, comma-separated, for help texts and errors. */
    public static String names() {
        return Arrays.stream(values()).map(ModelPreset::label).collect(Collectors.joining(", "));
    }

    public String label() {
        return label;
    }

    /** A byte-tokenizer Llama config with tied embeddings and grouped-query attention. */
    public LlamaConfig config() {
        return new LlamaConfig(hidden, intermediate, layers, heads, kvHeads, hidden / heads, 1e-5, 10000.0,
                vocab, maxPositions, true, BytesTokenizer.BOS, BytesTokenizer.EOS, LlamaConfig.BYTES_TOKENIZER);
    }

    @Override
    public String toString() {
        return label;
    }
}
