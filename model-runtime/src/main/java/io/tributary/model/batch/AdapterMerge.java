package io.tributary.model.batch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tributary.model.ModelException;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.llama.ModelDirectory;
import io.tributary.model.safetensors.TensorDtype;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Adapter merges: one adapter folded into a copy of the base weights it touches (merge mode: W + s B A, served by a
 * {@link BatchedForward} of its own at the bare base's cost), and several adapters combined into one with weights
 * (LoRAX's {@code merged_adapters}): linearly, by concatenating their low-rank factors (exact, stays low-rank and
 * batches like any adapter), or by TIES (trim, elect sign, disjoint merge; dense, so it is served merged).
 */
public final class AdapterMerge {
    private AdapterMerge() {}

    /** An adapter and its weight in a merge. */
    public record Weighted(DeviceAdapter adapter, double weight) {}

    /**
     * A model whose weights touched by {@code adapter} are copies of the base's plus s B A; the others are the base's
     * own arrays (shared, not copied). Close it before the base.
     */
    public static LlamaModel intoBase(LlamaModel base, DeviceAdapter adapter) {
        return withDeltas(base, adapter.deltas());
    }

    /** The base with the TIES merge of {@code parts} folded in (see {@link #ties}). */
    public static LlamaModel tiesIntoBase(LlamaModel base, List<Weighted> parts, double density) {
        return withDeltas(base, ties(parts, density, base.manager()));
    }

    private static LlamaModel withDeltas(LlamaModel base, Map<String, NDArray> deltas) {
        try {
            return base.withDeltas(deltas);
        } finally {
            deltas.values().forEach(NDArray::close);
        }
    }

    /**
     * The weighted sum of adapters as one adapter, exactly: for every module, A = [A_1; A_2; ...] and
     * s B^T = [w_1 s_1 B_1^T; w_2 s_2 B_2^T; ...], so B A = sum_i w_i s_i B_i A_i with rank r_1 + r_2 + ...
     */
    public static DeviceAdapter linear(List<Weighted> parts, NDManager device) {
        requireParts(parts);
        Map<String, float[][]> factors = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (String module : modules(parts)) {
            List<float[]> a = new ArrayList<>();
            List<float[]> bt = new ArrayList<>();
            long rank = 0;
            long in = 0;
            long out = 0;
            for (Weighted part : parts) {
                DeviceAdapter.Factors pair = part.adapter().factors(module);
                if (pair == null) {
                    continue;
                }
                a.add(pair.a().toFloatArray());
                float[] scaled = pair.scaledBt().toFloatArray();
                for (int i = 0; i < scaled.length; i++) {
                    scaled[i] = (float) (scaled[i] * part.weight());
                }
                bt.add(scaled);
                rank += pair.rank();
                in = pair.a().getShape().get(1);
                out = pair.scaledBt().getShape().get(1);
            }
            factors.put(module, new float[][] {concat(a), concat(bt)});
            shapes.put(module, new long[] {rank, in, out});
        }
        return DeviceAdapter.fromFactors(describe(parts, " + "), factors, shapes, device);
    }

    private static float[] concat(List<float[]> pieces) {
        float[] out = new float[pieces.stream().mapToInt(piece -> piece.length).sum()];
        int at = 0;
        for (float[] piece : pieces) {
            System.arraycopy(piece, 0, out, at, piece.length);
            at += piece.length;
        }
        return out;
    }

    /**
     * TIES-merging (Yadav et al., 2023) of the adapters' dense deltas, per module: keep each delta's largest
     * {@code density} fraction by magnitude (trim), take the sign of the sum of the trimmed deltas per entry
     * (elect), and average, weighted, the trimmed entries that agree with it (disjoint merge): sum of w_i d_i over
     * agreeing i, divided by how many agree. Returns new dense deltas [out, in] by module path on {@code device}.
     */
    public static Map<String, NDArray> ties(List<Weighted> parts, double density, NDManager device) {
        requireParts(parts);
        if (!(density > 0 && density <= 1)) {
            throw new ModelException("TIES density must be in (0, 1], got " + density);
        }
        Map<String, NDArray> merged = new LinkedHashMap<>();
        for (String module : modules(parts)) {
            List<float[]> trimmed = new ArrayList<>();
            List<Double> weights = new ArrayList<>();
            Shape shape = null;
            for (Weighted part : parts) {
                try (NDArray delta = part.adapter().delta(module)) {
                    if (delta != null) {
                        shape = delta.getShape();
                        trimmed.add(trim(delta.toFloatArray(), density));
                        weights.add(part.weight());
                    }
                }
            }
            merged.put(module, device.create(disjointMerge(trimmed, weights), shape));
        }
        return merged;
    }

    /** Zeroes all but the {@code density} fraction of entries with the largest magnitude (ties at the cut kept). */
    static float[] trim(float[] delta, double density) {
        int keep = (int) Math.ceil(density * delta.length);
        if (keep >= delta.length) {
            return delta;
        }
        float[] magnitudes = new float[delta.length];
        for (int i = 0; i < delta.length; i++) {
            magnitudes[i] = Math.abs(delta[i]);
        }
        Arrays.sort(magnitudes);
        float cut = magnitudes[delta.length - keep];
        float[] out = new float[delta.length];
        for (int i = 0; i < delta.length; i++) {
            out[i] = Math.abs(delta[i]) >= cut ? delta[i] : 0f;
        }
        return out;
    }

    static float[] disjointMerge(List<float[]> trimmed, List<Double> weights) {
        int size = trimmed.get(0).length;
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            double total = 0;
            for (float[] delta : trimmed) {
                total += delta[i];
            }
            double sign = Math.signum(total);
            double sum = 0;
            int agreeing = 0;
            for (int d = 0; d < trimmed.size(); d++) {
                float value = trimmed.get(d)[i];
                if (value != 0 && Math.signum(value) == sign) {
                    sum += weights.get(d) * value;
                    agreeing++;
                }
            }
            out[i] = agreeing == 0 ? 0f : (float) (sum / agreeing);
        }
        return out;
    }

    /** Writes {@code base} with the adapter at {@code adapterDirectory} merged in to {@code out}; returns how many projections changed. */
    public static int merge(Path base, Path adapterDirectory, Path out) {
        try (NDManager manager = NDManager.newBaseManager(); LlamaModel model = LlamaModel.load(base, manager);
             DeviceAdapter adapter = DeviceAdapter.load(adapterDirectory, model.config(), manager);
             LlamaModel merged = intoBase(model, adapter)) {
            ModelDirectory.write(out, merged.config(), merged.weights(), TensorDtype.F32);
            ModelDirectory.copyTokenizer(base, out);
            return adapter.modules().size();
        }
    }

    private static void requireParts(List<Weighted> parts) {
        if (parts.isEmpty()) {
            throw new ModelException("a merge needs at least one adapter");
        }
        for (Weighted part : parts) {
            if (!Double.isFinite(part.weight())) {
                throw new ModelException("merge weight of " + part.adapter().name() + " is " + part.weight());
            }
        }
    }

    private static TreeSet<String> modules(List<Weighted> parts) {
        TreeSet<String> modules = new TreeSet<>();
        parts.forEach(part -> modules.addAll(part.adapter().modules()));
        return modules;
    }

    private static String describe(List<Weighted> parts, String separator) {
        StringBuilder name = new StringBuilder();
        for (Weighted part : parts) {
            name.append(name.isEmpty() ? "" : separator).append(part.weight()).append(" x ").append(part.adapter().name());
        }
        return name.toString();
    }
}
