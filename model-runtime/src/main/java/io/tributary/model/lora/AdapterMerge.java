package io.tributary.model.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.llama.ModelDirectory;
import io.tributary.model.safetensors.TensorDtype;
import java.nio.file.Path;
import java.util.Map;

/** Folds an adapter into its base model: every targeted W becomes W + scale * B A, a plain model directory. */
public final class AdapterMerge {
    private AdapterMerge() {}

    /** Writes the merged model to {@code out}; returns how many projections changed. */
    public static int merge(Path base, Path adapterDirectory, Path out) {
        try (NDManager manager = NDManager.newBaseManager(); LlamaModel model = LlamaModel.load(base, manager);
             LoraAdapter adapter = LoraAdapter.load(adapterDirectory, model.config(), manager)) {
            Map<String, NDArray> weights = model.weights();
            for (Map.Entry<String, LoraAdapter.LoraPair> entry : adapter.pairs().entrySet()) {
                LoraAdapter.LoraPair pair = entry.getValue();
                try (NDScope scope = new NDScope()) {
                    weights.get(entry.getKey() + ".weight").addi(pair.b().matMul(pair.a()).mul((float) pair.scale()));
                }
            }
            ModelDirectory.write(out, model.config(), weights, TensorDtype.F32);
            ModelDirectory.copyTokenizer(base, out);
            return adapter.pairs().size();
        }
    }
}
