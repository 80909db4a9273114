package io.tributary.model.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.tributary.model.ModelException;
import io.tributary.model.safetensors.TensorDtype;
import io.tributary.model.tokenizer.LossScope.Scored;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoredLossTest {
    @TempDir
    Path temp;

    private static Scored window(int[] tokens, int scoredFrom) {
        boolean[] scored = new boolean[tokens.length];
        for (int i = Math.max(1, scoredFrom); i < tokens.length; i++) {
            scored[i] = true;
        }
        return new Scored(tokens, scored);
    }

    @Test
    void theAnswerOnlyLossIsTheWholeLossLessThePromptsAndItsMeanDividesByTheScoredTargets() throws Exception {
        Path directory = TinyModels.write(temp.resolve("m"), TinyModels.untiedGqa(), 5, TensorDtype.F32);
        int[] first = {1, 81, 58, 32, 87, 104, 105, 99, 104, 63, 32, 65, 58, 32, 66, 2};
        int[] second = {1, 81, 58, 32, 78, 111, 119, 63, 32, 65, 58, 32, 67, 68, 69, 2};
        try (NDManager manager = NDManager.newBaseManager(); LlamaModel model = LlamaModel.load(directory, manager)) {
            double whole = ScoredLoss.sum(model, List.of(window(first, 1), window(second, 1))).getFloat();
            // Answers after " A: " (index 14 and 12 onward) and the complementary prompts, in separate passes.
            double answers = ScoredLoss.sum(model, List.of(window(first, 14), window(second, 12))).getFloat();
            Scored firstPrompt = new Scored(first, complement(window(first, 14).scored()));
            Scored secondPrompt = new Scored(second, complement(window(second, 12).scored()));
            double prompts = ScoredLoss.sum(model, List.of(firstPrompt, secondPrompt)).getFloat();
            assertThat(answers).isPositive();
            assertThat(answers + prompts).isCloseTo(whole, within(1e-3 * whole));
            // Means: the whole text over its 30 targets, the answers over their 2 + 4 targets.
            assertThat((double) ScoredLoss.mean(model, List.of(window(first, 1), window(second, 1))).getFloat())
                    .isCloseTo(whole / 30, within(1e-5 * whole));
            assertThat((double) ScoredLoss.mean(model, List.of(window(first, 14), window(second, 12))).getFloat())
                    .isCloseTo(answers / 6, within(1e-5 * whole));
            assertThatThrownBy(() -> ScoredLoss.sum(model, List.of(window(first, 1), window(new int[] {1, 2}, 1))))
                    .isInstanceOf(ModelException.class).hasMessageContaining("one length");
        }
    }

    private static boolean[] complement(boolean[] scored) {
        boolean[] out = new boolean[scored.length];
        for (int i = 1; i < scored.length; i++) {
            out[i] = !scored[i];
        }
        return out;
    }
}
