package io.tributary.training.command;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.delta.kernel.engine.Engine;
import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.UserError;
import io.tributary.core.config.TributaryConfig;
import io.tributary.core.id.DatanetId;
import io.tributary.lake.kernel.KernelTable;
import io.tributary.training.lake.ContributionsReader;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.batch.Generator;
import io.tributary.model.llama.LlamaConfig;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.llama.ModelDirectory;
import io.tributary.model.llama.ModelPreset;
import io.tributary.model.safetensors.TensorDtype;
import io.tributary.model.tokenizer.TextTokenizer;
import io.tributary.training.train.PretrainJob;
import io.tributary.training.train.Trainer;
import io.tributary.training.train.TrainingExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code model init|pretrain|logits|generate}: create and run Llama-family models. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Create, pre-train and run Llama-family models.",
        subcommands = {ModelCommand.Init.class, ModelCommand.Pretrain.class, ModelCommand.Logits.class, ModelCommand.Generate.class})
public final class ModelCommand {

    /** A random model directory of a preset size. */
    @Command(name = "init", mixinStandardHelpOptions = true, description = "Write a random-initialized model (Hugging Face layout).")
    static final class Init implements Callable<Integer> {
        @Mixin
        GlobalOptions global;
        @Option(names = "--out", required = true, description = "Model directory to create.")
        Path out;
        @Option(names = "--preset", defaultValue = "tiny", description = "tiny, small or smollm-135m (default: ${DEFAULT-VALUE}).")
        String preset;
        @Option(names = "--seed", defaultValue = "1", description = "Initialization seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() {
            if (Files.exists(out.resolve(LlamaConfig.CONFIG_FILE))) {
                throw new UserError("model directory " + out + " already exists");
            }
            LlamaConfig config = ModelPreset.parse(preset).config();
            long parameters;
            try (NDManager manager = NDManager.newBaseManager()) {
                var weights = ModelDirectory.randomWeights(config, seed, manager);
                parameters = weights.values().stream().mapToLong(NDArray::size).sum();
                ModelDirectory.write(out, config, weights, TensorDtype.F32);
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("path", out.toAbsolutePath().toString());
            json.put("preset", preset);
            json.put("parameters", parameters);
            json.put("sha256", ModelDirectory.fingerprint(out));
            CommandOutput.of(global).print(json, () -> "created " + preset + " model (" + parameters + " parameters) at " + out);
            return 0;
        }
    }

    /** Full-parameter training on Datanets' contributions. */
    @Command(name = "pretrain", mixinStandardHelpOptions = true,
            description = "Train every weight of a model on the contributions of one or more Datanets.")
    static final class Pretrain implements Callable<Integer> {
        @Mixin
        GlobalOptions global;
        @Mixin
        TrainingSettings training;
        @Option(names = "--datanet", required = true, description = "Datanet id (repeatable).")
        List<String> datanets;
        @Option(names = "--version", description = "Version of the contributions table (default: latest).")
        Long version;
        @Option(names = "--base", required = true, description = "Model directory to start from.")
        Path base;
        @Option(names = "--out", required = true, description = "Directory of the trained model.")
        Path out;

        @Override
        public Integer call() {
            EngineThreads.apply(global.config());
            TributaryConfig config = global.config();
            Engine engine = KernelTable.engine(config.map("tributary.hadoop.conf"));
            ContributionsReader reader = new ContributionsReader(engine, config.lakeRoot());
            List<TrainingExample> examples = new ArrayList<>();
            Map<String, Object> versions = new LinkedHashMap<>();
            for (String datanet : datanets) {
                ContributionsReader.Selection selection = reader.read(DatanetId.of(datanet),
                        version == null ? OptionalLong.empty() : OptionalLong.of(version));
                examples.addAll(selection.examples());
                versions.put(datanet, selection.version());
            }
            Trainer.Result result = PretrainJob.run(examples, base, out, training.resolve(config, "pretrain"), training.resume);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("path", out.toAbsolutePath().toString());
            json.put("datanets", versions);
            json.put("examples", examples.size());
            json.put("steps", result.steps());
            json.put("skipped_steps", result.skippedSteps());
            json.put("tokens", result.tokens());
            json.put("eval_loss_before", finite(result.evalLossBefore()));
            json.put("eval_loss_after", finite(result.evalLossAfter()));
            json.put("seconds", Math.round(result.seconds() * 1000) / 1000.0);
            json.put("tokens_per_s", Math.round(result.tokensPerSecond() * 10) / 10.0);
            json.put("sha256", ModelDirectory.fingerprint(out));
            CommandOutput.of(global).print(json, () -> String.format(
                    "pre-trained %s on %d documents: %d steps, eval loss %.4f -> %.4f, %.1f s (%.0f tokens/s)",
                    out, examples.size(), result.steps(), result.evalLossBefore(), result.evalLossAfter(),
                    result.seconds(), result.tokensPerSecond()));
            return 0;
        }
    }

    /** Float32 logits for every position of a token sequence. */
    @Command(name = "logits", mixinStandardHelpOptions = true, description = "Print the logits of every position.")
    static final class Logits implements Callable<Integer> {
        @Mixin
        GlobalOptions global;
        @Mixin
        ModelSelection selection;
        @Option(names = "--tokens", required = true, split = ",", description = "Comma-separated token ids.")
        List<Integer> tokens;

        @Override
        public Integer call() {
            EngineThreads.apply(global.config());
            try (NDManager manager = NDManager.newBaseManager(); LlamaModel llama = selection.load(manager);
                 LoraAdapter lora = selection.loadAdapter(llama, manager)) {
                llama.useAdapter(lora);
                int vocab = llama.config().vocabSize();
                int[] ids = tokens.stream().mapToInt(Integer::intValue).toArray();
                for (int id : ids) {
                    if (id < 0 || id >= vocab) {
                        throw new UserError("token " + id + " is outside the vocabulary 0.." + (vocab - 1));
                    }
                }
                float[] flat;
                try (NDScope scope = new NDScope()) {
                    flat = llama.forward(llama.tokens(ids)).toFloatArray();
                }
                List<float[]> rows = new ArrayList<>();
                for (int t = 0; t < ids.length; t++) {
                    rows.add(java.util.Arrays.copyOfRange(flat, t * vocab, (t + 1) * vocab));
                }
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("tokens", ids);
                json.put("logits", rows);
                CommandOutput.of(global).print(json, () -> {
                    StringBuilder text = new StringBuilder();
                    for (int t = 0; t < ids.length; t++) {
                        text.append(String.format("position %d token %d: argmax %d%n", t, ids[t], Generator.argmax(rows.get(t))));
                    }
                    return text.toString().stripTrailing();
                });
            }
            return 0;
        }
    }

    /** Sampling a completion of a prompt. */
    @Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate a completion of a prompt.")
    static final class Generate implements Callable<Integer> {
        @Mixin
        GlobalOptions global;
        @Mixin
        ModelSelection selection;
        @Option(names = "--prompt", required = true, description = "Prompt text.")
        String prompt;
        @Option(names = "--max-tokens", defaultValue = "64", description = "Most tokens to generate (default: ${DEFAULT-VALUE}).")
        int maxTokens;
        @Option(names = "--temperature", defaultValue = "0.7", description = "Sampling temperature; 0 is greedy (default: ${DEFAULT-VALUE}).")
        double temperature;
        @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() {
            EngineThreads.apply(global.config());
            try (NDManager manager = NDManager.newBaseManager(); LlamaModel llama = selection.load(manager);
                 TextTokenizer tokenizer = TextTokenizer.forModel(selection.model, llama.config());
                 LoraAdapter lora = selection.loadAdapter(llama, manager)) {
                llama.useAdapter(lora);
                long started = System.nanoTime();
                Generator.Completion completion = Generator.generate(llama, tokenizer, prompt, maxTokens, temperature, seed);
                double seconds = (System.nanoTime() - started) / 1e9;
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("prompt", prompt);
                json.put("completion", completion.text());
                json.put("tokens", completion.tokens());
                json.put("ended_on_eos", completion.endedOnEos());
                json.put("seconds", Math.round(seconds * 1000) / 1000.0);
                CommandOutput.of(global).print(json, () -> prompt + completion.text());
            }
            return 0;
        }
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
