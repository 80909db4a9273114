package io.tributary.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import io.tributary.model.ModelException;
import io.tributary.model.lora.LoraAdapter;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Llama-family decoder on DJL's engine: token embedding, RMSNorm, rotary embeddings, grouped-query
 * attention with an optional KV cache, SwiGLU MLP and an optional LoRA adapter on its projections.
 * Weights keep Hugging Face's names and layouts; compute is float32 on the manager's device.
 */
public final class LlamaModel implements AutoCloseable {
    private final LlamaConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> weights;
    private final NDArray cos;
    private final NDArray sin;
    private final Map<Float, NDArray> constants = new java.util.concurrent.ConcurrentHashMap<>();
    private LoraAdapter adapter;
    private double dropout;

    public LlamaModel(LlamaConfig config, Map<String, NDArray> weights, NDManager manager) {
        this.config = config;
        this.manager = manager;
        this.weights = weights;
        float[][] tables = rotaryTables(config);
        this.cos = manager.create(tables[0], new Shape(config.maxPositionEmbeddings(), config.headDim()));
        this.sin = manager.create(tables[1], new Shape(config.maxPositionEmbeddings(), config.headDim()));
    }

    /** Loads a Hugging Face model directory onto {@code manager}'s device. */
    public static LlamaModel load(Path directory, NDManager manager) {
        LlamaConfig config = LlamaConfig.read(directory);
        return new LlamaModel(config, ModelWeights.load(directory, config, manager), manager);
    }

    /**
     * cos and sin of position x inverse frequency, with the frequencies repeated over both halves of
     * the head, as Hugging Face's Llama pairs dimension i with i + headDim/2 ("rotate half").
     */
    static float[][] rotaryTables(LlamaConfig config) {
        int dim = config.headDim();
        int positions = config.maxPositionEmbeddings();
        float[] cosTable = new float[positions * dim];
        float[] sinTable = new float[positions * dim];
        for (int i = 0; i < dim / 2; i++) {
            double inverseFrequency = 1.0 / Math.pow(config.ropeTheta(), (2.0 * i) / dim);
            for (int p = 0; p < positions; p++) {
                double angle = p * inverseFrequency;
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cosTable[p * dim + i] = c;
                cosTable[p * dim + i + dim / 2] = c;
                sinTable[p * dim + i] = s;
                sinTable[p * dim + i + dim / 2] = s;
            }
        }
        return new float[][] {cosTable, sinTable};
    }

    public LlamaConfig config() {
        return config;
    }

    public NDManager manager() {
        return manager;
    }

    /** Base weights by Hugging Face name. */
    public Map<String, NDArray> weights() {
        return weights;
    }

    /** Applies {@code adapter} to later forward passes (null removes it); the caller keeps ownership. */
    public void useAdapter(LoraAdapter adapter) {
        this.adapter = adapter;
    }

    public LoraAdapter adapter() {
        return adapter;
    }

    public double adapterDropout() {
        return dropout;
    }

    /** Dropout on the adapter's input while training; 0 for inference. */
    public void setAdapterDropout(double rate) {
        this.dropout = rate;
    }

    /** Logits [B, T, vocab] for token ids [B, T] (int64); with a cache, tokens continue the cached positions. */
    public NDArray forward(NDArray tokens, KvCache cache) {
        long batch = tokens.getShape().get(0);
        long length = tokens.getShape().get(1);
        int start = cache == null ? 0 : cache.length();
        if (start + length > config.maxPositionEmbeddings()) {
            throw new ModelException("sequence of " + (start + length) + " tokens exceeds max_position_embeddings "
                    + config.maxPositionEmbeddings());
        }
        NDArray hidden = tokens.getNDArrayInternal()
                .embedding(tokens, weights.get(WeightNames.EMBED), SparseFormat.DENSE).singletonOrThrow();
        NDArray cosSlice = cos.get(start + ":" + (start + length));
        NDArray sinSlice = sin.get(start + ":" + (start + length));
        NDArray mask = causalMask(length, start);
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            NDArray normed = rmsNorm(hidden, weights.get(WeightNames.inputNorm(layer)));
            NDArray attention = attention(normed, layer, batch, length, cosSlice, sinSlice, mask, cache);
            hidden = hidden.add(attention);
            NDArray normed2 = rmsNorm(hidden, weights.get(WeightNames.postAttentionNorm(layer)));
            NDArray gate = project(normed2, layer, "gate_proj");
            NDArray up = project(normed2, layer, "up_proj");
            NDArray activated = gate.mul(Activation.sigmoid(gate)).mul(up);
            hidden = hidden.add(project(activated, layer, "down_proj"));
        }
        if (cache != null) {
            cache.advance((int) length);
        }
        NDArray normed = rmsNorm(hidden, weights.get(WeightNames.FINAL_NORM));
        NDArray head = config.tieWordEmbeddings() ? weights.get(WeightNames.EMBED) : weights.get(WeightNames.LM_HEAD);
        return Linear.linear(normed, head).singletonOrThrow();
    }

    private NDArray attention(NDArray x, int layer, long batch, long length, NDArray cosSlice, NDArray sinSlice,
                              NDArray mask, KvCache cache) {
        int heads = config.numAttentionHeads();
        int kvHeads = config.numKeyValueHeads();
        int headDim = config.headDim();
        NDArray q = project(x, layer, "q_proj").reshape(batch, length, heads, headDim).transpose(0, 2, 1, 3);
        NDArray k = project(x, layer, "k_proj").reshape(batch, length, kvHeads, headDim).transpose(0, 2, 1, 3);
        NDArray v = project(x, layer, "v_proj").reshape(batch, length, kvHeads, headDim).transpose(0, 2, 1, 3);
        q = rotate(q, cosSlice, sinSlice);
        k = rotate(k, cosSlice, sinSlice);
        if (cache != null) {
            NDArray[] full = cache.append(layer, k, v);
            k = full[0];
            v = full[1];
        }
        long keyLength = k.getShape().get(2);
        if (config.groupSize() > 1) {
            // Query head h reads key/value head h / groupSize, as Hugging Face's repeat_kv arranges them.
            k = k.expandDims(2).repeat(2, config.groupSize()).reshape(batch, heads, keyLength, headDim);
            v = v.expandDims(2).repeat(2, config.groupSize()).reshape(batch, heads, keyLength, headDim);
        }
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(constant(1.0 / Math.sqrt(headDim)));
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray context = scores.softmax(-1).matMul(v);
        NDArray merged = context.transpose(0, 2, 1, 3).reshape(batch, length, (long) heads * headDim);
        return project(merged, layer, "o_proj");
    }

    private NDArray rotate(NDArray x, NDArray cosSlice, NDArray sinSlice) {
        NDList halves = x.split(2, 3);
        NDArray rotated = NDArrays.concat(new NDList(halves.get(1).neg(), halves.get(0)), 3);
        return x.mul(cosSlice).add(rotated.mul(sinSlice));
    }

    /** -inf above the causal diagonal of the [T, start + T] score block; null when one token sees everything. */
    private NDArray causalMask(long length, int start) {
        if (length == 1) {
            return null;
        }
        int total = (int) (start + length);
        float[] mask = new float[(int) length * total];
        for (int i = 0; i < length; i++) {
            for (int j = start + i + 1; j < total; j++) {
                mask[i * total + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return manager.create(mask, new Shape(length, total));
    }

    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray meanSquare = x.square().mean(new int[] {-1}, true);
        return x.div(meanSquare.add(constant(config.rmsNormEps())).sqrt()).mul(weight);
    }

    private NDArray project(NDArray x, int layer, String module) {
        String path = WeightNames.projection(layer, module);
        NDArray out = Linear.linear(x, weights.get(path + ".weight")).singletonOrThrow();
        LoraAdapter.LoraPair pair = adapter == null ? null : adapter.pair(path);
        if (pair == null) {
            return out;
        }
        NDArray input = dropout > 0 ? x.getNDArrayInternal().dropout(x, (float) dropout, true).singletonOrThrow() : x;
        NDArray low = Linear.linear(input, pair.a()).singletonOrThrow();
        return out.add(Linear.linear(low, pair.b()).singletonOrThrow().mul(constant(pair.scale())));
    }

    /**
     * A float32 scalar that lives as long as the model. Scalars in the graph must outlive the backward pass:
     * on CPU the engine wraps Java buffers without copying, and DJL's {@code pow(Number)} frees its exponent
     * right after the forward op while autograd keeps it, so backward read freed memory (NaN gradients, then
     * a crash) once the garbage collector ran. Every scalar of the forward pass comes from here.
     */
    public NDArray constant(double value) {
        return constants.computeIfAbsent((float) value, key -> {
            NDArray scalar = manager.create(key);
            NDScope.unregister(scalar);
            return scalar;
        });
    }

    /** Token ids as the int64 [1, T] array forward takes. */
    public NDArray tokens(int[] ids) {
        long[] wide = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            wide[i] = ids[i];
        }
        return manager.create(wide, new Shape(1, ids.length));
    }

    @Override
    public void close() {
        weights.values().forEach(NDArray::close);
        cos.close();
        sin.close();
        constants.values().forEach(NDArray::close);
    }
}
