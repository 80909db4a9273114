package io.tributary.model.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tributary.model.ModelException;
import io.tributary.model.llama.Int8Matrix;
import io.tributary.model.llama.LlamaConfig;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.llama.Quantization;
import io.tributary.model.llama.TinyModels;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.safetensors.TensorDtype;
import io.tributary.model.tokenizer.BytesTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizationTest {
    private static final int[] PROMPT = {BytesTokenizer.BOS, 84, 104, 101, 32, 108, 105, 99, 101, 110, 115, 101, 101};

    @TempDir
    Path temp;

    @Test
    void int8RowsAreWithinHalfAScaleOfTheFloatsAndTheLargestMapsTo127() {
        SplittableRandom random = new SplittableRandom(3);
        int rows = 5;
        int columns = 40;
        float[] values = new float[rows * columns];
        for (int i = 0; i < (rows - 1) * columns; i++) {
            values[i] = (float) (random.nextGaussian() * (1 + i / columns));
        }
        // The last row is all zeros: scale 1, values 0, no division by zero.
        try (NDManager manager = NDManager.newBaseManager(); NDArray weight = manager.create(values, new Shape(rows, columns));
             Int8Matrix matrix = Int8Matrix.quantize(weight)) {
            byte[] q = matrix.values().toByteArray();
            float[] scales = matrix.scales().toFloatArray();
            for (int r = 0; r < rows; r++) {
                float max = 0;
                int largest = 0;
                for (int c = 0; c < columns; c++) {
                    float w = values[r * columns + c];
                    if (Math.abs(w) > max) {
                        max = Math.abs(w);
                        largest = c;
                    }
                    assertThat(Math.abs(w - q[r * columns + c] * scales[r])).isLessThanOrEqualTo(scales[r] * 0.5f + 1e-6f);
                }
                if (max > 0) {
                    assertThat(scales[r]).isEqualTo(max / 127f, org.assertj.core.data.Offset.offset(1e-7f));
                    assertThat(Math.abs(q[r * columns + largest])).isEqualTo(127);
                } else {
                    assertThat(scales[r]).isEqualTo(1f);
                }
            }
            float[] dequantized = matrix.dequantized().toFloatArray();
            for (int i = 0; i < values.length; i++) {
                assertThat(dequantized[i]).isEqualTo(q[i] * scales[i / columns]);
            }
        }
    }

    @Test
    void anInt8ModelHoldsUnderThreeTenthsOfTheFloatBytesAndGivesCloseLogits() {
        for (LlamaConfig config : List.of(TinyModels.tied(), TinyModels.untiedGqa())) {
            Path directory = TinyModels.write(temp.resolve("model-" + config.tieWordEmbeddings()), config, 4, TensorDtype.F32);
            try (NDManager manager = NDManager.newBaseManager(); LlamaModel full = LlamaModel.load(directory, manager);
                 LlamaModel int8 = LlamaModel.load(directory, manager, Quantization.INT8)) {
                long floatBytes = full.weights().values().stream().mapToLong(array -> 4 * array.size()).sum();
                assertThat(full.weightBytes()).isEqualTo(floatBytes);
                assertThat((double) int8.weightBytes() / floatBytes).isLessThan(0.3);
                assertThat(int8.quantizedWeights()).hasSize(config.numHiddenLayers() * 7 + (config.tieWordEmbeddings() ? 1 : 2));
                float[][] expected = TinyModels.logits(full, PROMPT);
                float[][] actual = TinyModels.logits(int8, PROMPT);
                double error = 0;
                for (int t = 0; t < PROMPT.length; t++) {
                    error = Math.max(error, BatchedForwardTest.relativeError(actual[t], expected[t]));
                }
                assertThat(error).isGreaterThan(0).isLessThan(0.03);
                assertThatThrownBy(int8::weights).isInstanceOf(ModelException.class).hasMessageContaining("int8");
            }
        }
    }

    @Test
    void adaptersOnAnInt8BaseBatchAsTheyRunAlone() {
        LlamaConfig config = TinyModels.untiedGqa();
        Path directory = TinyModels.write(temp.resolve("model"), config, 9, TensorDtype.BF16);
        try (NDManager manager = NDManager.newBaseManager();
             LlamaModel int8 = LlamaModel.load(directory, manager, Quantization.INT8)) {
            List<LoraAdapter> hosts = TestAdapters.assorted(config, 8, manager);
            List<DeviceAdapter> devices = hosts.stream().map(host -> DeviceAdapter.of(host, manager)).toList();
            try (BatchedForward engine = new BatchedForward(int8)) {
                List<Sequence> sequences = new ArrayList<>();
                List<BatchedForward.Feed> feeds = new ArrayList<>();
                for (int i = 0; i <= devices.size(); i++) {
                    Sequence sequence = new Sequence(engine, i < devices.size() ? devices.get(i) : null);
                    sequences.add(sequence);
                    feeds.add(new BatchedForward.Feed(sequence, java.util.Arrays.copyOf(PROMPT, 3 + i)));
                }
                float[][] batched = engine.step(feeds);
                for (int i = 0; i <= devices.size(); i++) {
                    int[] tokens = java.util.Arrays.copyOf(PROMPT, 3 + i);
                    int8.useAdapter(i < hosts.size() ? hosts.get(i) : null);
                    float[] alone = TinyModels.logits(int8, tokens)[tokens.length - 1];
                    assertThat(BatchedForwardTest.relativeError(batched[i], alone)).as("row %d", i).isLessThan(1e-5);
                }
                int8.useAdapter(null);
                sequences.forEach(Sequence::close);
            } finally {
                devices.forEach(DeviceAdapter::close);
                hosts.forEach(LoraAdapter::close);
            }
        }
    }
}
