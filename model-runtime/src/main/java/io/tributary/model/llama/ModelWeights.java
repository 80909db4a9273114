package io.tributary.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.model.ModelException;
import io.tributary.model.safetensors.SafetensorsFile;
import io.tributary.model.safetensors.SafetensorsWriter;
import io.tributary.model.safetensors.Tensor;
import io.tributary.model.safetensors.TensorDtype;
import io.tributary.model.safetensors.TensorEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** Loads a model directory's weights (single or sharded safetensors, F32/F16/BF16) as float32 arrays, and saves them. */
public final class ModelWeights {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private ModelWeights() {}

    public static Map<String, NDArray> load(Path directory, LlamaConfig config, NDManager manager) {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        try {
            load(directory, config, manager, weights::put);
        } catch (RuntimeException e) {
            weights.values().forEach(NDArray::close);
            throw e;
        }
        return weights;
    }

    /**
     * Reads every weight the config implies, one at a time in {@link WeightNames#all} order, handing each float32
     * array to {@code sink} (which owns it from then on) before reading the next: a sink that converts and frees
     * each array never holds the whole float32 model.
     */
    public static void load(Path directory, LlamaConfig config, NDManager manager, BiConsumer<String, NDArray> sink) {
        Map<String, Path> fileOf = locate(directory);
        Map<Path, SafetensorsFile> open = new HashMap<>();
        try {
            for (WeightNames.NamedShape expected : WeightNames.all(config)) {
                Path file = fileOf.get(expected.name());
                if (file == null) {
                    throw new ModelException("model " + directory + " has no tensor '" + expected.name() + "'");
                }
                SafetensorsFile tensors = open.computeIfAbsent(file, SafetensorsFile::open);
                TensorEntry entry = tensors.require(expected.name());
                if (!Arrays.equals(entry.shape(), expected.shape())) {
                    throw new ModelException("tensor '" + expected.name() + "' in " + file + " has shape "
                            + Arrays.toString(entry.shape()) + ", config.json implies " + Arrays.toString(expected.shape()));
                }
                sink.accept(expected.name(), toArray(tensors.float32(expected.name()), expected.shape(), manager));
            }
        } finally {
            open.values().forEach(SafetensorsFile::close);
        }
    }

    /** An engine-owned float32 copy of a little-endian float buffer. */
    public static NDArray toArray(ByteBuffer float32, long[] shape, NDManager manager) {
        try (NDArray view = manager.create(float32, new Shape(shape), DataType.FLOAT32)) {
            // duplicate() clones into memory the engine owns, so the Java buffer may be collected.
            return view.duplicate();
        }
    }

    private static Map<String, Path> locate(Path directory) {
        Path single = directory.resolve(SINGLE_FILE);
        Path index = directory.resolve(INDEX_FILE);
        Map<String, Path> fileOf = new HashMap<>();
        if (Files.isRegularFile(index)) {
            JsonNode map;
            try {
                map = new ObjectMapper().readTree(index.toFile()).get("weight_map");
            } catch (IOException e) {
                throw new ModelException("cannot parse " + index + ": " + e.getMessage());
            }
            if (map == null || !map.isObject()) {
                throw new ModelException(index + " has no weight_map object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String shard = field.getValue().asText();
                if (shard.contains("/") || shard.contains("\\") || shard.startsWith(".")) {
                    throw new ModelException(index + " names shard '" + shard + "' outside the model directory");
                }
                fileOf.put(field.getKey(), directory.resolve(shard));
            }
        } else if (Files.isRegularFile(single)) {
            try (SafetensorsFile file = SafetensorsFile.open(single)) {
                for (String name : file.entries().keySet()) {
                    fileOf.put(name, single);
                }
            }
        } else {
            throw new ModelException("model directory " + directory + " has neither " + SINGLE_FILE + " nor " + INDEX_FILE);
        }
        return fileOf;
    }

    /** Writes {@code weights} to {@code directory/model.safetensors} in {@code dtype}. */
    public static void save(Path directory, Map<String, NDArray> weights, TensorDtype dtype) {
        List<Tensor> tensors = new ArrayList<>();
        for (Map.Entry<String, NDArray> entry : new TreeMap<>(weights).entrySet()) {
            tensors.add(tensor(entry.getKey(), entry.getValue(), dtype));
        }
        SafetensorsWriter.write(directory.resolve(SINGLE_FILE), Map.of("format", "pt"), tensors);
    }

    /** A tensor to write from an engine array (read back through float32, which the engine always gives exactly). */
    public static Tensor tensor(String name, NDArray array, TensorDtype dtype) {
        float[] values = array.toType(DataType.FLOAT32, false).toFloatArray();
        return Tensor.ofFloats(name, dtype, array.getShape().getShape(), values);
    }
}
