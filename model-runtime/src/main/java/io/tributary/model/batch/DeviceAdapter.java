package io.tributary.model.batch;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tributary.model.ModelException;
import io.tributary.model.llama.LlamaConfig;
import io.tributary.model.llama.WeightNames;
import io.tributary.model.lora.LoraAdapter;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One adapter's LoRA weights on the engine's device (GPU when present), ready for batched application: per
 * targeted projection, A [r, in] and the scaled, transposed up-projection s B^T [r, out], so a row's delta is
 * (x A^T)(s B^T). Ranks may differ between adapters and between modules of one adapter.
 *
 * <p>Closing frees the device memory; while {@link Sequence}s still use the adapter, the memory is freed when the
 * last of them closes (so a cache may evict an adapter that running requests still hold). Loading is safe from
 * any thread.
 */
public final class DeviceAdapter implements AutoCloseable {
    private static final Pattern MODULE = Pattern.compile("model\\.layers\\.(\\d+)\\.(?:self_attn|mlp)\\.(\\w+)");

    private final String name;
    private final NDManager manager;
    private final Map<String, Factors> modules;
    private final int rank;
    private final long deviceBytes;
    private int users;
    private boolean closing;
    private boolean freed;

    /** A [r, in] and s B^T [r, out] of one projection. */
    record Factors(NDArray a, NDArray scaledBt, int rank) {
        Factors(NDArray a, NDArray scaledBt) {
            this(a, scaledBt, (int) a.getShape().get(0));
        }
    }

    private DeviceAdapter(String name, NDManager manager, Map<String, Factors> modules) {
        if (modules.isEmpty()) {
            manager.close();
            throw new ModelException("adapter " + name + " has no LoRA matrices");
        }
        this.name = name;
        this.manager = manager;
        this.modules = Collections.unmodifiableMap(modules);
        this.rank = modules.values().stream().mapToInt(Factors::rank).max().orElse(0);
        this.deviceBytes = modules.values().stream().mapToLong(f -> 4 * (f.a().size() + f.scaledBt().size())).sum();
    }

    /** Reads a PEFT adapter directory ({@code adapter_config.json} + {@code adapter_model.safetensors}) onto {@code device}. */
    public static DeviceAdapter load(Path peftDirectory, LlamaConfig base, NDManager device) {
        try (NDManager host = NDManager.newBaseManager(Device.cpu());
             LoraAdapter adapter = LoraAdapter.load(peftDirectory, base, host)) {
            return of(adapter, device, peftDirectory.toString());
        }
    }

    /** A device copy of host-side (or any device's) weights; the caller keeps {@code adapter}. */
    public static DeviceAdapter of(LoraAdapter adapter, NDManager device) {
        return of(adapter, device, adapter.baseModel().isEmpty() ? "adapter" : "adapter of " + adapter.baseModel());
    }

    private static DeviceAdapter of(LoraAdapter adapter, NDManager device, String name) {
        Map<String, float[][]> factors = new TreeMap<>();
        Map<String, long[]> shapes = new TreeMap<>();
        adapter.pairs().forEach((module, pair) -> {
            long[] aShape = pair.a().getShape().getShape();
            long[] bShape = pair.b().getShape().getShape();
            int rank = (int) aShape[0];
            int out = (int) bShape[0];
            float[] b = pair.b().toFloatArray();
            float[] scaledBt = new float[b.length];
            float scale = (float) pair.scale();
            for (int o = 0; o < out; o++) {
                for (int r = 0; r < rank; r++) {
                    scaledBt[r * out + o] = b[o * rank + r] * scale;
                }
            }
            factors.put(module, new float[][] {pair.a().toFloatArray(), scaledBt});
            shapes.put(module, new long[] {rank, aShape[1], out});
        });
        return fromFactors(name, factors, shapes, device);
    }

    /** An adapter from host factors per module path: {A [r*in], s B^T [r*out]} with shapes {r, in, out}. */
    static DeviceAdapter fromFactors(String name, Map<String, float[][]> factors, Map<String, long[]> shapes,
                                     NDManager device) {
        // A batch multiplies every row by the factors of all of its adapters and masks the others' products to zero
        // (LoraStep), and 0 x NaN is NaN: one adapter with a non-finite value would corrupt other requests' rows.
        factors.forEach((module, pair) -> {
            for (float[] values : pair) {
                for (float value : values) {
                    if (!Float.isFinite(value)) {
                        throw new ModelException("adapter " + name + ": " + module + " holds a non-finite value (" + value + ")");
                    }
                }
            }
        });
        NDManager own = device.newSubManager();
        Map<String, Factors> modules = new LinkedHashMap<>();
        try {
            factors.forEach((module, pair) -> {
                long[] shape = shapes.get(module);
                NDArray a = own.create(pair[0], new Shape(shape[0], shape[1]));
                NDArray bt = own.create(pair[1], new Shape(shape[0], shape[2]));
                modules.put(module, new Factors(a, bt));
            });
        } catch (RuntimeException e) {
            own.close();
            throw e;
        }
        return new DeviceAdapter(name, own, modules);
    }

    /** Where the adapter came from, for messages. */
    public String name() {
        return name;
    }

    /** The largest rank over its modules. */
    public int rank() {
        return rank;
    }

    /** Bytes of its matrices on the device. */
    public long deviceBytes() {
        return deviceBytes;
    }

    /** The module paths it targets ({@code model.layers.0.self_attn.q_proj}, ...). */
    public Set<String> modules() {
        return modules.keySet();
    }

    /** The dense delta s B A [out, in] of one module (a new array the caller closes), or null when not targeted. */
    public NDArray delta(String module) {
        Factors factors = factors(module);
        return factors == null ? null : factors.scaledBt().transpose().matMul(factors.a());
    }

    /** Every module's dense delta (new arrays the caller closes). */
    public Map<String, NDArray> deltas() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        modules.keySet().forEach(module -> out.put(module, delta(module)));
        return out;
    }

    /** The factors of one module (null when not targeted); usable while sequences hold the adapter, even closing. */
    synchronized Factors factors(String module) {
        if (freed) {
            throw new ModelException("adapter " + name + " is closed");
        }
        return modules.get(module);
    }

    NDManager manager() {
        return manager;
    }

    /** Refuses an adapter whose matrices do not fit a model of {@code config}, naming the module at fault. */
    void requireFits(LlamaConfig config) {
        for (Map.Entry<String, Factors> entry : modules.entrySet()) {
            Matcher matcher = MODULE.matcher(entry.getKey());
            if (!matcher.matches() || Integer.parseInt(matcher.group(1)) >= config.numHiddenLayers()
                    || !WeightNames.isProjection(matcher.group(2))) {
                throw new ModelException("adapter " + name + " targets " + entry.getKey() + ", which this model does not have");
            }
            long[] weight = WeightNames.projectionShape(config, matcher.group(2));
            Factors factors = entry.getValue();
            if (factors.a().getShape().get(1) != weight[1] || factors.scaledBt().getShape().get(1) != weight[0]) {
                throw new ModelException("adapter " + name + ": " + entry.getKey() + " maps " + factors.a().getShape().get(1)
                        + " -> " + factors.scaledBt().getShape().get(1) + ", the model's is " + weight[1] + " -> " + weight[0]);
            }
        }
    }

    synchronized void retain() {
        requireOpen();
        users++;
    }

    synchronized void release() {
        users--;
        if (closing && users == 0) {
            free();
        }
    }

    synchronized boolean isClosed() {
        return closing;
    }

    private synchronized void requireOpen() {
        if (closing) {
            throw new ModelException("adapter " + name + " is closed");
        }
    }

    /** Frees the device memory now, or when the last sequence using it closes. */
    @Override
    public synchronized void close() {
        closing = true;
        if (users == 0) {
            free();
        }
    }

    private void free() {
        if (!freed) {
            freed = true;
            manager.close();
        }
    }
}
