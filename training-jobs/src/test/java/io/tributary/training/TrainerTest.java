package io.tributary.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.tributary.model.llama.TinyModels;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.lora.LoraSettings;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.safetensors.TensorDtype;
import io.tributary.core.cli.UserError;
import io.tributary.model.tokenizer.BytesTokenizer;
import io.tributary.model.tokenizer.LossScope;
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

    static List<TrainingExample> questions() {
        List<TrainingExample> examples = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String text = "Q: Which license has number " + i + " in the list? A: License-" + (i * 7 % 30);
            examples.add(new TrainingExample(String.format("%064x", i), text));
        }
        return examples;
    }

    @Test
    void answerOnlyLossScoresTheTokensAfterTheMarkerAcrossPackedWindows() throws Exception {
        Path model = TinyModels.write(temp.resolve("model"), TinyModels.untiedGqa(), 11, TensorDtype.F32);
        BytesTokenizer tokenizer = new BytesTokenizer();
        LossScope scope = LossScope.after(" A: ");
        PackedDataset data = PackedDataset.build(questions(), tokenizer, 48, 0.2, 42, scope);

        // Packing cuts documents anywhere; each token keeps its document's flag (windows overlap by one token).
        List<Integer> tokens = new ArrayList<>();
        List<Boolean> scored = new ArrayList<>();
        for (LossScope.Scored window : data.trainWindows()) {
            for (int i = tokens.isEmpty() ? 0 : 1; i < window.length(); i++) {
                tokens.add(window.tokens()[i]);
                scored.add(window.scored()[i]);
            }
        }
        List<Integer> expectedTokens = new ArrayList<>();
        List<Boolean> expectedScored = new ArrayList<>();
        for (TrainingExample example : data.train()) {
            LossScope.Scored document = scope.frame(example.text(), tokenizer);
            String answer = example.text().substring(example.text().lastIndexOf(" A: ") + 4);
            assertThat(document.targets()).isEqualTo(answer.length() + 1); // the answer's bytes and </s>
            for (int i = 0; i < document.length(); i++) {
                expectedTokens.add(document.tokens()[i]);
                expectedScored.add(document.scored()[i]);
            }
        }
        assertThat(tokens).isEqualTo(expectedTokens.subList(0, tokens.size()));
        assertThat(scored).isEqualTo(expectedScored.subList(0, scored.size()));
        assertThat(scored).contains(true, false);

        // Eval loss: the mean over the scored targets only, against a sum over the logits computed here.
        try (NDManager manager = NDManager.newBaseManager(); LlamaModel llama = LlamaModel.load(model, manager)) {
            double masked = new Trainer(llama, llama.weights(), options(1, 0), data).evalLoss();
            double whole = new Trainer(llama, llama.weights(), options(1, 0),
                    PackedDataset.build(questions(), tokenizer, 48, 0.2, 42)).evalLoss();
            double sum = 0;
            int count = 0;
            for (LossScope.Scored window : data.evalWindows()) {
                int[] inputs = java.util.Arrays.copyOf(window.tokens(), window.length() - 1);
                float[][] logits = TinyModels.logits(llama, inputs);
                for (int t = 0; t < inputs.length; t++) {
                    if (window.scored()[t + 1]) {
                        double max = Double.NEGATIVE_INFINITY;
                        for (float logit : logits[t]) {
                            max = Math.max(max, logit);
                        }
                        double partition = 0;
                        for (float logit : logits[t]) {
                            partition += Math.exp(logit - max);
                        }
                        sum += max + Math.log(partition) - logits[t][window.tokens()[t + 1]];
                        count++;
                    }
                }
            }
            assertThat(count).isPositive();
            assertThat(masked).isCloseTo(sum / count, within(1e-4));
            assertThat(Math.abs(whole - masked)).isGreaterThan(1e-3); // the prompt's tokens would have counted
        }
    }

    @Test
    void wholeTextTrainingScoresEveryTargetOfEveryPackedWindow() {
        // The next document's <s> after a </s> is a target too: whole-text training's loss is unchanged by the scopes.
        PackedDataset data = PackedDataset.build(questions(), new BytesTokenizer(), 48, 0.2, 42);
        assertThat(data.trainWindows()).isNotEmpty().allSatisfy(window -> assertThat(window.allTargetsScored()).isTrue());
        assertThat(data.evalWindows()).isNotEmpty().allSatisfy(window -> assertThat(window.allTargetsScored()).isTrue());
    }

    @Test
    void aResumeWithAnotherLossScopeIsRefused() throws Exception {
        Path model = TinyModels.write(temp.resolve("model"), TinyModels.untiedGqa(), 11, TensorDtype.F32);
        Path out = temp.resolve("scoped");
        BytesTokenizer tokenizer = new BytesTokenizer();
        try (NDManager manager = NDManager.newBaseManager(); LlamaModel llama = LlamaModel.load(model, manager)) {
            LoraSettings settings = new LoraSettings(4, 8, 0.0, List.of("q_proj", "v_proj"), false);
            try (LoraAdapter adapter = LoraAdapter.fresh(llama.config(), settings, "tiny", 42, manager)) {
                llama.useAdapter(adapter);
                // A run on the answers only that checkpointed at step 2 of 4.
                new Trainer(llama, adapter.parameters(), options(4, 2),
                        PackedDataset.build(questions(), tokenizer, 48, 0.2, 42, LossScope.after(" A: "))).run(out, false);
                // The same run resumed on the whole text: refused, naming both scopes.
                Trainer whole = new Trainer(llama, adapter.parameters(), options(4, 2),
                        PackedDataset.build(questions(), tokenizer, 48, 0.2, 42));
                assertThatThrownBy(() -> whole.run(out, true)).isInstanceOf(UserError.class)
                        .hasMessageContaining("after the marker \" A: \"").hasMessageContaining("on the whole text");
                // With the same scope it resumes from that checkpoint.
                Trainer.Result resumed = new Trainer(llama, adapter.parameters(), options(4, 2),
                        PackedDataset.build(questions(), tokenizer, 48, 0.2, 42, LossScope.after(" A: "))).run(out, true);
                assertThat(resumed.resumedFrom()).isEqualTo(2);
            }
        }
    }

    @Test
    void aContributionWithoutTheMarkerIsRefusedByName() {
        List<TrainingExample> examples = new ArrayList<>(questions());
        examples.add(new TrainingExample("f".repeat(64), "a text with no question"));
        assertThatThrownBy(() -> PackedDataset.build(examples, new BytesTokenizer(), 48, 0.2, 42, LossScope.after(" A: ")))
                .isInstanceOf(UserError.class).hasMessageContaining("f".repeat(64)).hasMessageContaining("' A: '");
    }
}
