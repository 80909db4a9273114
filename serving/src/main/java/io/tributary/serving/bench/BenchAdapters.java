package io.tributary.serving.bench;

import io.tributary.model.lora.AdapterFingerprint;
import io.tributary.core.hash.Hashing;
import io.tributary.lake.kernel.adapters.AdapterRecord;
import io.tributary.lake.kernel.adapters.AdapterRegistry;
import io.tributary.model.llama.LlamaConfig;
import io.tributary.model.llama.WeightNames;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.safetensors.SafetensorsWriter;
import io.tributary.model.safetensors.Tensor;
import io.tributary.model.safetensors.TensorDtype;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random LoRA adapters for benchmarks, written straight to PEFT's layout (no engine involved, so a thousand take
 * seconds) and registered in one commit. Ranks cycle through 8 and 16 on q_proj and v_proj, as trained adapters here do.
 */
final class BenchAdapters {
    private BenchAdapters() {}

    static List<AdapterRecord> create(Path directory, LlamaConfig config, String baseModel, String baseSha, int count,
                                      AdapterRegistry registry) {
        List<AdapterRecord> records = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            int rank = index % 2 == 0 ? 8 : 16;
            Path adapter = directory.resolve(String.format("adapter-%04d", index));
            write(adapter, config, rank, 900 + index);
            String sha = AdapterFingerprint.sha256(adapter);
            String id = Hashing.sha256Hex(String.join("\u0000", "tributary-adapter", sha, baseSha, "bench", "0"));
            records.add(new AdapterRecord(id, baseModel, baseSha, "bench", 0, "contributions", 0, "", "", "{}", "q_proj,v_proj",
                    rank, 2.0 * rank, 0, 0, null, null, 0, adapter.toString(), sha, "", Instant.now().truncatedTo(ChronoUnit.MICROS),
                    String.format("bench-%04d", index)));
        }
        registry.registerAll(records);
        return records;
    }

    private static void write(Path directory, LlamaConfig config, int rank, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Tensor> tensors = new ArrayList<>();
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            for (String module : List.of("q_proj", "v_proj")) {
                long[] shape = WeightNames.projectionShape(config, module);
                String name = "base_model.model." + WeightNames.projection(layer, module);
                tensors.add(Tensor.ofFloats(name + ".lora_A.weight", TensorDtype.F32, new long[] {rank, shape[1]},
                        gaussian(random, rank * (int) shape[1], 1.0 / Math.sqrt(shape[1]))));
                tensors.add(Tensor.ofFloats(name + ".lora_B.weight", TensorDtype.F32, new long[] {shape[0], rank},
                        gaussian(random, (int) shape[0] * rank, 0.02)));
            }
        }
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve(LoraAdapter.CONFIG_FILE), """
                    {"peft_type": "LORA", "r": %d, "lora_alpha": %d, "lora_dropout": 0.0, "target_modules": ["q_proj", "v_proj"],
                     "use_rslora": false, "use_dora": false, "fan_in_fan_out": false, "bias": "none", "task_type": "CAUSAL_LM",
                     "base_model_name_or_path": "bench"}
                    """.formatted(rank, 2 * rank));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SafetensorsWriter.write(directory.resolve(LoraAdapter.WEIGHTS_FILE), Map.of("format", "pt"), tensors);
    }

    private static float[] gaussian(SplittableRandom random, int count, double deviation) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * deviation);
        }
        return values;
    }
}
