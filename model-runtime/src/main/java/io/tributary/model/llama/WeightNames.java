package io.tributary.model.llama;

import java.util.ArrayList;
import java.util.List;

/** Hugging Face's tensor names of a Llama checkpoint, and the module paths LoRA targets. */
public final class WeightNames {
    public static final String EMBED = "model.embed_tokens.weight";
    public static final String FINAL_NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";
    public static final List<String> ATTENTION_MODULES = List.of("q_proj", "k_proj", "v_proj", "o_proj");
    public static final List<String> MLP_MODULES = List.of("gate_proj", "up_proj", "down_proj");

    private WeightNames() {}

    /** The module path of projection {@code module} (q_proj, ..., down_proj) in layer {@code layer}. */
    public static String projection(int layer, String module) {
        String block = ATTENTION_MODULES.contains(module) ? "self_attn" : "mlp";
        return "model.layers." + layer + "." + block + "." + module;
    }

    public static String inputNorm(int layer) {
        return "model.layers." + layer + ".input_layernorm.weight";
    }

    public static String postAttentionNorm(int layer) {
        return "model.layers." + layer + ".post_attention_layernorm.weight";
    }

    public static boolean isProjection(String module) {
        return ATTENTION_MODULES.contains(module) || MLP_MODULES.contains(module);
    }

    /** [out, in] of a projection's weight. */
    public static long[] projectionShape(LlamaConfig config, String module) {
        long hidden = config.hiddenSize();
        long queries = (long) config.numAttentionHeads() * config.headDim();
        long keys = (long) config.numKeyValueHeads() * config.headDim();
        long inner = config.intermediateSize();
        return switch (module) {
            case "q_proj" -> new long[] {queries, hidden};
            case "k_proj", "v_proj" -> new long[] {keys, hidden};
            case "o_proj" -> new long[] {hidden, queries};
            case "gate_proj", "up_proj" -> new long[] {inner, hidden};
            case "down_proj" -> new long[] {hidden, inner};
            default -> throw new IllegalArgumentException("not a projection: " + module);
        };
    }

    /** Every weight the model needs, with its shape, in a stable order. */
    public static List<NamedShape> all(LlamaConfig config) {
        List<NamedShape> out = new ArrayList<>();
        out.add(new NamedShape(EMBED, new long[] {config.vocabSize(), config.hiddenSize()}));
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            out.add(new NamedShape(inputNorm(layer), new long[] {config.hiddenSize()}));
            for (String module : ATTENTION_MODULES) {
                out.add(new NamedShape(projection(layer, module) + ".weight", projectionShape(config, module)));
            }
            out.add(new NamedShape(postAttentionNorm(layer), new long[] {config.hiddenSize()}));
            for (String module : MLP_MODULES) {
                out.add(new NamedShape(projection(layer, module) + ".weight", projectionShape(config, module)));
            }
        }
        out.add(new NamedShape(FINAL_NORM, new long[] {config.hiddenSize()}));
        if (!config.tieWordEmbeddings()) {
            out.add(new NamedShape(LM_HEAD, new long[] {config.vocabSize(), config.hiddenSize()}));
        }
        return out;
    }

    /** A tensor name with its expected shape. */
    public record NamedShape(String name, long[] shape) {
        public boolean isNorm() {
            return name.endsWith("norm.weight");
        }
    }
}
