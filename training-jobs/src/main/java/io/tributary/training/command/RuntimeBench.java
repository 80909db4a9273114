package io.tributary.training.command;

import io.tributary.core.cli.PeakMemory;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.UserError;
import io.tributary.model.batch.BatchedForward;
import io.tributary.model.batch.DeviceAdapter;
import io.tributary.model.batch.Generator;
import io.tributary.model.batch.Sequence;
import io.tributary.model.llama.LlamaConfig;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.llama.ModelDirectory;
import io.tributary.model.llama.ModelPreset;
import io.tributary.model.llama.Quantization;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.lora.LoraSettings;
import io.tributary.model.tokenizer.BytesTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench runtime}: tokens/s of batched decode steps of the multi-adapter engine, at several batch sizes with
 * 0 (bare base), 1 and more distinct adapters in the batch. Every cell of one batch size shares one engine and is
 * timed in interleaved rounds, so machine load falls on all of them alike.
 */
@Command(name = "runtime", mixinStandardHelpOptions = true,
        description = "Tokens/s of batched decode steps with 0, 1 and many distinct LoRA adapters in the batch.")
final class RuntimeBench implements Callable<Integer> {
    /** The MIT licence's permission notice: natural text for the prompts (the model is random, so only lengths matter). */
    private static final String TEXT = "Permission is hereby granted, free of charge, to any person obtaining a copy of this "
            + "software and associated documentation files (the \"Software\"), to deal in the Software without restriction, "
            + "including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or "
            + "sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the "
            + "following conditions: The above copyright notice and this permission notice shall be included in all copies.";

    @Mixin
    GlobalOptions global;
    @Option(names = "--preset", defaultValue = "tiny", description = "Model shape: tiny, small or smollm-135m (default: ${DEFAULT-VALUE}).")
    String preset;
    @Option(names = "--batch-sizes", split = ",", defaultValue = "1,8,32", description = "Sequences per decode step (default: ${DEFAULT-VALUE}).")
    List<Integer> batchSizes;
    @Option(names = "--adapters", split = ",", defaultValue = "0,1,8,32",
            description = "Distinct adapters over the batch's sequences, 0 = bare base (default: ${DEFAULT-VALUE}).")
    List<Integer> adapterCounts;
    @Option(names = "--rank", defaultValue = "8", description = "LoRA rank (default: ${DEFAULT-VALUE}, as training's default).")
    int rank;
    @Option(names = "--targets", split = ",", defaultValue = "q_proj,v_proj",
            description = "LoRA target modules (default: ${DEFAULT-VALUE}, as training's default).")
    List<String> targets;
    @Option(names = "--prompt-tokens", defaultValue = "64", description = "Prompt length of every sequence (default: ${DEFAULT-VALUE}).")
    int promptTokens;
    @Option(names = "--steps", defaultValue = "24", description = "Timed decode steps per cell (default: ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--rounds", defaultValue = "4", description = "Interleaved rounds the steps are split into (default: ${DEFAULT-VALUE}).")
    int rounds;
    @Option(names = "--quantize", defaultValue = "none", description = "Base weights: none or int8 (default: ${DEFAULT-VALUE}).")
    String quantize;

    @Override
    public Integer call() {
        if (steps < rounds || rounds <= 0 || batchSizes.stream().anyMatch(b -> b <= 0) || adapterCounts.stream().anyMatch(a -> a < 0)) {
            throw new UserError("--steps must be at least --rounds (> 0); batch sizes positive; adapter counts >= 0");
        }
        LlamaConfig config = ModelPreset.parse(preset).config();
        Quantization quantization = Quantization.parse(quantize);
        if (promptTokens < 1 || promptTokens + steps + 4 > config.maxPositionEmbeddings()) {
            throw new UserError("--prompt-tokens plus --steps must fit the model's " + config.maxPositionEmbeddings() + " positions");
        }
        EngineThreads.apply(global.config());
        Map<String, Object> json = new LinkedHashMap<>();
        List<Map<String, Object>> cells = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            json.put("preset", preset);
            json.put("device", manager.getDevice().toString());
            json.put("gpus", Engine.getInstance().getGpuCount());
            json.put("engine_threads", ai.djl.pytorch.jni.JniUtils.getNumThreads());
            json.put("quantization", quantization.name().toLowerCase(java.util.Locale.ROOT));
            json.put("rank", rank);
            json.put("targets", targets);
            json.put("prompt_tokens", promptTokens);
            json.put("timed_steps", steps);
            var weights = ModelDirectory.randomWeights(config, 1, manager);
            json.put("parameters", weights.values().stream().mapToLong(NDArray::size).sum());
            try (LlamaModel model = LlamaModel.of(config, weights, manager, quantization)) {
                json.put("base_weight_bytes", model.weightBytes());
                List<DeviceAdapter> adapters = adapters(config, manager);
                json.put("adapter_bytes", adapters.isEmpty() ? 0 : adapters.get(0).deviceBytes());
                try {
                    for (int batch : batchSizes) {
                        cells.addAll(measure(model, adapters, batch));
                    }
                } finally {
                    adapters.forEach(DeviceAdapter::close);
                }
            }
        }
        json.put("results", cells);
        json.put("peak_rss_mib", PeakMemory.residentMiB());
        CommandOutput.of(global).print(json, () -> table(json, cells));
        return 0;
    }

    private List<DeviceAdapter> adapters(LlamaConfig config, NDManager manager) {
        int count = adapterCounts.stream().mapToInt(Integer::intValue).max().orElse(0);
        LoraSettings settings = new LoraSettings(rank, 2.0 * rank, 0, targets, false);
        List<DeviceAdapter> adapters = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < count; i++) {
            try (LoraAdapter host = LoraAdapter.fresh(config, settings, preset, 100 + i, manager)) {
                // A trained adapter has B != 0 (a fresh one would add exact zeros).
                host.pairs().values().forEach(pair -> {
                    float[] b = new float[(int) pair.b().size()];
                    for (int j = 0; j < b.length; j++) {
                        b[j] = (float) (0.02 * random.nextGaussian());
                    }
                    pair.b().set(b);
                });
                adapters.add(DeviceAdapter.of(host, manager));
            }
        }
        return adapters;
    }

    /** One engine for every adapter count at this batch size; their decode steps interleaved round by round. */
    private List<Map<String, Object>> measure(LlamaModel model, List<DeviceAdapter> adapters, int batch) {
        int[] prompt = Generator.promptIds(new BytesTokenizer(), promptText());
        List<Map<String, Object>> out = new ArrayList<>();
        try (BatchedForward engine = new BatchedForward(model)) {
            List<List<Sequence>> groups = new ArrayList<>();
            List<int[][]> next = new ArrayList<>();
            for (int count : adapterCounts) {
                List<Sequence> group = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    group.add(new Sequence(engine, count == 0 ? null : adapters.get(i % count)));
                }
                groups.add(group);
                int[][] tokens = new int[batch][];
                java.util.Arrays.fill(tokens, prompt);
                next.add(tokens);
                // Prefill and two warm-up decode steps, untimed.
                for (int warm = 0; warm < 3; warm++) {
                    decode(engine, group, tokens);
                }
            }
            long[] nanos = new long[groups.size()];
            long[] cpuNanos = new long[groups.size()];
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            int perRound = steps / rounds;
            for (int round = 0; round < rounds; round++) {
                for (int g = 0; g < groups.size(); g++) {
                    int count = round == rounds - 1 ? steps - perRound * (rounds - 1) : perRound;
                    long started = System.nanoTime();
                    long cpuStarted = threads.getCurrentThreadCpuTime();
                    for (int s = 0; s < count; s++) {
                        decode(engine, groups.get(g), next.get(g));
                    }
                    cpuNanos[g] += threads.getCurrentThreadCpuTime() - cpuStarted;
                    nanos[g] += System.nanoTime() - started;
                }
            }
            for (int g = 0; g < groups.size(); g++) {
                double seconds = nanos[g] / 1e9;
                Map<String, Object> cell = new LinkedHashMap<>();
                cell.put("batch", batch);
                cell.put("adapters", adapterCounts.get(g));
                cell.put("distinct_in_step", Math.min(adapterCounts.get(g), batch));
                cell.put("tokens_per_s", Math.round(batch * steps / seconds * 10) / 10.0);
                cell.put("ms_per_step", Math.round(seconds * 1000 / steps * 100) / 100.0);
                cell.put("tokens_per_cpu_s", Math.round(batch * steps / (cpuNanos[g] / 1e9) * 10) / 10.0);
                out.add(cell);
                groups.get(g).forEach(Sequence::close);
            }
            for (int g = 0; g < groups.size(); g++) {
                out.get(g).put("vs_first_column", Math.round((double) nanos[0] / nanos[g] * 1000) / 1000.0);
                out.get(g).put("cpu_vs_first_column", Math.round((double) cpuNanos[0] / cpuNanos[g] * 1000) / 1000.0);
            }
        }
        return out;
    }

    /** One step of a group: each sequence takes its pending tokens; the greedy next token becomes pending. */
    private static void decode(BatchedForward engine, List<Sequence> group, int[][] pending) {
        List<BatchedForward.Feed> feeds = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            feeds.add(new BatchedForward.Feed(group.get(i), pending[i]));
        }
        float[][] logits = engine.step(feeds);
        for (int i = 0; i < group.size(); i++) {
            pending[i] = new int[] {Generator.argmax(logits[i], BytesTokenizer.VOCAB_SIZE)};
        }
    }

    /** About {@code --prompt-tokens} bytes of natural text (one token per byte, after the begin-of-sequence id). */
    private String promptText() {
        StringBuilder text = new StringBuilder();
        while (text.length() < promptTokens) {
            text.append(TEXT).append(' ');
        }
        return text.substring(0, promptTokens - 1);
    }

    private static String table(Map<String, Object> json, List<Map<String, Object>> cells) {
        StringBuilder text = new StringBuilder();
        json.forEach((key, value) -> {
            if (!key.equals("results")) {
                text.append(String.format("%-20s %s%n", key, value));
            }
        });
        text.append(String.format("%6s %9s %9s %11s %9s %8s %15s %8s%n", "batch", "adapters", "distinct", "tokens/s",
                "ms/step", "vs col 1", "tokens/CPU s", "vs col 1"));
        for (Map<String, Object> cell : cells) {
            text.append(String.format("%6s %9s %9s %11s %9s %8s %15s %8s%n", cell.get("batch"), cell.get("adapters"),
                    cell.get("distinct_in_step"), cell.get("tokens_per_s"), cell.get("ms_per_step"), cell.get("vs_first_column"),
                    cell.get("tokens_per_cpu_s"), cell.get("cpu_vs_first_column")));
        }
        return text.toString().stripTrailing();
    }
}
