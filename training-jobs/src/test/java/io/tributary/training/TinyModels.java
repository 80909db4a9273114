package io.tributary.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.tributary.training.model.LlamaConfig;
import io.tributary.training.model.LlamaModel;
import io.tributary.training.model.ModelDirectory;
import io.tributary.training.model.WeightNames;
import io.tributary.training.safetensors.TensorDtype;
import io.tributary.training.tokenizer.BytesTokenizer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Random tiny models for tests: grouped-query attention, untied or tied embeddings, non-trivial norms. */
public final class TinyModels {
    private TinyModels() {}

    public static LlamaConfig untiedGqa() {
        return new LlamaConfig(32, 72, 2, 4, 2, 8, 1e-5, 500000.0, BytesTokenizer.VOCAB_SIZE, 64, false,
                BytesTokenizer.BOS, BytesTokenizer.EOS, LlamaConfig.BYTES_TOKENIZER);
    }

    public static LlamaConfig tied() {
        return new LlamaConfig(32, 64, 2, 4, 1, 8, 1e-6, 10000.0, BytesTokenizer.VOCAB_SIZE, 64, true,
                BytesTokenizer.BOS, BytesTokenizer.EOS, LlamaConfig.BYTES_TOKENIZER);
    }

    /** Writes a random model to {@code directory} with weights stored as {@code dtype}. */
    public static Path write(Path directory, LlamaConfig config, long seed, TensorDtype dtype) {
        try (NDManager manager = NDManager.newBaseManager()) {
            SplittableRandom random = new SplittableRandom(seed);
            Map<String, NDArray> weights = new LinkedHashMap<>();
            for (WeightNames.NamedShape named : WeightNames.all(config)) {
                int count = Math.toIntExact(new Shape(named.shape()).size());
                float[] values = new float[count];
                for (int i = 0; i < count; i++) {
                    values[i] = (float) (named.isNorm() ? 1 + 0.1 * random.nextGaussian() : 0.15 * random.nextGaussian());
                }
                weights.put(named.name(), manager.create(values, new Shape(named.shape())));
            }
            ModelDirectory.write(directory, config, weights, dtype);
        }
        return directory;
    }

    /** Logits [T][vocab] of one sequence. */
    public static float[][] logits(LlamaModel model, int[] tokens) {
        try (NDScope scope = new NDScope()) {
            NDArray logits = model.forward(model.tokens(tokens), null);
            int vocab = model.config().vocabSize();
            float[] flat = logits.toFloatArray();
            float[][] rows = new float[tokens.length][vocab];
            for (int t = 0; t < tokens.length; t++) {
                System.arraycopy(flat, t * vocab, rows[t], 0, vocab);
            }
            return rows;
        }
    }

    /** Largest absolute difference divided by the largest absolute reference value. */
    public static double relativeError(float[][] actual, double[][] expected) {
        double difference = 0;
        double scale = 0;
        for (int t = 0; t < expected.length; t++) {
            for (int v = 0; v < expected[t].length; v++) {
                difference = Math.max(difference, Math.abs(actual[t][v] - expected[t][v]));
                scale = Math.max(scale, Math.abs(expected[t][v]));
            }
        }
        return difference / scale;
    }
}
