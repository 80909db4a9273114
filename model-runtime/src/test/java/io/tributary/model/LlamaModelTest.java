package io.tributary.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.tributary.model.llama.TinyModels;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.lora.LoraSettings;
import io.tributary.model.llama.LlamaConfig;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.safetensors.TensorDtype;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaModelTest {
    private static final int[] TOKENS = {256, 72, 101, 108, 108, 111, 44, 32, 119, 111, 114, 108, 100, 33};

    @TempDir
    Path temp;

    @Test
    void forwardMatchesNumpyReferenceWithGroupedQueryAttentionAndUntiedEmbeddings() throws Exception {
        Path dir = TinyModels.write(temp.resolve("model"), TinyModels.untiedGqa(), 1, TensorDtype.F32);
        double[][] expected = NumpyReference.logits(dir, null, TOKENS);
        try (NDManager manager = NDManager.newBaseManager(); LlamaModel model = LlamaModel.load(dir, manager)) {
            assertThat(TinyModels.relativeError(TinyModels.logits(model, TOKENS), expected)).isLessThan(1e-4);
        }
    }

    @Test
    void forwardMatchesNumpyReferenceForTiedBfloat16Model() throws Exception {
        Path dir = TinyModels.write(temp.resolve("model"), TinyModels.tied(), 2, TensorDtype.BF16);
        double[][] expected = NumpyReference.logits(dir, null, TOKENS);
        try (NDManager manager = NDManager.newBaseManager(); LlamaModel model = LlamaModel.load(dir, manager)) {
            assertThat(TinyModels.relativeError(TinyModels.logits(model, TOKENS), expected)).isLessThan(1e-4);
        }
    }

    @Test
    void adapterForwardMatchesNumpyReference() throws Exception {
        LlamaConfig config = TinyModels.untiedGqa();
        Path dir = TinyModels.write(temp.resolve("model"), config, 3, TensorDtype.F16);
        Path adapterDir = temp.resolve("adapter");
        try (NDManager manager = NDManager.newBaseManager(); LlamaModel model = LlamaModel.load(dir, manager)) {
            LoraSettings settings = new LoraSettings(4, 8, 0.0, List.of("q_proj", "v_proj", "down_proj"), true);
            try (LoraAdapter adapter = LoraAdapter.fresh(config, settings, "tiny", 7, manager)) {
                // A trained adapter has B != 0; fill B with random values so the adapter changes the output.
                adapter.pairs().values().forEach(pair -> pair.b().addi(manager.randomNormal(0, 0.3f, pair.b().getShape(),
                        pair.b().getDataType())));
                adapter.save(adapterDir);
            }
            double[][] expected = NumpyReference.logits(dir, adapterDir, TOKENS);
            try (LoraAdapter loaded = LoraAdapter.load(adapterDir, config, manager)) {
                model.useAdapter(loaded);
                assertThat(TinyModels.relativeError(TinyModels.logits(model, TOKENS), expected)).isLessThan(1e-4);
            }
        }
    }

    @Test
    void shardedCheckpointWithIndexLoadsLikeTheSingleFile() throws Exception {
        Path single = TinyModels.write(temp.resolve("single"), TinyModels.untiedGqa(), 8, TensorDtype.BF16);
        Path sharded = temp.resolve("sharded");
        java.nio.file.Files.createDirectories(sharded);
        java.nio.file.Files.copy(single.resolve("config.json"), sharded.resolve("config.json"));
        StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
        try (io.tributary.model.safetensors.SafetensorsFile file =
                     io.tributary.model.safetensors.SafetensorsFile.open(single.resolve("model.safetensors"))) {
            List<io.tributary.model.safetensors.Tensor> first = new java.util.ArrayList<>();
            List<io.tributary.model.safetensors.Tensor> second = new java.util.ArrayList<>();
            int i = 0;
            for (var entry : file.entries().values()) {
                String shard = i++ % 2 == 0 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
                var tensor = new io.tributary.model.safetensors.Tensor(entry.name(), entry.dtype(), entry.shape(),
                        file.bytes(entry.name()));
                (shard.startsWith("model-00001") ? first : second).add(tensor);
                index.append(i > 1 ? "," : "").append('"').append(entry.name()).append("\": \"").append(shard).append('"');
            }
            io.tributary.model.safetensors.SafetensorsWriter.write(sharded.resolve("model-00001-of-00002.safetensors"),
                    java.util.Map.of(), first);
            io.tributary.model.safetensors.SafetensorsWriter.write(sharded.resolve("model-00002-of-00002.safetensors"),
                    java.util.Map.of(), second);
        }
        java.nio.file.Files.writeString(sharded.resolve("model.safetensors.index.json"), index.append("}}").toString());
        try (NDManager manager = NDManager.newBaseManager(); LlamaModel one = LlamaModel.load(single, manager);
             LlamaModel two = LlamaModel.load(sharded, manager)) {
            assertThat(TinyModels.logits(two, TOKENS)).isDeepEqualTo(TinyModels.logits(one, TOKENS));
        }
    }

    @Test
    void freshAdapterLeavesLogitsUnchanged() {
        LlamaConfig config = TinyModels.untiedGqa();
        Path dir = TinyModels.write(temp.resolve("model"), config, 4, TensorDtype.F32);
        try (NDManager manager = NDManager.newBaseManager(); LlamaModel model = LlamaModel.load(dir, manager)) {
            float[][] base = TinyModels.logits(model, TOKENS);
            LoraSettings settings = new LoraSettings(8, 16, 0.0, List.of("q_proj", "k_proj", "v_proj", "o_proj",
                    "gate_proj", "up_proj", "down_proj"), false);
            try (LoraAdapter adapter = LoraAdapter.fresh(config, settings, "tiny", 9, manager)) {
                model.useAdapter(adapter);
                assertThat(TinyModels.logits(model, TOKENS)).isDeepEqualTo(base);
            }
        }
    }

    /** Regression: scalars freed after the forward pass corrupted gradients once the garbage collector ran. */
    @Test
    void gradientsSurviveGarbageCollectionBetweenForwardAndBackward() throws Exception {
        LlamaConfig config = TinyModels.untiedGqa();
        Path dir = TinyModels.write(temp.resolve("model"), config, 6, TensorDtype.F32);
        try (NDManager manager = NDManager.newBaseManager(); LlamaModel model = LlamaModel.load(dir, manager)) {
            LoraSettings settings = new LoraSettings(4, 8, 0.0, List.of("q_proj", "down_proj"), false);
            try (LoraAdapter adapter = LoraAdapter.fresh(config, settings, "tiny", 1, manager)) {
                model.useAdapter(adapter);
                adapter.parameters().values().forEach(array -> array.setRequiresGradient(true));
                float[] quiet = gradient(model, adapter, false);
                float[] collected = gradient(model, adapter, true);
                assertThat(collected).containsExactly(quiet);
                assertThat(quiet).doesNotContain(Float.NaN);
            }
        }
    }

    private static float[] gradient(LlamaModel model, LoraAdapter adapter, boolean collectGarbage) throws Exception {
        NDArray a = adapter.parameters().values().iterator().next();
        try (ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector();
             NDScope scope = new NDScope()) {
            NDArray loss = model.forward(model.tokens(TOKENS)).square().mean().div(model.constant(3));
            if (collectGarbage) {
                // Free unreachable direct buffers, then reuse their (small) blocks with NaN bytes.
                List<java.nio.ByteBuffer> junk = new java.util.ArrayList<>();
                for (int round = 0; round < 5; round++) {
                    System.gc();
                    Thread.sleep(50);
                    for (int i = 0; i < 2000; i++) {
                        java.nio.ByteBuffer block = java.nio.ByteBuffer.allocateDirect(4 + i % 8);
                        while (block.hasRemaining()) {
                            block.put((byte) 0xff);
                        }
                        junk.add(block);
                    }
                }
            }
            collector.backward(loss);
            float[] gradient = a.getGradient().toFloatArray();
            adapter.parameters().values().forEach(p -> p.getGradient().subi(p.getGradient()));
            return gradient;
        }
    }
}
