package io.tributary.indexing.influence;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.llama.ModelDirectory;
import io.tributary.model.llama.ModelWeights;
import io.tributary.model.lora.AdapterFingerprint;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.safetensors.SafetensorsFile;
import io.tributary.model.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models of one JVM (a Spark executor, or the driver in local mode), loaded once and kept: keyed by base
 * path and sha256, adapter path and sha256, state and projection, so every task and example of a run reuses
 * them. At most {@link #CAPACITY} are kept; the least recently used is closed when another is loaded.
 */
public final class ModelCache {
    static final int CAPACITY = 4;
    private static final Map<String, LoadedModel> MODELS = new LinkedHashMap<>(8, 0.75f, true);

    private ModelCache() {}

    /** The model for {@code source} at {@code state}, loading it on first use in this JVM. */
    public static synchronized LoadedModel get(ModelSource source, AdapterState state, int projectionDim, long seed,
                                               int engineThreads) {
        String key = String.join("\u0000", source.basePath(), source.baseSha256(), source.adapterPath(),
                source.adapterSha256(), state.name(), Integer.toString(projectionDim), Long.toString(seed));
        LoadedModel cached = MODELS.get(key);
        if (cached != null) {
            return cached;
        }
        Engine.getInstance();
        if (engineThreads > 0) {
            JniUtils.setNumThreads(engineThreads);
        }
        if (MODELS.size() >= CAPACITY) {
            String eldest = MODELS.keySet().iterator().next();
            MODELS.remove(eldest).close();
        }
        LoadedModel loaded = load(source, state, projectionDim, seed);
        MODELS.put(key, loaded);
        return loaded;
    }

    /** Closes every cached model (tests and the end of a command). */
    public static synchronized void clear() {
        MODELS.values().forEach(LoadedModel::close);
        MODELS.clear();
    }

    private static LoadedModel load(ModelSource source, AdapterState state, int projectionDim, long seed) {
        Path base = Path.of(source.basePath());
        Path adapterDirectory = Path.of(source.adapterPath());
        String baseSha = ModelDirectory.fingerprint(base);
        if (!baseSha.equals(source.baseSha256())) {
            throw new InfluenceException("base model " + base + " has sha256 " + baseSha + " but the adapter was trained on "
                    + source.baseSha256() + "; it changed since training");
        }
        String adapterSha = AdapterFingerprint.sha256(adapterDirectory);
        if (!adapterSha.equals(source.adapterSha256())) {
            throw new InfluenceException("adapter " + adapterDirectory + " has sha256 " + adapterSha + " but the adapters table "
                    + "recorded " + source.adapterSha256() + "; it changed since registration");
        }
        NDManager manager = NDManager.newBaseManager();
        try {
            LlamaModel model = LlamaModel.load(base, manager);
            LoraAdapter adapter = LoraAdapter.load(adapterDirectory, model.config(), manager);
            if (!state.isFinal()) {
                restoreCheckpoint(adapter, Path.of(state.checkpointFile()), manager);
            }
            model.useAdapter(adapter);
            model.setAdapterDropout(0);
            List<GradientProjection> projections = new ArrayList<>();
            adapter.pairs().forEach((module, pair) -> projections.add(new GradientProjection(module,
                    (int) (pair.a().size() + pair.b().size()), projectionDim, seed)));
            TextTokenizer tokenizer = TextTokenizer.forModel(base, model.config());
            return new LoadedModel(manager, model, adapter, tokenizer, List.copyOf(projections));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Overwrites the adapter's A and B with a training checkpoint's values (Trainer's "parameter/<name>" tensors). */
    private static void restoreCheckpoint(LoraAdapter adapter, Path file, NDManager manager) {
        if (!Files.isRegularFile(file)) {
            throw new InfluenceException("checkpoint " + file + " is missing");
        }
        try (SafetensorsFile checkpoint = SafetensorsFile.open(file)) {
            for (Map.Entry<String, NDArray> parameter : adapter.parameters().entrySet()) {
                String name = "parameter/" + parameter.getKey();
                if (checkpoint.entry(name).isEmpty()) {
                    throw new InfluenceException("checkpoint " + file + " has no tensor " + name);
                }
                NDArray target = parameter.getValue();
                try (NDArray loaded = ModelWeights.toArray(checkpoint.float32(name), target.getShape().getShape(), manager)) {
                    target.set(loaded.toByteBuffer());
                }
            }
        }
    }
}
