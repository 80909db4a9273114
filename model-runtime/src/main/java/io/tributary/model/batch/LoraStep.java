package io.tributary.model.batch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The LoRA deltas of one step, Punica/S-LoRA style: work proportional to tokens x rank, never adapters x batch.
 *
 * <ul>
 *   <li>Rows of adapters with few rows in the step (typically decode rows of many different adapters): the
 *   factors of those adapters are concatenated along the rank axis into one table per projection (behind a zero
 *   row), each row gathers its own adapter's A rows and s B^T rows by index ([rows, maxRank, in/out], ranks below
 *   the maximum point at the zero row), and two batched matrix products give every row its delta at once.</li>
 *   <li>An adapter with many rows (a prefill, or many requests of one adapter): two plain products on its slice.</li>
 *   <li>Rows of the bare base model: no work.</li>
 * </ul>
 * The deltas are concatenated in row order and added to the base projection once.
 */
final class LoraStep implements AutoCloseable {
    private final StepPlan plan;
    private final NDManager manager;
    private final GatherTables tables;
    private final Map<List<Integer>, NDArray> gatherIndexes = new HashMap<>();

    LoraStep(StepPlan plan, NDManager manager, GatherTables tables) {
        this.plan = plan;
        this.manager = manager;
        this.tables = tables;
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
            NDArray rows = block.start() == 0 && block.end() == plan.rows ? x : x.get(block.start() + ":" + block.end());
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
        List<DeviceAdapter> adapters = plan.gatheredAdapters;
        int[] ranks = new int[adapters.size()];
        int maxRank = 0;
        for (int i = 0; i < ranks.length; i++) {
            DeviceAdapter.Factors factors = adapters.get(i).factors(path);
            ranks[i] = factors == null ? 0 : factors.rank();
            maxRank = Math.max(maxRank, ranks[i]);
        }
        if (maxRank == 0) {
            return null;
        }
        NDArray[] table = tables.table(adapters, path);
        NDArray index = gatherIndex(ranks, maxRank);
        int rows = plan.gatheredRows;
        NDArray input = rows == plan.rows ? x : x.get("0:" + rows);
        long in = table[0].getShape().get(1);
        long out = table[1].getShape().get(1);
        // x A^T per row as a broadcast product summed over `in` ([rows, rank, in] * [rows, 1, in]): PyTorch's CPU
        // batched matrix-vector product measured 3-4x slower than this for these shapes. Then [rows, 1, rank] x
        // [rows, rank, out], where the batched product is the faster one.
        NDArray a = index.getNDArrayInternal().embedding(index, table[0], SparseFormat.DENSE).singletonOrThrow();
        NDArray low = a.mul(input.reshape(rows, 1, in)).sum(new int[] {2}).reshape(rows, 1, maxRank);
        NDArray bt = index.getNDArrayInternal().embedding(index, table[1], SparseFormat.DENSE).singletonOrThrow();
        return low.matMul(bt).reshape(rows, out);
    }

    /** Index [gatheredRows, maxRank] into a table whose rows are the zero row then each adapter's rank rows. */
    private NDArray gatherIndex(int[] ranks, int maxRank) {
        List<Integer> key = new ArrayList<>(ranks.length);
        for (int rank : ranks) {
            key.add(rank);
        }
        return gatherIndexes.computeIfAbsent(key, k -> {
            long[] offsets = new long[ranks.length];
            long next = 1;
            for (int i = 0; i < ranks.length; i++) {
                offsets[i] = next;
                next += ranks[i];
            }
            int rows = plan.gatheredRows;
            long[] index = new long[rows * maxRank];
            for (int row = 0; row < rows; row++) {
                int adapter = plan.gatheredAdapterOfRow[row];
                for (int j = 0; j < ranks[adapter]; j++) {
                    index[row * maxRank + j] = offsets[adapter] + j;
                }
            }
            // Built in the first layer that needs it and used by all: it lives until the step ends.
            NDArray array = manager.create(index, new Shape(rows, maxRank));
            ai.djl.ndarray.NDScope.unregister(array);
            return array;
        });
    }

    @Override
    public void close() {
        gatherIndexes.values().forEach(NDArray::close);
    }

    /**
     * Per projection, the factors of a list of adapters concatenated along the rank axis behind a zero row, kept
     * while the step after step gathers from the same adapters (continuous batching changes the set only when a
     * request joins or leaves). Owned by the engine; freed when the set changes or the engine closes.
     */
    static final class GatherTables implements AutoCloseable {
        private final NDManager manager;
        private List<DeviceAdapter> key = List.of();
        private final Map<String, NDArray[]> tables = new HashMap<>();

        GatherTables(NDManager manager) {
            this.manager = manager;
        }

        NDArray[] table(List<DeviceAdapter> adapters, String path) {
            if (!sameAdapters(adapters)) {
                close();
                key = List.copyOf(adapters);
            }
            return tables.computeIfAbsent(path, p -> build(adapters, p));
        }

        private boolean sameAdapters(List<DeviceAdapter> adapters) {
            if (adapters.size() != key.size()) {
                return false;
            }
            for (int i = 0; i < adapters.size(); i++) {
                if (adapters.get(i) != key.get(i)) {
                    return false;
                }
            }
            return true;
        }

        private NDArray[] build(List<DeviceAdapter> adapters, String path) {
            List<NDArray> a = new ArrayList<>();
            List<NDArray> bt = new ArrayList<>();
            for (DeviceAdapter adapter : adapters) {
                DeviceAdapter.Factors factors = adapter.factors(path);
                if (factors != null) {
                    a.add(factors.a());
                    bt.add(factors.scaledBt());
                }
            }
            long in = a.get(0).getShape().get(1);
            long out = bt.get(0).getShape().get(1);
            try (NDManager scratch = manager.newSubManager()) {
                a.add(0, scratch.zeros(new Shape(1, in)));
                bt.add(0, scratch.zeros(new Shape(1, out)));
                NDArray tableA = NDArrays.concat(new NDList(a.toArray(NDArray[]::new)), 0);
                NDArray tableBt = NDArrays.concat(new NDList(bt.toArray(NDArray[]::new)), 0);
                // The tables outlive the step's scope and the scratch manager.
                tableA.attach(manager);
                tableBt.attach(manager);
                ai.djl.ndarray.NDScope.unregister(tableA, tableBt);
                return new NDArray[] {tableA, tableBt};
            }
        }

        long bytes() {
            return tables.values().stream().mapToLong(t -> 4 * (t[0].size() + t[1].size())).sum();
        }

        @Override
        public void close() {
            tables.values().forEach(t -> {
                t[0].close();
                t[1].close();
            });
            tables.clear();
            key = List.of();
        }
    }
}
