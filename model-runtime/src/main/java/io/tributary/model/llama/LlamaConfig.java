package io.tributary.model.llama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.cli.Json;
import io.tributary.model.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The architecture of a Llama-family decoder, as the fields of a Hugging Face {@code config.json}
 * ({@code LlamaForCausalLM}) name it. {@code tokenizer} is "bytes" for the project's byte tokenizer,
 * otherwise empty (the directory's {@code tokenizer.json} is used).
 */
public record LlamaConfig(
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        double rmsNormEps,
        double ropeTheta,
        int vocabSize,
        int maxPositionEmbeddings,
        boolean tieWordEmbeddings,
        int bosTokenId,
        int eosTokenId,
        String tokenizer) {

    public static final String CONFIG_FILE = "config.json";
    public static final String BYTES_TOKENIZER = "bytes";

    public LlamaConfig {
        if (numAttentionHeads <= 0 || numKeyValueHeads <= 0 || numAttentionHeads % numKeyValueHeads != 0) {
            throw new ModelException("num_attention_heads (" + numAttentionHeads + ") must be a positive multiple of num_key_value_heads ("
                    + numKeyValueHeads + ")");
        }
        if (headDim <= 0 || headDim % 2 != 0) {
            throw new ModelException("head_dim " + headDim + " must be positive and even for rotary embeddings");
        }
    }

    public int groupSize() {
        return numAttentionHeads / numKeyValueHeads;
    }

    public boolean usesBytesTokenizer() {
        return BYTES_TOKENIZER.equals(tokenizer);
    }

    public static LlamaConfig read(Path directory) {
        Path file = directory.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            throw new ModelException("not a model directory: " + directory + " has no " + CONFIG_FILE);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelException("cannot parse " + file + ": " + e.getMessage());
        }
        String modelType = root.path("model_type").asText("llama");
        if (!modelType.equals("llama") && !modelType.equals("mistral") && !modelType.isEmpty()) {
            throw new ModelException(file + ": model_type '" + modelType + "' is not a Llama-family decoder");
        }
        if (root.path("attention_bias").asBoolean(false) || root.path("mlp_bias").asBoolean(false)) {
            throw new ModelException(file + ": attention_bias/mlp_bias are not supported (Llama models have none)");
        }
        JsonNode scaling = root.get("rope_scaling");
        if (scaling != null && !scaling.isNull()) {
            throw new ModelException(file + ": rope_scaling " + scaling + " is not supported yet; only plain rotary embeddings");
        }
        int hidden = required(root, "hidden_size", file);
        int heads = required(root, "num_attention_heads", file);
        return new LlamaConfig(
                hidden,
                required(root, "intermediate_size", file),
                required(root, "num_hidden_layers", file),
                heads,
                root.path("num_key_value_heads").asInt(heads),
                root.hasNonNull("head_dim") ? root.get("head_dim").asInt() : hidden / heads,
                root.path("rms_norm_eps").asDouble(1e-6),
                root.path("rope_theta").asDouble(10000.0),
                required(root, "vocab_size", file),
                root.path("max_position_embeddings").asInt(2048),
                root.path("tie_word_embeddings").asBoolean(false),
                root.path("bos_token_id").asInt(1),
                firstInt(root.get("eos_token_id"), 2),
                root.path("tributary_tokenizer").asText(""));
    }

    private static int firstInt(JsonNode node, int fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        return node.isArray() ? node.get(0).asInt() : node.asInt();
    }

    private static int required(JsonNode root, String key, Path file) {
        JsonNode node = root.get(key);
        if (node == null || !node.canConvertToInt()) {
            throw new ModelException(file + ": missing integer field '" + key + "'");
        }
        return node.asInt();
    }

    public void write(Path directory) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.putArray("architectures").add("LlamaForCausalLM");
        root.put("model_type", "llama");
        root.put("hidden_size", hiddenSize);
        root.put("intermediate_size", intermediateSize);
        root.put("num_hidden_layers", numHiddenLayers);
        root.put("num_attention_heads", numAttentionHeads);
        root.put("num_key_value_heads", numKeyValueHeads);
        root.put("head_dim", headDim);
        root.put("hidden_act", "silu");
        root.put("rms_norm_eps", rmsNormEps);
        root.put("rope_theta", ropeTheta);
        root.putNull("rope_scaling");
        root.put("attention_bias", false);
        root.put("mlp_bias", false);
        root.put("vocab_size", vocabSize);
        root.put("max_position_embeddings", maxPositionEmbeddings);
        root.put("tie_word_embeddings", tieWordEmbeddings);
        root.put("bos_token_id", bosTokenId);
        root.put("eos_token_id", eosTokenId);
        root.put("torch_dtype", "float32");
        if (!tokenizer.isEmpty()) {
            root.put("tributary_tokenizer", tokenizer);
        }
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve(CONFIG_FILE), Json.write(root) + "\n");
        } catch (IOException e) {
            throw new ModelException("cannot write " + directory.resolve(CONFIG_FILE) + ": " + e.getMessage());
        }
    }
}
