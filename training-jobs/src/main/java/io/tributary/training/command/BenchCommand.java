package io.tributary.training.command;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.PeakMemory;
import io.tributary.core.cli.Progress;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.lora.LoraSettings;
import io.tributary.model.batch.Generator;
import io.tributary.model.llama.LlamaConfig;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.llama.ModelDirectory;
import io.tributary.model.llama.ModelPreset;
import io.tributary.model.tokenizer.BytesTokenizer;
import io.tributary.training.train.PackedDataset;
import io.tributary.training.train.Trainer;
import io.tributary.training.train.TrainingExample;
import io.tributary.training.train.TrainingOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench model}: forward, generation and training throughput of a preset, and peak memory. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure model runtime throughput.",
        subcommands = {BenchCommand.Model.class, RuntimeBench.class, QuantizeBench.class})
public final class BenchCommand {

    /** Figures for one preset on the device DJL picks. */
    @Command(name = "model", mixinStandardHelpOptions = true,
            description = "Forward, generation, LoRA and full training tokens/s of a random preset model, and peak memory.")
    static final class Model implements Callable<Integer> {
        @Mixin
        GlobalOptions global;
        @Option(names = "--preset", defaultValue = "tiny", description = "tiny, small or smollm-135m (default: ${DEFAULT-VALUE}).")
        String preset;
        @Option(names = "--batch-size", defaultValue = "8", description = "Sequences per batch (default: ${DEFAULT-VALUE}).")
        int batchSize;
        @Option(names = "--sequence-length", defaultValue = "128", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
        int sequenceLength;
        @Option(names = "--steps", defaultValue = "10", description = "Measured iterations of each kind (default: ${DEFAULT-VALUE}).")
        int steps;

        @Override
        public Integer call() {
            LlamaConfig config = ModelPreset.parse(preset).config();
            EngineThreads.apply(global.config());
            Map<String, Object> json = new LinkedHashMap<>();
            try (NDManager manager = NDManager.newBaseManager()) {
                json.put("preset", preset);
                json.put("device", manager.getDevice().toString());
                json.put("gpus", Engine.getInstance().getGpuCount());
                json.put("cpu_cores", Runtime.getRuntime().availableProcessors());
                json.put("engine_threads", ai.djl.pytorch.jni.JniUtils.getNumThreads());
                json.put("batch_size", batchSize);
                json.put("sequence_length", sequenceLength);
                var weights = ModelDirectory.randomWeights(config, 1, manager);
                json.put("parameters", weights.values().stream().mapToLong(NDArray::size).sum());
                try (LlamaModel model = new LlamaModel(config, weights, manager)) {
                    json.put("forward_tokens_per_s", round(forward(model, manager)));
                    json.put("generate_tokens_per_s", round(generate(model)));
                    json.put("lora_train_tokens_per_s", round(train(model, true)));
                    json.put("full_train_tokens_per_s", round(train(model, false)));
                }
            }
            json.put("peak_rss_mib", PeakMemory.residentMiB());
            json.put("peak_heap_mib", PeakMemory.heapMiB());
            CommandOutput.of(global).print(json, () -> {
                StringBuilder text = new StringBuilder();
                json.forEach((key, value) -> text.append(String.format("%-26s %s%n", key, value)));
                return text.toString().stripTrailing();
            });
            return 0;
        }

        private double forward(LlamaModel model, NDManager manager) {
            long[] ids = new long[batchSize * sequenceLength];
            SplittableRandom random = new SplittableRandom(3);
            for (int i = 0; i < ids.length; i++) {
                ids[i] = random.nextInt(256);
            }
            try (Progress progress = Progress.start("forward", steps)) {
                long started = 0;
                for (int i = -2; i < steps; i++) {
                    if (i == 0) {
                        started = System.nanoTime();
                    }
                    try (NDScope scope = new NDScope()) {
                        model.forward(manager.create(ids, new Shape(batchSize, sequenceLength))).toFloatArray();
                    }
                    progress.advance(1);
                }
                return (double) steps * ids.length / ((System.nanoTime() - started) / 1e9);
            }
        }

        private double generate(LlamaModel model) {
            int tokens = Math.min(64, model.config().maxPositionEmbeddings() - 8);
            Generator.generate(model, new BytesTokenizer(), "warm up", 4, 0, 0);
            long started = System.nanoTime();
            Generator.Completion completion = Generator.generate(model, new BytesTokenizer(), "The licensee", tokens, 1.0, 0);
            return completion.tokens().size() / ((System.nanoTime() - started) / 1e9);
        }

        private double train(LlamaModel model, boolean lora) {
            List<TrainingExample> examples = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(5);
            for (int i = 0; i < 64; i++) {
                StringBuilder text = new StringBuilder();
                for (int c = 0; c < 400; c++) {
                    text.append((char) ('a' + random.nextInt(26)));
                }
                examples.add(new TrainingExample(String.format("%064x", i), text.toString()));
            }
            PackedDataset data = PackedDataset.build(examples, new BytesTokenizer(), sequenceLength, 0, 1);
            TrainingOptions options = new TrainingOptions(steps + 1, batchSize, 1, sequenceLength, 1e-3, 0.1, 1, 0, 0.9,
                    0.999, 1e-8, 1.0, 0, 0, 1);
            if (!lora) {
                return new Trainer(model, model.weights(), options, data).run(null, false).tokensPerSecond();
            }
            LoraSettings settings = new LoraSettings(8, 16, 0.05, List.of("q_proj", "v_proj"), false);
            try (LoraAdapter adapter = LoraAdapter.fresh(model.config(), settings, preset, 1, model.manager())) {
                model.useAdapter(adapter);
                model.setAdapterDropout(settings.dropout());
                double rate = new Trainer(model, adapter.parameters(), options, data).run(null, false).tokensPerSecond();
                model.useAdapter(null);
                model.setAdapterDropout(0);
                return rate;
            }
        }

        private static double round(double value) {
            return Math.round(value * 10) / 10.0;
        }
    }
}
