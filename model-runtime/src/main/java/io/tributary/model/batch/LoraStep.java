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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The LoRA deltas of one step, Punica/S-LoRA style: no per-adapter products over the whole batch.
 *
 * <ul>
 *   <li>Rows of adapters with few rows in the step (typically decode rows of many different adapters) take their
 *   factors from the engine's {@link AdapterPool}, one of two ways chosen per step:
 *   <ul>
 *     <li>masked (while rows x the step's summed ranks stays under {@link #MASKED_LIMIT}): the step's adapters'
 *     rows of the pool [ranks, in/out] are gathered once per projection, every row is multiplied by all of them
 *     (x A^T: [rows, ranks]), a 0/1 mask keeps each row's own adapter's columns, and one product with s B^T gives
 *     the deltas. Its arithmetic grows with rows x adapters, but it is three dense products, which on a CPU
 *     measured 5-11x cheaper on one projection than the per-row gather below at 32 to 64 rows of 20 to 64
 *     adapters, 128 or 576 wide ({@code LoraWaysBench}); a whole engine step at 1,000 adapters gained only
 *     7-10% (docs/benchmarks.md);</li>
 *     <li>per row: each row gathers its own adapter's A rows and s B^T rows ([rows, rank, in/out]; rank slots past
 *     an adapter's rank point at the zero row) and two batched products give its delta: work tokens x rank, for
 *     steps too wide for the mask.</li>
 *   </ul>
 *   The index and mask are built once per step and serve every projection of every layer.</li>
 *   <li>An adapter with many rows (a prefill, or many requests of one adapter): two plain products on its slice.</li>
 *   <li>Rows of the bare base model: no work.</li>
 * </ul>
 * The deltas are concatenated in row order and added to the base projection once.
 */
final class LoraStep {
    /** The largest mask (gathered rows x summed ranks of their adapters) for which the masked way is taken. */
    static final int MASKED_LIMIT = 64 * 1024;

    private final int maskedLimit;
    private final StepPlan plan;
    private final NDManager manager;
    private final AdapterPool pool;
    /**
     * Masked way: the pool rows of the step's adapters [ranks]; per-row way: [gatheredRows, width] pool rows of each
     * row's rank slots. Null when no row is gathered.
     */
    private NDArray gatherIndex;
    /** Masked way: [gatheredRows, ranks], 1 where a column belongs to the row's adapter; null on the per-row way. */
    private NDArray mask;
    private int width;
    /** The last input seen, its gathered rows, and those reshaped [rows, 1, in]: q, k and v share one input. */
    private NDArray lastInput;
    private NDArray lastGatheredRows;
    private NDArray lastGatheredInput;
    /** Projections that some adapter of the step targets: the others get no delta and cost nothing. */
    private final Set<String> targeted = new HashSet<>();

    LoraStep(StepPlan plan, NDManager manager, AdapterPool pool, int maskedLimit) {
        this.maskedLimit = maskedLimit;
        this.plan = plan;
        this.manager = manager;
        this.pool = pool;
        plan.gatheredAdapters.forEach(adapter -> targeted.addAll(adapter.modules()));
        plan.blocks.stream().filter(block -> block.adapter() != null).forEach(block -> targeted.addAll(block.adapter().modules()));
        // Built before the first layer (in the step's scope, freed when the step ends) and used by every projection.
        if (plan.gatheredRows > 0) {
            buildIndex();
        }
    }

    boolean active() {
        return plan.anyAdapter;
    }

    /** The delta [rows, out] of projection {@code path} for x [rows, in], or null when no row's adapter targets it. */
    NDArray delta(NDArray x, String path, long out) {
        if (!targeted.contains(path)) {
            return null;
        }
        List<NDArray> pieces = new ArrayList<>();
        if (plan.gatheredRows > 0) {
            NDArray gathered = gatheredTargets(path) ? gathered(x, path) : null;
            pieces.add(gathered != null ? gathered : manager.zeros(new Shape(plan.gatheredRows, out)));
        }
        int zeroRows = 0;
        for (StepPlan.Block block : plan.blocks) {
            DeviceAdapter.Factors factors = block.adapter() == null ? null : block.adapter().factors(path);
            if (factors == null) {
                zeroRows += block.end() - block.start();
                continue;
            }
            if (zeroRows > 0) {
                pieces.add(manager.zeros(new Shape(zeroRows, out)));
                zeroRows = 0;
            }
            NDArray rows = block.start() == 0 && block.end() == plan.rows ? x : x.get(new NDIndex().addSliceDim(block.start(), block.end()));
            NDArray low = Linear.linear(rows, factors.a()).singletonOrThrow();
            pieces.add(low.matMul(factors.scaledBt()));
        }
        if (zeroRows > 0) {
            pieces.add(manager.zeros(new Shape(zeroRows, out)));
        }
        return pieces.size() == 1 ? pieces.get(0) : NDArrays.concat(new NDList(pieces.toArray(NDArray[]::new)), 0);
    }

    private NDArray gathered(NDArray x, String path) {
        NDArray[] slabs = pool.slabs(path);
        int rows = plan.gatheredRows;
        if (mask != null) {
            NDArray input = gatheredRowsOf(x);
            NDArray a = gatherRows(gatherIndex, slabs[0]);
            NDArray bt = gatherRows(gatherIndex, slabs[1]);
            return Linear.linear(input, a).singletonOrThrow().mul(mask).matMul(bt);
        }
        long in = slabs[0].getShape().get(1);
        long out = slabs[1].getShape().get(1);
        NDArray input = gatheredInput(x, rows, in);
        // x A^T per row as a broadcast product summed over `in` ([rows, rank, in] * [rows, 1, in]): PyTorch's CPU
        // batched matrix-vector product measured 3-4x slower than this for these shapes. Then [rows, 1, rank] x
        // [rows, rank, out], where the batched product is the faster one.
        NDArray a = gatherRows(gatherIndex, slabs[0]);
        NDArray low = a.mul(input).sum(new int[] {2}).reshape(rows, 1, width);
        NDArray bt = gatherRows(gatherIndex, slabs[1]);
        return low.matMul(bt).reshape(rows, out);
    }

    /** True when some adapter of the gathered rows targets the projection. */
    private boolean gatheredTargets(String path) {
        for (DeviceAdapter adapter : plan.gatheredAdapters) {
            if (adapter.modules().contains(path)) {
                return true;
            }
        }
        return false;
    }

    /** Rows [0, gatheredRows) of x, sliced once per input (q, k and v share one input; so do gate and up). */
    private NDArray gatheredRowsOf(NDArray x) {
        if (x != lastInput) {
            lastGatheredRows = plan.gatheredRows == plan.rows ? x : x.get(new NDIndex().addSliceDim(0, plan.gatheredRows));
            lastGatheredInput = null;
            lastInput = x;
        }
        return lastGatheredRows;
    }

    /** The gathered rows of x reshaped [rows, 1, in] for the per-row way. */
    private NDArray gatheredInput(NDArray x, int rows, long in) {
        NDArray input = gatheredRowsOf(x);
        if (lastGatheredInput == null) {
            lastGatheredInput = input.reshape(rows, 1, in);
        }
        return lastGatheredInput;
    }

    /** The rows of {@code slab} that {@code index} names (any index shape; one row of the slab per entry). */
    static NDArray gatherRows(NDArray index, NDArray slab) {
        return index.getNDArrayInternal().embedding(index, slab, SparseFormat.DENSE).singletonOrThrow();
    }

    /** The gather index (and mask) of the step, after placing its adapters in the pool. */
    private void buildIndex() {
        int[][] rowsOf = pool.rows(plan.gatheredAdapters);
        int rows = plan.gatheredRows;
        int ranks = 0;
        for (int[] held : rowsOf) {
            ranks += held.length;
            width = Math.max(width, held.length);
        }
        if ((long) rows * ranks <= maskedLimit) {
            buildMask(rowsOf, rows, ranks);
        } else {
            buildRowIndex(rowsOf, rows);
        }
    }

    private void buildMask(int[][] rowsOf, int rows, int ranks) {
        long[] index = new long[ranks];
        int[] firstColumn = new int[rowsOf.length];
        int column = 0;
        for (int adapter = 0; adapter < rowsOf.length; adapter++) {
            firstColumn[adapter] = column;
            for (int row : rowsOf[adapter]) {
                index[column++] = row;
            }
        }
        float[] ones = new float[rows * ranks];
        for (int row = 0; row < rows; row++) {
            int adapter = plan.gatheredAdapterOfRow[row];
            java.util.Arrays.fill(ones, row * ranks + firstColumn[adapter], row * ranks + firstColumn[adapter] + rowsOf[adapter].length, 1f);
        }
        gatherIndex = manager.create(index);
        mask = manager.create(ones, new Shape(rows, ranks));
    }

    /** Index [gatheredRows, width] into the pool's slabs: each row's adapter's rows, then the zero row 0. */
    private void buildRowIndex(int[][] rowsOf, int rows) {
        long[] index = new long[rows * width];
        for (int row = 0; row < rows; row++) {
            int[] held = rowsOf[plan.gatheredAdapterOfRow[row]];
            for (int j = 0; j < held.length; j++) {
                index[row * width + j] = held[j];
            }
        }
        gatherIndex = manager.create(index, new Shape(rows, width));
    }
}
