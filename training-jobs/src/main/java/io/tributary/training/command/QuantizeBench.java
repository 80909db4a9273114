package io.tributary.training.command;

import io.tributary.core.cli.PeakMemory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.Json;
import io.tributary.core.cli.UserError;
import io.tributary.core.hash.Hashing;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.llama.Quantization;
import io.tributary.model.tokenizer.TextTokenizer;
import io.tributary.training.train.LoraTrainingJob;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench quantize}: a model's base weights as float32 and as int8 (weight-only, per output channel) side by
 * side: bytes held and perplexity on held-out real text (SPDX licence texts the model was not trained on, by the
 * contribution ids its pre-training recorded). Trains nothing.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Memory and held-out perplexity of the int8 weight-only base against float32 (trains nothing).")
final class QuantizeBench implements Callable<Integer> {
    @Mixin
    GlobalOptions global;
    @Option(names = "--model", required = true, description = "Model directory pre-trained by `model pretrain` (its "
            + LoraTrainingJob.CONTRIBUTIONS_FILE + " names the texts it trained on).")
    Path model;
    @Option(names = "--spdx", paramLabel = "FILE",
            description = "spdx-full.json of the npm package spdx-license-list (default: under TRIBUTARY_TOOLS).")
    Path spdx;
    @Option(names = "--texts", defaultValue = "eval", description = "Which SPDX texts to score: eval (the pre-training's "
            + "held-out split) or untrained (every text not trained on, near-duplicates of trained ones included) "
            + "(default: ${DEFAULT-VALUE}).")
    String textChoice;
    @Option(names = "--window", defaultValue = "256", description = "Tokens per scored window (default: ${DEFAULT-VALUE}).")
    int window;
    @Option(names = "--max-tokens", defaultValue = "60000", description = "Most held-out tokens to score (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Override
    public Integer call() {
        EngineThreads.apply(global.config());
        if (!textChoice.equals("eval") && !textChoice.equals("untrained")) {
            throw new UserError("--texts must be eval or untrained, got '" + textChoice + "'");
        }
        Map<String, Set<String>> split = split();
        Set<String> trained = split.get("train");
        Map<String, String> texts = heldOutTexts(text -> textChoice.equals("eval") ? split.get("eval").contains(text)
                : !trained.contains(text));
        Map<String, Object> json = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager();
             LlamaModel full = LlamaModel.load(model, manager, Quantization.FLOAT32);
             LlamaModel int8 = LlamaModel.load(model, manager, Quantization.INT8);
             TextTokenizer tokenizer = TextTokenizer.forModel(model, full.config())) {
            if (window < 2 || window > full.config().maxPositionEmbeddings()) {
                throw new UserError("--window must be 2.." + full.config().maxPositionEmbeddings());
            }
            List<int[]> windows = windows(texts, tokenizer);
            Score floatScore = new Score();
            Score int8Score = new Score();
            // Interleaved window by window, so machine load falls on both alike.
            for (int[] tokens : windows) {
                floatScore.add(full, tokens);
                int8Score.add(int8, tokens);
            }
            json.put("model", model.toString());
            json.put("texts", textChoice);
            json.put("held_out_texts", texts.size());
            json.put("trained_texts", trained.size());
            json.put("windows", windows.size());
            json.put("scored_tokens", floatScore.tokens);
            json.put("perplexity_float32", round(floatScore.perplexity(), 4));
            json.put("perplexity_int8", round(int8Score.perplexity(), 4));
            json.put("perplexity_change_percent", round(100 * (int8Score.perplexity() / floatScore.perplexity() - 1), 3));
            json.put("weight_bytes_float32", full.weightBytes());
            json.put("weight_bytes_int8", int8.weightBytes());
            json.put("weight_ratio", round((double) int8.weightBytes() / full.weightBytes(), 4));
            json.put("int8_matrices", int8.quantizedWeights().size());
            json.put("float32_bytes_in_int8_model", int8.floatWeightBytes());
            json.put("score_tokens_per_cpu_s_float32", round(floatScore.tokens / (floatScore.cpuNanos / 1e9), 1));
            json.put("score_tokens_per_cpu_s_int8", round(int8Score.tokens / (int8Score.cpuNanos / 1e9), 1));
        }
        json.put("peak_rss_mib", PeakMemory.residentMiB());
        CommandOutput.of(global).print(json, () -> {
            StringBuilder text = new StringBuilder();
            json.forEach((key, value) -> text.append(String.format("%-32s %s%n", key, value)));
            return text.toString().stripTrailing();
        });
        return 0;
    }

    /** The contribution ids of the pre-training's {@code train} and {@code eval} sets. */
    private Map<String, Set<String>> split() {
        Path file = model.resolve(LoraTrainingJob.CONTRIBUTIONS_FILE);
        if (!Files.isRegularFile(file)) {
            throw new UserError(model + " has no " + LoraTrainingJob.CONTRIBUTIONS_FILE + ", so which texts are held out is "
                    + "unknown; pre-train it with `model pretrain` (which records them)");
        }
        try {
            JsonNode root = Json.MAPPER.readTree(file.toFile());
            Map<String, Set<String>> out = new LinkedHashMap<>();
            for (String set : List.of("train", "eval")) {
                Set<String> ids = new HashSet<>();
                root.path(set).forEach(id -> ids.add(id.asText()));
                out.put(set, ids);
            }
            return out;
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** SPDX licence texts by id, in id order, whose contribution id (sha256 of the text) {@code chosen} accepts. */
    private Map<String, String> heldOutTexts(java.util.function.Predicate<String> chosen) {
        Path source = spdx;
        if (source == null) {
            source = Path.of(System.getenv().getOrDefault("TRIBUTARY_TOOLS", "tools/node_modules"), "spdx-license-list",
                    "spdx-full.json");
        }
        if (!Files.isRegularFile(source)) {
            throw new UserError("SPDX license texts not found at " + source + "; run `npm ci` in tools/ (bin/tributary does it)");
        }
        Map<String, String> out = new TreeMap<>();
        try {
            JsonNode licenses = Json.MAPPER.readTree(source.toFile());
            licenses.fields().forEachRemaining(entry -> {
                String text = entry.getValue().path("licenseText").asText("");
                if (!text.isBlank() && chosen.test(Hashing.sha256Hex(text))) {
                    out.put(entry.getKey(), text);
                }
            });
        } catch (IOException e) {
            throw new UserError("cannot read " + source + ": " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new UserError("no SPDX text in " + source + " is in the model's " + textChoice + " set");
        }
        return out;
    }

    /** Non-overlapping windows of each text's tokens (begin-of-sequence first), up to --max-tokens in all. */
    private List<int[]> windows(Map<String, String> texts, TextTokenizer tokenizer) {
        List<int[]> out = new ArrayList<>();
        int total = 0;
        for (String text : texts.values()) {
            int[] ids = tokenizer.ids(text);
            int[] tokens = new int[ids.length + 1];
            tokens[0] = tokenizer.bosId();
            System.arraycopy(ids, 0, tokens, 1, ids.length);
            for (int from = 0; from + 1 < tokens.length && total < maxTokens; from += window) {
                int[] piece = java.util.Arrays.copyOfRange(tokens, from, Math.min(tokens.length, from + window));
                if (piece.length > 1) {
                    out.add(piece);
                    total += piece.length - 1;
                }
            }
        }
        return out;
    }

    /** Summed negative log-likelihood of next tokens, and the CPU time it took. */
    private static final class Score {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        double nll;
        long tokens;
        long cpuNanos;

        void add(LlamaModel model, int[] window) {
            long started = THREADS.getCurrentThreadCpuTime();
            try (NDScope scope = new NDScope()) {
                int length = window.length - 1;
                NDArray logits = model.forward(model.tokens(java.util.Arrays.copyOf(window, length)));
                long[] targets = new long[length];
                for (int t = 0; t < length; t++) {
                    targets[t] = window[t + 1];
                }
                NDArray index = model.manager().create(targets, new Shape(1, length, 1));
                float[] picked = logits.logSoftmax(-1).gather(index, 2).toFloatArray();
                for (float logProbability : picked) {
                    nll -= logProbability;
                }
                tokens += length;
            }
            cpuNanos += THREADS.getCurrentThreadCpuTime() - started;
        }

        double perplexity() {
            return Math.exp(nll / tokens);
        }
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
