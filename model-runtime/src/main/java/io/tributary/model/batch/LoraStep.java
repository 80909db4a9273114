package io.tributary.model.batch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;

/**
 * The LoRA deltas of one step, Punica/S-LoRA style: work proportional to tokens x rank, never adapters x batch.
 *
 * <ul>
 *   <li>Rows of adapters with few rows in the step (typically decode rows of many different adapters): each row
 *   gathers its own adapter's A rows and s B^T rows by index from the engine's {@link AdapterPool} ([rows, rank,
 *   in/out]; rank slots past an adapter's rank point at a zero row), and two batched products give every row its
 *   delta at once. The index is built once per step and serves every projection of every layer.</li>
 *   <li>An adapter with many rows (a prefill, or many requests of one adapter): two plain products on its slice.</li>
 *   <li>Rows of the bare base model: no work.</li>
 * </ul>
 * The deltas are concatenated in row order and added to the base projection once.
 */
final class LoraStep {
    private final StepPlan plan;
    private final NDManager manager;
    private final AdapterPool pool;
    /** [gatheredRows, width] pool rows of each gathered row's rank slots (null when no row is gathered). */
    private final NDArray gatherIndex;
    private int width;
    /** The last input seen and its gathered rows reshaped [rows, 1, in]: q, k and v share one input. */
    private NDArray lastInput;
    private NDArray lastGatheredInput;

    LoraStep(StepPlan plan, NDManager manager, AdapterPool pool) {
        this.plan = plan;
        this.manager = manager;
        this.pool = pool;
        // Built before the first layer (in the step's scope, freed when the step ends) and used by every projection.
        this.gatherIndex = plan.gatheredRows > 0 ? buildGatherIndex() : null;
    }

    boolean active() {
        return plan.baseStart > 0;
    }

    /** The delta [rows, out] of projection {@code path} for x [rows, in], or null when no row's adapter targets it. */
    NDArray delta(NDArray x, String path, long out) {
        List<NDArray> pieces = new ArrayList<>();
        boolean any = false;
        if (plan.gatheredRows > 0) {
            NDArray gathered = gathered(x, path);
            any = gathered != null;
            pieces.add(gathered != null ? gathered : manager.zeros(new Shape(plan.gatheredRows, out)));
        }
        for (StepPlan.Block block : plan.directBlocks) {
            DeviceAdapter.Factors factors = block.adapter().factors(path);
            if (factors == null) {
                pieces.add(manager.zeros(new Shape(block.end() - block.start(), out)));
                continue;
            }
            any = true;
            NDArray rows = block.start() == 0 && block.end() == plan.rows ? x : x.get(new NDIndex().addSliceDim(block.start(), block.end()));
            NDArray low = Linear.linear(rows, factors.a()).singletonOrThrow();
            pieces.add(low.matMul(factors.scaledBt()));
        }
        if (!any) {
            return null;
        }
        if (plan.baseStart < plan.rows) {
            pieces.add(manager.zeros(new Shape(plan.rows - plan.baseStart, out)));
        }
        return pieces.size() == 1 ? pieces.get(0) : NDArrays.concat(new NDList(pieces.toArray(NDArray[]::new)), 0);
    }

    private NDArray gathered(NDArray x, String path) {
        if (!targeted(path)) {
            return null;
        }
        NDArray[] slabs = pool.slabs(path);
        int rows = plan.gatheredRows;
        long in = slabs[0].getShape().get(1);
        long out = slabs[1].getShape().get(1);
        NDArray input = gatheredInput(x, rows, in);
        // x A^T per row as a broadcast product summed over `in` ([rows, rank, in] * [rows, 1, in]): PyTorch's CPU
        // batched matrix-vector product measured 3-4x slower than this for these shapes. Then [rows, 1, rank] x
        // [rows, rank, out], where the batched product is the faster one.
        NDArray a = gatherIndex.getNDArrayInternal().embedding(gatherIndex, slabs[0], SparseFormat.DENSE).singletonOrThrow();
        NDArray low = a.mul(input).sum(new int[] {2}).reshape(rows, 1, width);
        NDArray bt = gatherIndex.getNDArrayInternal().embedding(gatherIndex, slabs[1], SparseFormat.DENSE).singletonOrThrow();
        return low.matMul(bt).reshape(rows, out);
    }

    /** True when some adapter of the gathered rows targets the projection. */
    private boolean targeted(String path) {
        for (DeviceAdapter adapter : plan.gatheredAdapters) {
            if (adapter.modules().contains(path)) {
                return true;
            }
        }
        return false;
    }

    private NDArray gatheredInput(NDArray x, int rows, long in) {
        if (x != lastInput) {
            NDArray input = rows == plan.rows ? x : x.get(new NDIndex().addSliceDim(0, rows));
            lastGatheredInput = input.reshape(rows, 1, in);
            lastInput = x;
        }
        return lastGatheredInput;
    }

    /** Index [gatheredRows, width] into the pool's slabs: each row's adapter's rows, then the zero row 0. */
    private NDArray buildGatherIndex() {
        List<DeviceAdapter> adapters = plan.gatheredAdapters;
        int[][] rowsOf = pool.rows(adapters);
        width = 0;
        for (int[] held : rowsOf) {
            width = Math.max(width, held.length);
        }
        int rows = plan.gatheredRows;
        long[] index = new long[rows * width];
        for (int row = 0; row < rows; row++) {
            int[] held = rowsOf[plan.gatheredAdapterOfRow[row]];
            for (int j = 0; j < held.length; j++) {
                index[row * width + j] = held[j];
            }
        }
        return manager.create(index, new Shape(rows, width));
    }
}
