package io.tributary.model.batch;

import ai.djl.ndarray.NDManager;
import io.tributary.model.llama.LlamaConfig;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.lora.LoraSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Host adapters with non-zero B (as a trained adapter has) of assorted ranks and target modules. */
final class TestAdapters {
    private static final List<List<String>> TARGETS = List.of(
            List.of("q_proj", "v_proj"),
            List.of("q_proj", "k_proj", "v_proj", "o_proj"),
            List.of("gate_proj", "up_proj", "down_proj"),
            List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"),
            List.of("v_proj", "down_proj"),
            List.of("o_proj"),
            List.of("k_proj", "up_proj"),
            List.of("q_proj", "down_proj"));
    private static final int[] RANKS = {1, 2, 4, 8, 3, 16, 5, 6};

    private TestAdapters() {}

    /** {@code count} adapters: ranks 1, 2, 4, 8, 3, 16, 5, 6, ... and different module sets, half with rsLoRA. */
    static List<LoraAdapter> assorted(LlamaConfig config, int count, NDManager manager) {
        List<LoraAdapter> adapters = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            adapters.add(random(config, RANKS[i % RANKS.length], TARGETS.get(i % TARGETS.size()), i % 2 == 1, 100 + i, manager));
        }
        return adapters;
    }

    static LoraAdapter random(LlamaConfig config, int rank, List<String> targets, boolean rsLora, long seed, NDManager manager) {
        LoraSettings settings = new LoraSettings(rank, 2.0 * rank, 0.0, targets, rsLora);
        LoraAdapter adapter = LoraAdapter.fresh(config, settings, "test", seed, manager);
        SplittableRandom random = new SplittableRandom(seed * 31 + 7);
        adapter.pairs().values().forEach(pair -> {
            float[] b = new float[(int) pair.b().size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) (0.3 * random.nextGaussian());
            }
            pair.b().set(b);
        });
        return adapter;
    }
}
