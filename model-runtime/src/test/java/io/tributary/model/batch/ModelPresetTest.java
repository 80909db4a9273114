package io.tributary.model.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.model.ModelException;
import io.tributary.model.llama.LlamaConfig;
import io.tributary.model.llama.ModelPreset;
import io.tributary.model.tokenizer.BytesTokenizer;
import org.junit.jupiter.api.Test;

class ModelPresetTest {
    /** HuggingFaceTB/SmolLM-135M's published config.json (the values a SmolLM checkpoint would load with). */
    @Test
    void smollmPresetHasSmolLm135msShape() {
        LlamaConfig config = ModelPreset.parse("smollm-135m").config();
        assertThat(config.hiddenSize()).isEqualTo(576);
        assertThat(config.intermediateSize()).isEqualTo(1536);
        assertThat(config.numHiddenLayers()).isEqualTo(30);
        assertThat(config.numAttentionHeads()).isEqualTo(9);
        assertThat(config.numKeyValueHeads()).isEqualTo(3);
        assertThat(config.headDim()).isEqualTo(64);
        assertThat(config.vocabSize()).isEqualTo(49152);
        assertThat(config.tieWordEmbeddings()).isTrue();
        assertThat(config.ropeTheta()).isEqualTo(10000.0);
        assertThat(config.maxPositionEmbeddings()).isEqualTo(2048);
        assertThat(config.rmsNormEps()).isEqualTo(1e-5);
        // The bytes tokenizer's ids all fall inside the padded vocabulary.
        assertThat(config.usesBytesTokenizer()).isTrue();
        assertThat(BytesTokenizer.VOCAB_SIZE).isLessThan(config.vocabSize());
    }

    @Test
    void presetsParseByNameAndRefuseOthersListingTheChoices() {
        assertThat(ModelPreset.parse("tiny")).isEqualTo(ModelPreset.TINY);
        assertThat(ModelPreset.parse("SMOLLM_135M")).isEqualTo(ModelPreset.SMOLLM_135M);
        assertThatThrownBy(() -> ModelPreset.parse("gpt2")).isInstanceOf(ModelException.class)
                .hasMessageContaining("tiny, small, smollm-135m");
    }

    @Test
    void generationNeverPicksAnIdPastTheTokenizersVocabulary() {
        float[] logits = new float[49152];
        logits[40000] = 9;
        logits[65] = 1;
        assertThat(Generator.argmax(logits, BytesTokenizer.VOCAB_SIZE)).isEqualTo(65);
        assertThat(Generator.argmax(logits)).isEqualTo(40000);
        assertThat(Generator.sample(logits, BytesTokenizer.VOCAB_SIZE, 1.0, new java.util.SplittableRandom(1)))
                .isLessThan(BytesTokenizer.VOCAB_SIZE);
    }
}
