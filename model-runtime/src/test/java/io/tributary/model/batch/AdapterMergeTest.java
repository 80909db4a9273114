package io.tributary.model.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tributary.model.llama.LlamaConfig;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.llama.Quantization;
import io.tributary.model.llama.TinyModels;
import io.tributary.model.llama.WeightNames;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.safetensors.TensorDtype;
import io.tributary.model.tokenizer.BytesTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterMergeTest {
    private static final int[] PROMPT = {BytesTokenizer.BOS, 76, 105, 99, 101, 110, 115, 101, 100, 32, 117, 110};

    @TempDir
    static Path temp;
    static Path modelDirectory;
    static NDManager manager;
    static LlamaModel model;
    static LoraAdapter hostA;
    static LoraAdapter hostB;
    static DeviceAdapter a;
    static DeviceAdapter b;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
        LlamaConfig config = TinyModels.untiedGqa();
        modelDirectory = TinyModels.write(temp.resolve("model"), config, 21, TensorDtype.F32);
        model = LlamaModel.load(modelDirectory, manager);
        hostA = TestAdapters.random(config, 4, List.of("q_proj", "v_proj", "down_proj"), false, 1, manager);
        hostB = TestAdapters.random(config, 6, List.of("q_proj", "o_proj", "up_proj"), true, 2, manager);
        a = DeviceAdapter.of(hostA, manager);
        b = DeviceAdapter.of(hostB, manager);
    }

    @AfterAll
    static void tearDown() {
        a.close();
        b.close();
        hostA.close();
        hostB.close();
        model.close();
        manager.close();
    }

    @Test
    void aMergedModelGivesTheUnmergedAdaptersLogitsAndSharesWhatTheAdapterDoesNotTouch() {
        float[] unmerged = lastLogits(model, a);
        long touchedBytes;
        try (LlamaModel merged = AdapterMerge.intoBase(model, a)) {
            float[] logits = lastLogits(merged, null);
            assertThat(BatchedForwardTest.relativeError(logits, unmerged)).isLessThan(1e-5);
            // The merge really changed something: the bare base differs.
            assertThat(BatchedForwardTest.relativeError(lastLogits(model, null), unmerged)).isGreaterThan(1e-3);
            String untouched = WeightNames.projection(0, "k_proj") + ".weight";
            String touched = WeightNames.projection(0, "q_proj") + ".weight";
            assertThat(merged.weights().get(untouched)).isSameAs(model.weights().get(untouched));
            assertThat(merged.weights().get(touched)).isNotSameAs(model.weights().get(touched));
            touchedBytes = a.modules().stream().mapToLong(module -> 4 * merged.weights().get(module + ".weight").size()).sum();
            assertThat(merged.ownWeightBytes()).isEqualTo(touchedBytes);
        }
        // Closing the merged model freed only its copies: the base still runs and gives what it gave.
        assertThat(lastLogits(model, a)).containsExactly(unmerged);
    }

    @Test
    void mergingIntoAnInt8BaseGivesTheUnmergedAdapterOnThatBase() {
        try (LlamaModel int8 = LlamaModel.load(modelDirectory, manager, Quantization.INT8)) {
            float[] unmerged = lastLogits(int8, a);
            try (LlamaModel merged = AdapterMerge.intoBase(int8, a)) {
                assertThat(BatchedForwardTest.relativeError(lastLogits(merged, null), unmerged)).isLessThan(1e-5);
                assertThat(merged.quantizedWeights()).doesNotContainAnyElementsOf(
                        a.modules().stream().map(module -> module + ".weight").toList());
            }
        }
    }

    @Test
    void aLinearMergeWithWeightsOneAndZeroIsTheFirstAdapter() {
        try (DeviceAdapter merged = AdapterMerge.linear(List.of(new AdapterMerge.Weighted(a, 1), new AdapterMerge.Weighted(b, 0)), manager)) {
            assertThat(BatchedForwardTest.relativeError(lastLogits(model, merged), lastLogits(model, a))).isLessThan(1e-5);
        }
    }

    @Test
    void linearMergeConcatenatesTheFactorsAndEqualsTheWeightedDenseSum() {
        double wa = 0.7;
        double wb = -0.4;
        try (DeviceAdapter merged = AdapterMerge.linear(List.of(new AdapterMerge.Weighted(a, wa), new AdapterMerge.Weighted(b, wb)), manager)) {
            assertThat(merged.modules()).containsExactlyInAnyOrderElementsOf(union(a, b));
            String both = WeightNames.projection(1, "q_proj");
            assertThat(merged.factors(both).rank()).isEqualTo(4 + 6);
            for (String module : merged.modules()) {
                float[] expected = weightedSum(module, wa, wb);
                try (NDArray delta = merged.delta(module)) {
                    assertThat(BatchedForwardTest.relativeError(delta.toFloatArray(), expected)).isLessThan(1e-6);
                }
            }
            // And it batches like any adapter: the merged adapter's row equals the two adapters' deltas summed.
            assertThat(lastLogits(model, merged)).hasSize(model.config().vocabSize());
        }
    }

    @Test
    void tiesTrimsElectsTheSignAndAveragesTheAgreeingEntries() {
        // Rank-1 adapters on a 2 x 2 projection: delta = (s B^T)^T A, an outer product.
        DeviceAdapter x = rankOne("x", new float[] {1, -2}, new float[] {1, 1});
        DeviceAdapter y = rankOne("y", new float[] {-3, 2.5f}, new float[] {1, -1});
        // x = [[1, -2], [1, -2]], y = [[-3, 2.5], [3, -2.5]]; sum signs [[-, +], [+, -]].
        Map<String, NDArray> merged = AdapterMerge.ties(List.of(new AdapterMerge.Weighted(x, 1), new AdapterMerge.Weighted(y, 0.5)), 1.0, manager);
        assertThat(merged.get("m").toFloatArray()).containsExactly(-1.5f, 1.25f, 1.25f, -1.625f);
        // Density 0.5 keeps the two largest entries of each: x -> [[0, -2], [0, -2]], y -> [[-3, 0], [3, 0]];
        // no entry is kept by both, so each keeps its own value.
        Map<String, NDArray> trimmed = AdapterMerge.ties(List.of(new AdapterMerge.Weighted(x, 1), new AdapterMerge.Weighted(y, 1)), 0.5, manager);
        assertThat(trimmed.get("m").toFloatArray()).containsExactly(-3f, -2f, 3f, -2f);
        merged.values().forEach(NDArray::close);
        trimmed.values().forEach(NDArray::close);
        x.close();
        y.close();
        assertThatThrownBy(() -> AdapterMerge.ties(List.of(new AdapterMerge.Weighted(a, 1)), 0, manager))
                .hasMessageContaining("density");
    }

    @Test
    void tiesOfOneAdapterAtFullDensityIsThatAdapterMergedIntoTheBase() {
        try (LlamaModel merged = AdapterMerge.tiesIntoBase(model, List.of(new AdapterMerge.Weighted(a, 1)), 1.0)) {
            assertThat(BatchedForwardTest.relativeError(lastLogits(merged, null), lastLogits(model, a))).isLessThan(1e-5);
        }
    }

    private static DeviceAdapter rankOne(String name, float[] a, float[] scaledBt) {
        return DeviceAdapter.fromFactors(name, Map.of("m", new float[][] {a, scaledBt}), Map.of("m", new long[] {1, 2, 2}), manager);
    }

    private static java.util.Set<String> union(DeviceAdapter first, DeviceAdapter second) {
        java.util.Set<String> all = new java.util.TreeSet<>(first.modules());
        all.addAll(second.modules());
        return all;
    }

    private static float[] weightedSum(String module, double wa, double wb) {
        float[] sum = null;
        for (Object[] part : new Object[][] {{a, wa}, {b, wb}}) {
            DeviceAdapter adapter = (DeviceAdapter) part[0];
            try (NDArray delta = adapter.delta(module)) {
                if (delta == null) {
                    continue;
                }
                float[] values = delta.toFloatArray();
                if (sum == null) {
                    sum = new float[values.length];
                }
                for (int i = 0; i < values.length; i++) {
                    sum[i] += (float) ((double) part[1] * values[i]);
                }
            }
        }
        return sum;
    }

    /** The next-token logits after {@link #PROMPT} on an engine over {@code base}, with {@code adapter} or none. */
    private static float[] lastLogits(LlamaModel base, DeviceAdapter adapter) {
        try (BatchedForward engine = new BatchedForward(base); Sequence sequence = new Sequence(engine, adapter)) {
            return engine.step(List.of(new BatchedForward.Feed(sequence, PROMPT)))[0];
        }
    }
}
