package io.tributary.model.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.cli.Json;
import io.tributary.model.ModelException;
import io.tributary.model.llama.LlamaConfig;
import io.tributary.model.llama.ModelWeights;
import io.tributary.model.llama.WeightNames;
import io.tributary.model.safetensors.SafetensorsFile;
import io.tributary.model.safetensors.SafetensorsWriter;
import io.tributary.model.safetensors.Tensor;
import io.tributary.model.safetensors.TensorDtype;
import io.tributary.model.safetensors.TensorEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A LoRA adapter over a Llama model: for each targeted projection W [out, in], a pair A [r, in] and
 * B [out, r] so the layer computes x W^T + scale * x A^T B^T. Reads and writes Hugging Face PEFT's layout.
 */
public final class LoraAdapter implements AutoCloseable {
    public static final String CONFIG_FILE = "adapter_config.json";
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";
    private static final String PREFIX = "base_model.model.";
    private static final Pattern TENSOR_NAME = Pattern.compile(
            "base_model\\.model\\.(model\\.layers\\.(\\d+)\\.(?:self_attn|mlp)\\.(\\w+))\\.lora_([AB])(?:\\.default)?\\.weight");

    private final LoraSettings settings;
    private final String baseModel;
    private final Map<String, LoraPair> pairs;

    /** The A and B matrices of one projection, and the scale its rank gives. */
    public record LoraPair(NDArray a, NDArray b, double scale) {}

    private LoraAdapter(LoraSettings settings, String baseModel, Map<String, LoraPair> pairs) {
        this.settings = settings;
        this.baseModel = baseModel;
        this.pairs = pairs;
    }

    /**
     * A new adapter as PEFT initializes one: A uniform in +-1/sqrt(in) (Kaiming-uniform with a = sqrt 5),
     * B zero, so the adapted model starts equal to the base model.
     */
    public static LoraAdapter fresh(LlamaConfig config, LoraSettings settings, String baseModel, long seed, NDManager manager) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, LoraPair> pairs = new TreeMap<>();
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            for (String module : settings.targetModules()) {
                long[] shape = WeightNames.projectionShape(config, module);
                int in = (int) shape[1];
                int out = (int) shape[0];
                float bound = (float) (1.0 / Math.sqrt(in));
                float[] a = new float[settings.rank() * in];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
                }
                NDArray aArray = manager.create(a, new ai.djl.ndarray.types.Shape(settings.rank(), in));
                NDArray bArray = manager.zeros(new ai.djl.ndarray.types.Shape(out, settings.rank()));
                pairs.put(WeightNames.projection(layer, module), new LoraPair(aArray, bArray, settings.scale(settings.rank())));
            }
        }
        return new LoraAdapter(settings, baseModel, pairs);
    }

    /** Loads a PEFT adapter directory (ours or one PEFT wrote) for a model of {@code config}. */
    public static LoraAdapter load(Path directory, LlamaConfig config, NDManager manager) {
        Path configFile = directory.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(configFile)) {
            throw new ModelException("not an adapter directory: " + directory + " has no " + CONFIG_FILE);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(configFile.toFile());
        } catch (IOException e) {
            throw new ModelException("cannot parse " + configFile + ": " + e.getMessage());
        }
        if (!"LORA".equals(root.path("peft_type").asText())) {
            throw new ModelException(configFile + ": peft_type is '" + root.path("peft_type").asText() + "', expected LORA");
        }
        if (root.path("use_dora").asBoolean(false)) {
            throw new ModelException(configFile + ": DoRA adapters are not supported");
        }
        if (root.path("fan_in_fan_out").asBoolean(false)) {
            throw new ModelException(configFile + ": fan_in_fan_out adapters (GPT-2 style Conv1D) are not supported");
        }
        JsonNode alphaPattern = root.get("alpha_pattern");
        if (alphaPattern != null && alphaPattern.isObject() && alphaPattern.size() > 0) {
            throw new ModelException(configFile + ": alpha_pattern is not supported");
        }
        List<String> targets = new ArrayList<>();
        JsonNode targetNode = root.path("target_modules");
        if (targetNode.isArray()) {
            targetNode.forEach(node -> targets.add(node.asText()));
        }
        Path weightsFile = directory.resolve(WEIGHTS_FILE);
        Map<String, float[]> aValues = new TreeMap<>();
        Map<String, long[]> aShapes = new TreeMap<>();
        Map<String, LoraPair> pairs = new TreeMap<>();
        int rank = root.path("r").asInt(8);
        double alpha = root.path("lora_alpha").asDouble(rank);
        boolean rsLora = root.path("use_rslora").asBoolean(false);
        Map<String, TensorEntry> bEntries = new TreeMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(weightsFile)) {
            for (TensorEntry entry : file.entries().values()) {
                Matcher matcher = TENSOR_NAME.matcher(entry.name());
                if (!matcher.matches()) {
                    throw new ModelException("adapter tensor '" + entry.name() + "' in " + weightsFile
                            + " is not a LoRA A/B matrix of a Llama projection");
                }
                String module = matcher.group(1);
                int layer = Integer.parseInt(matcher.group(2));
                String projection = matcher.group(3);
                if (layer >= config.numHiddenLayers() || !WeightNames.isProjection(projection)) {
                    throw new ModelException("adapter tensor '" + entry.name() + "' in " + weightsFile + " targets no layer of this model");
                }
                if (targetNode.isTextual() && !targets.contains(projection)) {
                    targets.add(projection);
                }
                if (matcher.group(4).equals("A")) {
                    aShapes.put(module, entry.shape());
                    aValues.put(module, file.floats(entry.name()));
                } else {
                    bEntries.put(module, entry);
                }
            }
            for (Map.Entry<String, long[]> a : aShapes.entrySet()) {
                String module = a.getKey();
                TensorEntry b = bEntries.remove(module);
                String projection = module.substring(module.lastIndexOf('.') + 1);
                long[] weight = WeightNames.projectionShape(config, projection);
                long moduleRank = a.getValue()[0];
                if (b == null || a.getValue().length != 2 || b.shape().length != 2
                        || a.getValue()[1] != weight[1] || b.shape()[0] != weight[0] || b.shape()[1] != moduleRank) {
                    throw new ModelException("adapter " + weightsFile + ": LoRA pair of " + module + " has A "
                            + Arrays.toString(a.getValue()) + " and B " + (b == null ? "missing" : Arrays.toString(b.shape()))
                            + "; the model's " + projection + " is " + Arrays.toString(weight) + " ([out, in])");
                }
                NDArray aArray = manager.create(aValues.get(module), new ai.djl.ndarray.types.Shape(a.getValue()));
                NDArray bArray = manager.create(file.floats(b.name()), new ai.djl.ndarray.types.Shape(b.shape()));
                double scale = rsLora ? alpha / Math.sqrt(moduleRank) : alpha / moduleRank;
                pairs.put(module, new LoraPair(aArray, bArray, scale));
            }
            if (!bEntries.isEmpty()) {
                throw new ModelException("adapter " + weightsFile + " has lora_B without lora_A for " + bEntries.keySet());
            }
        }
        if (pairs.isEmpty()) {
            throw new ModelException("adapter " + weightsFile + " holds no LoRA matrices");
        }
        LoraSettings settings = new LoraSettings(rank, alpha, root.path("lora_dropout").asDouble(0),
                targets.isEmpty() ? List.of("q_proj") : targets, rsLora);
        return new LoraAdapter(settings, root.path("base_model_name_or_path").asText(""), pairs);
    }

    public LoraSettings settings() {
        return settings;
    }

    public String baseModel() {
        return baseModel;
    }

    /** The pair for a module path such as {@code model.layers.0.self_attn.q_proj}, or null. */
    public LoraPair pair(String module) {
        return pairs.get(module);
    }

    /** Every pair by module path, in name order. */
    public Map<String, LoraPair> pairs() {
        return pairs;
    }

    /** Trainable arrays by their PEFT tensor name, in name order. */
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> out = new TreeMap<>();
        pairs.forEach((module, pair) -> {
            out.put(PREFIX + module + ".lora_A.weight", pair.a());
            out.put(PREFIX + module + ".lora_B.weight", pair.b());
        });
        return out;
    }

    /** Writes {@code adapter_config.json} and {@code adapter_model.safetensors} in PEFT's layout. */
    public void save(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve(CONFIG_FILE), Json.write(peftConfig()) + "\n");
        } catch (IOException e) {
            throw new ModelException("cannot write " + directory.resolve(CONFIG_FILE) + ": " + e.getMessage());
        }
        List<Tensor> tensors = new ArrayList<>();
        parameters().forEach((name, array) -> tensors.add(ModelWeights.tensor(name, array, TensorDtype.F32)));
        SafetensorsWriter.write(directory.resolve(WEIGHTS_FILE), Map.of("format", "pt"), tensors);
    }

    private ObjectNode peftConfig() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.putObject("alpha_pattern");
        root.putNull("auto_mapping");
        root.put("base_model_name_or_path", baseModel);
        root.put("bias", "none");
        root.put("fan_in_fan_out", false);
        root.put("inference_mode", true);
        root.put("init_lora_weights", true);
        root.putNull("layers_pattern");
        root.putNull("layers_to_transform");
        root.put("lora_alpha", settings.alpha());
        root.put("lora_dropout", settings.dropout());
        root.putNull("modules_to_save");
        root.put("peft_type", "LORA");
        root.put("r", settings.rank());
        root.putObject("rank_pattern");
        root.putNull("revision");
        ArrayNode targets = root.putArray("target_modules");
        settings.targetModules().stream().sorted().forEach(targets::add);
        root.put("task_type", "CAUSAL_LM");
        root.put("use_dora", false);
        root.put("use_rslora", settings.rsLora());
        return root;
    }

    @Override
    public void close() {
        pairs.values().forEach(pair -> {
            pair.a().close();
            pair.b().close();
        });
    }

}
