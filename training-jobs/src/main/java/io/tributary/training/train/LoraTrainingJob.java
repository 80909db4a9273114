package io.tributary.training.train;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.cli.Json;
import io.tributary.core.cli.Progress;
import io.tributary.core.cli.UserError;
import io.tributary.core.hash.Hashing;
import io.tributary.lake.kernel.adapters.AdapterRecord;
import io.tributary.lake.kernel.adapters.AdapterRegistry;
import io.tributary.training.lake.ContributionsReader;
import io.tributary.model.lora.AdapterFingerprint;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.lora.LoraSettings;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.llama.ModelDirectory;
import io.tributary.model.tokenizer.LossScope;
import io.tributary.model.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a pinned Datanet version into a registered LoRA adapter: reads the canonical contributions,
 * trains a fresh adapter over the frozen base model, writes it in PEFT's layout with the list of
 * contributions it used, and records it in the {@code adapters} table under a deterministic id.
 */
public final class LoraTrainingJob {
    public static final String CONTRIBUTIONS_FILE = "training_contributions.json";
    /** The learning rate of every optimizer step, in step order: what TracIn weighs checkpoints with (influence job). */
    public static final String LEARNING_RATES_FILE = "learning_rates.json";

    private LoraTrainingJob() {}

    /** The job's summary, as {@code train lora --json} prints it. */
    public record Summary(String adapterId, String path, String datanet, long version, String corpusSource, int examples,
                          int trainExamples, int evalExamples, long tokens, long scoredTokens, Double evalLossBefore, Double evalLossAfter,
                          double seconds, double tokensPerSecond, boolean registered, int resumedFromStep) {
        public Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("adapter_id", adapterId);
            out.put("path", path);
            out.put("datanet", datanet);
            out.put("version", version);
            out.put("corpus_source", corpusSource);
            out.put("examples", examples);
            out.put("train_examples", trainExamples);
            out.put("eval_examples", evalExamples);
            out.put("tokens", tokens);
            out.put("scored_tokens", scoredTokens);
            out.put("eval_loss_before", evalLossBefore);
            out.put("eval_loss_after", evalLossAfter);
            out.put("seconds", Math.round(seconds * 1000) / 1000.0);
            out.put("tokens_per_s", Math.round(tokensPerSecond * 10) / 10.0);
            out.put("registered", registered);
            out.put("resumed_from_step", resumedFromStep);
            return out;
        }
    }

    public static Summary run(ContributionsReader.Selection selection, Path baseDirectory, Path out, LoraSettings lora,
                              TrainingOptions options, boolean resume, AdapterRegistry registry, String creator,
                              String name) {
        return run(selection, baseDirectory, out, lora, options, LossScope.WHOLE_TEXT, resume, registry, creator, name);
    }

    /**
     * Trains with the loss on the tokens {@code scope} scores; the scope is recorded in the adapter's hyper-parameters
     * ({@code loss_after}), so the influence job computes gradients over the same tokens.
     */
    public static Summary run(ContributionsReader.Selection selection, Path baseDirectory, Path out, LoraSettings lora,
                              TrainingOptions options, LossScope scope, boolean resume, AdapterRegistry registry,
                              String creator, String name) {
        if (Files.exists(out.resolve(LoraAdapter.WEIGHTS_FILE)) && !resume) {
            throw new UserError("output directory " + out + " already holds an adapter; choose another --out or pass --resume");
        }
        long started = System.nanoTime();
        String baseSha = ModelDirectory.fingerprint(baseDirectory);
        Trainer.Result result;
        PackedDataset data;
        try (NDManager manager = NDManager.newBaseManager(); LlamaModel model = LlamaModel.load(baseDirectory, manager);
             TextTokenizer tokenizer = TextTokenizer.forModel(baseDirectory, model.config())) {
            Progress.step("training on " + selection.examples().size() + " contributions of " + selection.datanet().value()
                    + " at version " + selection.version() + " (" + selection.source() + "), device " + manager.getDevice());
            data = PackedDataset.build(selection.examples(), tokenizer, options.sequenceLength(), options.evalFraction(),
                    options.seed(), scope);
            try (LoraAdapter adapter = LoraAdapter.fresh(model.config(), lora, baseDirectory.getFileName().toString(),
                    options.seed(), manager)) {
                model.useAdapter(adapter);
                model.setAdapterDropout(lora.dropout());
                result = new Trainer(model, adapter.parameters(), options, data).run(out, resume);
                adapter.save(out);
            }
        }
        writeContributions(out, selection, data);
        writeLearningRates(out, options);
        String adapterSha = adapterSha256(out);
        String adapterId = Hashing.sha256Hex(String.join("\u0000", "tributary-adapter", adapterSha, baseSha,
                selection.datanet().value(), Long.toString(selection.version())));
        double seconds = (System.nanoTime() - started) / 1e9;
        boolean registered = registry.register(new AdapterRecord(adapterId, baseDirectory.toAbsolutePath().toString(), baseSha,
                selection.datanet().value(), selection.version(), selection.source(), selection.examples().size(),
                ids(data.train()), ids(data.eval()), hyperParameters(lora, options, scope), String.join(",", lora.targetModules()),
                lora.rank(), lora.alpha(), options.steps(), result.tokens(), finite(result.evalLossBefore()),
                finite(result.evalLossAfter()), result.seconds(), out.toAbsolutePath().toString(), adapterSha, creator,
                Instant.now().truncatedTo(ChronoUnit.MICROS), name));
        return new Summary(adapterId, out.toAbsolutePath().toString(), selection.datanet().value(), selection.version(),
                selection.source(), selection.examples().size(), data.train().size(), data.eval().size(), result.tokens(),
                result.scoredTokens(), finite(result.evalLossBefore()), finite(result.evalLossAfter()), seconds, result.tokensPerSecond(),
                registered, result.resumedFrom());
    }

    /** sha256 over the two PEFT files (config, then weights), the adapter's content identity. */
    public static String adapterSha256(Path directory) {
        return AdapterFingerprint.sha256(directory);
    }

    private static void writeContributions(Path out, ContributionsReader.Selection selection, PackedDataset data) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("datanet", selection.datanet().value());
        root.put("version", selection.version());
        root.put("source", selection.source());
        data.putSplit(root);
        try {
            Files.writeString(out.resolve(CONTRIBUTIONS_FILE), Json.write(root) + "\n");
        } catch (IOException e) {
            throw new UserError("cannot write " + out.resolve(CONTRIBUTIONS_FILE) + ": " + e.getMessage());
        }
    }

    private static void writeLearningRates(Path out, TrainingOptions options) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("steps", options.steps());
        root.put("checkpoint_every", options.checkpointEvery());
        ArrayNode rates = root.putArray("learning_rates");
        for (int step = 0; step < options.steps(); step++) {
            rates.add(options.learningRateAt(step));
        }
        try {
            Files.writeString(out.resolve(LEARNING_RATES_FILE), Json.write(root) + "\n");
        } catch (IOException e) {
            throw new UserError("cannot write " + out.resolve(LEARNING_RATES_FILE) + ": " + e.getMessage());
        }
    }

    private static String ids(List<TrainingExample> examples) {
        return examples.stream().map(TrainingExample::contributionId).sorted().collect(Collectors.joining(","));
    }

    private static String hyperParameters(LoraSettings lora, TrainingOptions options, LossScope scope) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("r", lora.rank());
        out.put("lora_alpha", lora.alpha());
        out.put("lora_dropout", lora.dropout());
        out.put("use_rslora", lora.rsLora());
        out.put("target_modules", lora.targetModules());
        out.put("steps", options.steps());
        out.put("batch_size", options.batchSize());
        out.put("gradient_accumulation", options.gradientAccumulation());
        out.put("sequence_length", options.sequenceLength());
        out.put("learning_rate", options.learningRate());
        out.put("min_learning_rate_ratio", options.minLearningRateRatio());
        out.put("warmup_steps", options.warmupSteps());
        out.put("weight_decay", options.weightDecay());
        out.put("eval_fraction", options.evalFraction());
        out.put("seed", options.seed());
        out.put(LossScope.HYPER_PARAMETER, scope.marker());
        return Json.MAPPER.copy().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .valueToTree(out).toString();
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
