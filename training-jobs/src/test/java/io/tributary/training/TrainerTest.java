package io.tributary.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.tributary.model.llama.TinyModels;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.lora.LoraSettings;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.safetensors.TensorDtype;
import io.tributary.model.tokenizer.BytesTokenizer;
import io.tributary.training.train.PackedDataset;
import io.tributary.training.train.Trainer;
import io.tributary.training.train.TrainingExample;
import io.tributary.training.train.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path temp;

    static List<TrainingExample> corpus() {
        List<TrainingExample> examples = new ArrayList<>();
        String[] subjects = {"licensee", "licensor", "contributor", "recipient", "distributor"};
        for (int i = 0; i < 40; i++) {
            String text = "The " + subjects[i % subjects.length] + " may copy, modify and distribute the work, "
                    + "provided that this notice is kept. Copy " + i + ".";
            examples.add(new TrainingExample(String.format("%064x", i), text));
        }
        return examples;
    }

    static TrainingOptions options(int steps, int checkpointEvery) {
        return new TrainingOptions(steps, 4, 2, 48, 1e-2, 0.1, 2, 0.0, 0.9, 0.999, 1e-8, 1.0, 0.1, checkpointEvery, 42);
    }

    private byte[] trainAdapter(Path model, Path out, int steps, int checkpointEvery, boolean resume,
                                double[] losses) throws Exception {
        try (NDManager manager = NDManager.newBaseManager(); LlamaModel llama = LlamaModel.load(model, manager)) {
            LoraSettings settings = new LoraSettings(4, 8, 0.1, List.of("q_proj", "v_proj", "up_proj"), false);
            try (LoraAdapter adapter = LoraAdapter.fresh(llama.config(), settings, "tiny", 42, manager)) {
                llama.useAdapter(adapter);
                llama.setAdapterDropout(settings.dropout());
                PackedDataset data = PackedDataset.build(corpus(), new BytesTokenizer(), 48, 0.1, 42);
                Trainer.Result result = new Trainer(llama, adapter.parameters(), options(steps, checkpointEvery), data)
                        .run(out, resume);
                if (losses != null) {
                    losses[0] = result.evalLossBefore();
                    losses[1] = result.evalLossAfter();
                }
                adapter.save(out);
            }
        }
        return Files.readAllBytes(out.resolve(LoraAdapter.WEIGHTS_FILE));
    }

    @Test
    void loraTrainingLowersEvalLossAndIsReproducibleAndResumable() throws Exception {
        Path model = TinyModels.write(temp.resolve("model"), TinyModels.untiedGqa(), 11, TensorDtype.F32);
        double[] losses = new double[2];
        byte[] first = trainAdapter(model, temp.resolve("a"), 12, 0, false, losses);
        assertThat(losses[1]).isLessThan(losses[0] - 0.1);
        byte[] second = trainAdapter(model, temp.resolve("b"), 12, 0, false, null);
        assertThat(second).isEqualTo(first);

        // Interrupted at step 6 (a 6-step run that checkpointed at 6 is what a crash after it leaves),
        // then resumed: the result equals the uninterrupted run.
        Path resumed = temp.resolve("c");
        trainAdapter(model, resumed, 12, 6, false, null);
        Files.delete(resumed.resolve(LoraAdapter.WEIGHTS_FILE));
        assertThat(trainAdapter(model, resumed, 12, 6, true, null)).isEqualTo(first);
    }
}
