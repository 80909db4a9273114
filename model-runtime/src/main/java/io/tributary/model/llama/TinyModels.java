package io.tributary.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.tributary.model.safetensors.TensorDtype;
import io.tributary.model.tokenizer.BytesTokenizer;
import java.nio.file.Path;

/**
 * Random tiny models for tests and benchmarks in every module that runs the model: grouped-query attention,
 * untied or tied embeddings, non-trivial norms. Models are made here, never downloaded.
 */
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
            ModelDirectory.write(directory, config, ModelDirectory.randomWeights(config, seed, 0.15, 0.1, manager), dtype);
        }
        return directory;
    }

    /** Logits [T][vocab] of one sequence. */
    public static float[][] logits(LlamaModel model, int[] tokens) {
        try (NDScope scope = new NDScope()) {
            NDArray logits = model.forward(model.tokens(tokens));
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
