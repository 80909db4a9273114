package io.tributary.training.train;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.cli.Json;
import io.tributary.core.cli.Progress;
import io.tributary.core.cli.UserError;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.llama.ModelDirectory;
import io.tributary.model.safetensors.TensorDtype;
import io.tributary.model.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Full-parameter training of a model on text, so a base model made by {@code model init} is not random. */
public final class PretrainJob {
    private PretrainJob() {}

    public static Trainer.Result run(List<TrainingExample> examples, Path base, Path out, TrainingOptions options, boolean resume) {
        if (Files.exists(out.resolve("model.safetensors")) && !resume) {
            throw new UserError("output directory " + out + " already holds a model; choose another --out or pass --resume");
        }
        try (NDManager manager = NDManager.newBaseManager(); LlamaModel model = LlamaModel.load(base, manager);
             TextTokenizer tokenizer = TextTokenizer.forModel(base, model.config())) {
            Progress.step("pre-training " + base + " on " + examples.size() + " documents, device " + manager.getDevice());
            PackedDataset data = PackedDataset.build(examples, tokenizer, options.sequenceLength(), options.evalFraction(),
                    options.seed());
            Trainer.Result result = new Trainer(model, model.weights(), options, data).run(out, resume);
            ModelDirectory.write(out, model.config(), model.weights(), TensorDtype.F32);
            ModelDirectory.copyTokenizer(base, out);
            writeContributions(out, data);
            return result;
        }
    }

    /**
     * The contribution ids trained on and held out, as {@code train lora} writes them for adapters: whoever evaluates
     * the model (the quantization benchmark's perplexity) can pick text it never saw.
     */
    private static void writeContributions(Path out, PackedDataset data) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        data.putSplit(root);
        try {
            Files.writeString(out.resolve(LoraTrainingJob.CONTRIBUTIONS_FILE), Json.write(root) + "\n");
        } catch (IOException e) {
            throw new UserError("cannot write " + out.resolve(LoraTrainingJob.CONTRIBUTIONS_FILE) + ": " + e.getMessage());
        }
    }
}
