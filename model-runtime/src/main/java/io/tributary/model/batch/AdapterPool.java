package io.tributary.model.batch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine's unified adapter pool, as S-LoRA pages adapters: the factors of every adapter that has taken the
 * gathered path live in per-projection slabs on the device (A rows in one slab, s B^T rows in another), written
 * once when the adapter first joins and kept for every later step, so a change in the set of adapters in the batch
 * copies nothing.
 *
 * <p>An adapter holds the same rows in every slab, as many as its largest rank (a module it does not target, or
 * targets with a lower rank, keeps zeros in the rest), so one gather index per step serves every projection of every
 * layer. Row 0 and every free row are zero: rank slots past an adapter's rank point at row 0. Rows of adapters that
 * were closed are zeroed and reused when rows run short; the slabs double when that is not enough. Owned by the
 * engine's thread.
 */
final class AdapterPool implements AutoCloseable {
    private static final int INITIAL_ROWS = 256;

    private final NDManager manager;
    /** Per projection path: {A rows [capacity, in], s B^T rows [capacity, out]}. */
    private final Map<String, NDArray[]> slabs = new HashMap<>();
    private final Map<DeviceAdapter, int[]> rowsOf = new IdentityHashMap<>();
    /** Free rows, lowest last (taken from the end). */
    private final List<Integer> free = new ArrayList<>();
    private int capacity;

    AdapterPool(NDManager manager) {
        this.manager = manager;
        this.capacity = INITIAL_ROWS;
        for (int row = capacity - 1; row >= 1; row--) {
            free.add(row);
        }
    }

    /**
     * The pool rows of each adapter (placing those not in the pool yet): adapter i's rank slot j is row
     * {@code rows[i][j]}. The adapters of the current step are never reclaimed to make room.
     */
    int[][] rows(List<DeviceAdapter> adapters) {
        int need = 0;
        for (DeviceAdapter adapter : adapters) {
            if (!rowsOf.containsKey(adapter)) {
                need += adapter.rank();
            }
        }
        if (need > free.size()) {
            reclaimClosed(adapters);
        }
        if (need > free.size()) {
            grow(capacity - free.size() + need);
        }
        int[][] rows = new int[adapters.size()][];
        for (int i = 0; i < rows.length; i++) {
            DeviceAdapter adapter = adapters.get(i);
            int[] held = rowsOf.get(adapter);
            rows[i] = held != null ? held : place(adapter);
        }
        return rows;
    }

    /** The slabs of one projection, or null when no adapter in the pool ever targeted it. */
    NDArray[] slabs(String path) {
        return slabs.get(path);
    }

    /** Adapters holding rows. */
    int adapters() {
        return rowsOf.size();
    }

    /** Bytes of the slabs (held rows and free rows alike). */
    long bytes() {
        return slabs.values().stream().mapToLong(pair -> 4 * (pair[0].size() + pair[1].size())).sum();
    }

    private int[] place(DeviceAdapter adapter) {
        int[] rows = new int[adapter.rank()];
        for (int j = 0; j < rows.length; j++) {
            rows[j] = free.remove(free.size() - 1);
        }
        for (String path : adapter.modules()) {
            DeviceAdapter.Factors factors = adapter.factors(path);
            NDArray[] pair = slabs.computeIfAbsent(path, p -> newSlabs(factors));
            NDArray index = manager.create(longs(rows, factors.rank()));
            NDIndex at = new NDIndex("{}", index);
            pair[0].set(at, factors.a());
            pair[1].set(at, factors.scaledBt());
            index.close();
        }
        rowsOf.put(adapter, rows);
        return rows;
    }

    private NDArray[] newSlabs(DeviceAdapter.Factors factors) {
        NDArray a = manager.zeros(new Shape(capacity, factors.a().getShape().get(1)));
        NDArray bt = manager.zeros(new Shape(capacity, factors.scaledBt().getShape().get(1)));
        // The slabs outlive the step's scope: they belong to the engine until it closes.
        NDScope.unregister(a, bt);
        return new NDArray[] {a, bt};
    }

    /** Zeroes and frees the rows of closed adapters that the current step does not use. */
    private void reclaimClosed(List<DeviceAdapter> inStep) {
        Set<DeviceAdapter> keep = Collections.newSetFromMap(new IdentityHashMap<>());
        keep.addAll(inStep);
        List<Integer> released = new ArrayList<>();
        for (Iterator<Map.Entry<DeviceAdapter, int[]>> it = rowsOf.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<DeviceAdapter, int[]> entry = it.next();
            if (!keep.contains(entry.getKey()) && entry.getKey().isClosed()) {
                for (int row : entry.getValue()) {
                    released.add(row);
                }
                it.remove();
            }
        }
        if (released.isEmpty()) {
            return;
        }
        int[] rows = released.stream().mapToInt(Integer::intValue).toArray();
        NDArray index = manager.create(longs(rows, rows.length));
        NDIndex at = new NDIndex("{}", index);
        for (NDArray[] pair : slabs.values()) {
            for (NDArray slab : pair) {
                NDArray zeros = manager.zeros(new Shape(rows.length, slab.getShape().get(1)));
                slab.set(at, zeros);
                zeros.close();
            }
        }
        index.close();
        released.sort(Collections.reverseOrder());
        free.addAll(0, released);
    }

    /** Grows every slab to at least {@code rows} rows (doubling), the new rows zero and free. */
    private void grow(int rows) {
        int grown = capacity;
        while (grown < rows) {
            grown *= 2;
        }
        for (Map.Entry<String, NDArray[]> entry : slabs.entrySet()) {
            NDArray[] pair = entry.getValue();
            NDArray[] bigger = new NDArray[2];
            for (int k = 0; k < 2; k++) {
                NDArray tail = manager.zeros(new Shape(grown - capacity, pair[k].getShape().get(1)));
                bigger[k] = NDArrays.concat(new NDList(pair[k], tail), 0);
                NDScope.unregister(bigger[k]);
                tail.close();
                pair[k].close();
            }
            entry.setValue(bigger);
        }
        List<Integer> added = new ArrayList<>();
        for (int row = grown - 1; row >= capacity; row--) {
            added.add(row);
        }
        free.addAll(0, added);
        capacity = grown;
    }

    private static long[] longs(int[] rows, int count) {
        long[] out = new long[count];
        for (int j = 0; j < count; j++) {
            out[j] = rows[j];
        }
        return out;
    }

    @Override
    public void close() {
        slabs.values().forEach(pair -> {
            pair[0].close();
            pair[1].close();
        });
        slabs.clear();
        rowsOf.clear();
    }
}
