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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Llama-family decoder on DJL's engine: token embedding, RMSNorm, rotary embeddings, grouped-query
 * attention, SwiGLU MLP and an optional LoRA adapter on its projections. Weights keep Hugging Face's names
 * and layouts, in float32 or (weight-only) int8; compute is float32 on the manager's device.
 *
 * <p>{@link #forward} runs whole sequences (training, scoring); cached and batched inference is
 * {@code io.tributary.model.batch.BatchedForward}, which builds on the public pieces of one layer here
 * ({@link #embed}, {@link #rmsNorm}, {@link #baseLinear}, {@link #rotate}, {@link #mlp}, {@link #logits}).
 */
public final class LlamaModel implements AutoCloseable {
    private final LlamaConfig config;
    private final NDManager manager;
    private final Quantization quantization;
    /** Float32 arrays by Hugging Face name: every weight, or only the norms (and merged copies) of an int8 model. */
    private final Map<String, NDArray> weights;
    /** Int8 matrices by Hugging Face name (empty for a float32 model). */
    private final Map<String, Int8Matrix> int8;
    /** The arrays this model frees on close: all of them, or only a merged model's own copies. */
    private final List<AutoCloseable> owned;
    private final NDArray cos;
    private final NDArray sin;
    private final boolean ownsRotaryTables;
    private final Map<Float, NDArray> constants = new java.util.concurrent.ConcurrentHashMap<>();
    private LoraAdapter adapter;
    private double dropout;

    /** A float32 model over {@code weights} (Hugging Face names), which it owns from now on. */
    public LlamaModel(LlamaConfig config, Map<String, NDArray> weights, NDManager manager) {
        this(config, manager, Quantization.FLOAT32, weights, Map.of(), new ArrayList<>(weights.values()), null, null);
    }

    private LlamaModel(LlamaConfig config, NDManager manager, Quantization quantization, Map<String, NDArray> weights,
                       Map<String, Int8Matrix> int8, List<AutoCloseable> owned, NDArray cos, NDArray sin) {
        this.config = config;
        this.manager = manager;
        this.quantization = quantization;
        this.weights = weights;
        this.int8 = int8;
        this.owned = owned;
        this.ownsRotaryTables = cos == null;
        if (cos == null) {
            float[][] tables = rotaryTables(config);
            Shape shape = new Shape(config.maxPositionEmbeddings(), config.headDim());
            cos = manager.create(tables[0], shape);
            sin = manager.create(tables[1], shape);
        }
        this.cos = cos;
        this.sin = sin;
    }

    /** Loads a Hugging Face model directory onto {@code manager}'s device in float32. */
    public static LlamaModel load(Path directory, NDManager manager) {
        return load(directory, manager, Quantization.FLOAT32);
    }

    /**
     * Loads a model directory; with {@link Quantization#INT8} every matrix (projections, embedding, LM head) is
     * quantized right after it is read and its float32 copy freed, so the float32 model is never held whole.
     */
    public static LlamaModel load(Path directory, NDManager manager, Quantization quantization) {
        LlamaConfig config = LlamaConfig.read(directory);
        if (quantization == Quantization.FLOAT32) {
            return new LlamaModel(config, ModelWeights.load(directory, config, manager), manager);
        }
        QuantizingSink sink = new QuantizingSink();
        try {
            ModelWeights.load(directory, config, manager, sink);
        } catch (RuntimeException e) {
            sink.close();
            throw e;
        }
        return sink.model(config, manager, quantization);
    }

    /** A model over float32 {@code weights} (which it owns from now on), quantized as asked. */
    public static LlamaModel of(LlamaConfig config, Map<String, NDArray> weights, NDManager manager, Quantization quantization) {
        if (quantization == Quantization.FLOAT32) {
            return new LlamaModel(config, weights, manager);
        }
        QuantizingSink sink = new QuantizingSink();
        weights.forEach(sink);
        return sink.model(config, manager, quantization);
    }

    /** Takes float32 weights one at a time: matrices become int8 (the float copy freed at once), norms stay. */
    private static final class QuantizingSink implements java.util.function.BiConsumer<String, NDArray> {
        private final Map<String, NDArray> norms = new LinkedHashMap<>();
        private final Map<String, Int8Matrix> matrices = new LinkedHashMap<>();

        @Override
        public void accept(String name, NDArray array) {
            if (array.getShape().dimension() == 2) {
                try (array) {
                    matrices.put(name, Int8Matrix.quantize(array));
                }
            } else {
                norms.put(name, array);
            }
        }

        LlamaModel model(LlamaConfig config, NDManager manager, Quantization quantization) {
            List<AutoCloseable> owned = new ArrayList<>(norms.values());
            owned.addAll(matrices.values());
            return new LlamaModel(config, manager, quantization, norms, matrices, owned, null, null);
        }

        void close() {
            norms.values().forEach(NDArray::close);
            matrices.values().forEach(Int8Matrix::close);
        }
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

    public Quantization quantization() {
        return quantization;
    }

    /** Base weights by Hugging Face name, all float32 (what training and model writers need). */
    public Map<String, NDArray> weights() {
        if (quantization != Quantization.FLOAT32) {
            throw new ModelException("this model holds int8 weights; load it without quantization to train or write it");
        }
        return weights;
    }

    /** Bytes of every weight array the model reads (int8 values, their scales, float32 arrays). */
    public long weightBytes() {
        return int8.values().stream().mapToLong(Int8Matrix::bytes).sum() + floatWeightBytes();
    }

    /** Bytes of the float32 arrays among them (all of a float32 model; the norms, and merged copies, of an int8 one). */
    public long floatWeightBytes() {
        return weights.values().stream().mapToLong(array -> array.size() * array.getDataType().getNumOfBytes()).sum();
    }

    /** Bytes of the weight arrays this model frees on close; for a merged model, only its merged copies. */
    public long ownWeightBytes() {
        long bytes = 0;
        for (AutoCloseable array : owned) {
            bytes += array instanceof Int8Matrix matrix ? matrix.bytes()
                    : ((NDArray) array).size() * ((NDArray) array).getDataType().getNumOfBytes();
        }
        return bytes;
    }

    /**
     * A model whose matrices named in {@code deltas} (module paths such as {@code model.layers.0.self_attn.q_proj},
     * each a float32 [out, in] delta) are copies of this model's plus the delta: W + delta, in float32 even over an
     * int8 base (widened, so the merged model gives the unmerged adapter's result). Every other weight is shared
     * with this model, not copied; the merged model frees only its copies, and must be closed before this one.
     */
    public LlamaModel withDeltas(Map<String, NDArray> deltas) {
        Map<String, NDArray> merged = new LinkedHashMap<>(weights);
        Map<String, Int8Matrix> quantized = new LinkedHashMap<>(int8);
        List<AutoCloseable> copies = new ArrayList<>();
        try {
            for (Map.Entry<String, NDArray> delta : deltas.entrySet()) {
                String name = delta.getKey() + ".weight";
                Int8Matrix matrix = quantized.remove(name);
                NDArray base = matrix != null ? matrix.dequantized() : merged.get(name);
                if (base == null || base.getShape().dimension() != 2) {
                    throw new ModelException("cannot merge into '" + delta.getKey() + "': the model has no such projection");
                }
                if (!base.getShape().equals(delta.getValue().getShape())) {
                    throw new ModelException("delta of " + delta.getKey() + " is " + delta.getValue().getShape()
                            + ", the weight is " + base.getShape());
                }
                NDArray sum = base.add(delta.getValue());
                NDScope.unregister(sum);
                if (matrix != null) {
                    base.close();
                }
                merged.put(name, sum);
                copies.add(sum);
            }
        } catch (RuntimeException e) {
            copies.forEach(LlamaModel::closeQuietly);
            throw e;
        }
        return new LlamaModel(config, manager, quantization, merged, quantized, copies, cos, sin);
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

    /** Logits [B, T, vocab] for token ids [B, T] (int64), every position attending to the ones before it. */
    public NDArray forward(NDArray tokens) {
        long batch = tokens.getShape().get(0);
        long length = tokens.getShape().get(1);
        if (length > config.maxPositionEmbeddings()) {
            throw new ModelException("sequence of " + length + " tokens exceeds max_position_embeddings "
                    + config.maxPositionEmbeddings());
        }
        NDArray hidden = embed(tokens);
        NDArray cosSlice = cos.get("0:" + length);
        NDArray sinSlice = sin.get("0:" + length);
        NDArray mask = causalMask(length);
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            NDArray normed = rmsNorm(hidden, WeightNames.inputNorm(layer));
            hidden = hidden.add(attention(normed, layer, batch, length, cosSlice, sinSlice, mask));
            hidden = hidden.add(mlp(rmsNorm(hidden, WeightNames.postAttentionNorm(layer)), layer, this::project));
        }
        return logits(hidden);
    }

    private NDArray attention(NDArray x, int layer, long batch, long length, NDArray cosSlice, NDArray sinSlice,
                              NDArray mask) {
        int heads = config.numAttentionHeads();
        int kvHeads = config.numKeyValueHeads();
        int headDim = config.headDim();
        NDArray q = project(x, layer, "q_proj").reshape(batch, length, heads, headDim).transpose(0, 2, 1, 3);
        NDArray k = project(x, layer, "k_proj").reshape(batch, length, kvHeads, headDim).transpose(0, 2, 1, 3);
        NDArray v = project(x, layer, "v_proj").reshape(batch, length, kvHeads, headDim).transpose(0, 2, 1, 3);
        q = rotate(q, cosSlice, sinSlice);
        k = rotate(k, cosSlice, sinSlice);
        if (config.groupSize() > 1) {
            // Query head h reads key/value head h / groupSize, as Hugging Face's repeat_kv arranges them.
            k = k.expandDims(2).repeat(2, config.groupSize()).reshape(batch, heads, length, headDim);
            v = v.expandDims(2).repeat(2, config.groupSize()).reshape(batch, heads, length, headDim);
        }
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(constant(1.0 / Math.sqrt(headDim)));
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray context = scores.softmax(-1).matMul(v);
        NDArray merged = context.transpose(0, 2, 1, 3).reshape(batch, length, (long) heads * headDim);
        return project(merged, layer, "o_proj");
    }

    /**
     * Rotary embedding of x [..., positions, heads or 1, headDim] or any shape whose last axis is the head
     * dimension, with cos and sin broadcast against it: x cos + rotate_half(x) sin.
     */
    public static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
        int last = x.getShape().dimension() - 1;
        NDList halves = x.split(2, last);
        NDArray rotated = NDArrays.concat(new NDList(halves.get(1).neg(), halves.get(0)), last);
        return x.mul(cos).add(rotated.mul(sin));
    }

    /** -inf above the causal diagonal of the [T, T] score block; null when one token sees everything. */
    private NDArray causalMask(long length) {
        if (length == 1) {
            return null;
        }
        float[] mask = new float[(int) (length * length)];
        for (int i = 0; i < length; i++) {
            for (int j = i + 1; j < length; j++) {
                mask[(int) (i * length + j)] = Float.NEGATIVE_INFINITY;
            }
        }
        return manager.create(mask, new Shape(length, length));
    }

    /** Token embeddings [..., hidden] of int64 ids [...]. */
    public NDArray embed(NDArray ids) {
        Int8Matrix quantized = int8.get(WeightNames.EMBED);
        if (quantized != null) {
            return quantized.rows(ids);
        }
        return ids.getNDArrayInternal().embedding(ids, weights.get(WeightNames.EMBED), SparseFormat.DENSE).singletonOrThrow();
    }

    /** RMSNorm of x over its last axis with the norm weight named {@code weightName}. */
    public NDArray rmsNorm(NDArray x, String weightName) {
        NDArray meanSquare = x.square().mean(new int[] {-1}, true);
        return x.div(meanSquare.add(constant(config.rmsNormEps())).sqrt()).mul(weights.get(weightName));
    }

    /** x W^T with the base weight named {@code weightName} (float32 or int8), no adapter. */
    public NDArray baseLinear(NDArray x, String weightName) {
        Int8Matrix quantized = int8.get(weightName);
        if (quantized != null) {
            return quantized.apply(x);
        }
        NDArray weight = weights.get(weightName);
        if (weight == null) {
            throw new IllegalArgumentException("no weight " + weightName);
        }
        return Linear.linear(x, weight).singletonOrThrow();
    }

    /** Logits [..., vocab] of the last layer's hidden states [..., hidden]: final norm, then the LM head. */
    public NDArray logits(NDArray hidden) {
        NDArray normed = rmsNorm(hidden, WeightNames.FINAL_NORM);
        return baseLinear(normed, config.tieWordEmbeddings() ? WeightNames.EMBED : WeightNames.LM_HEAD);
    }

    /** The SwiGLU MLP of {@code layer}: down(silu(gate(x)) * up(x)), each projection through {@code projector}. */
    public NDArray mlp(NDArray x, int layer, Projector projector) {
        NDArray gate = projector.project(x, layer, "gate_proj");
        NDArray up = projector.project(x, layer, "up_proj");
        NDArray activated = gate.mul(Activation.sigmoid(gate)).mul(up);
        return projector.project(activated, layer, "down_proj");
    }

    /** The cos table [max_position_embeddings, head_dim] of the rotary embedding. */
    public NDArray rotaryCos() {
        return cos;
    }

    /** The sin table [max_position_embeddings, head_dim] of the rotary embedding. */
    public NDArray rotarySin() {
        return sin;
    }

    /** One projection of one layer (x [..., in] to [..., out]), with whatever adapter the caller applies. */
    @FunctionalInterface
    public interface Projector {
        NDArray project(NDArray x, int layer, String module);
    }

    private NDArray project(NDArray x, int layer, String module) {
        String path = WeightNames.projection(layer, module);
        NDArray out = baseLinear(x, path + ".weight");
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

    /** Names of the int8 matrices (empty for a float32 model). */
    public java.util.Set<String> quantizedWeights() {
        return Collections.unmodifiableSet(int8.keySet());
    }

    @Override
    public void close() {
        owned.forEach(LlamaModel::closeQuietly);
        if (ownsRotaryTables) {
            cos.close();
            sin.close();
        }
        constants.values().forEach(NDArray::close);
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
