package io.tributary.model.batch;

import io.tributary.model.ModelException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host-side layout of one step: the order of its rows and every index the device needs. Decode rows (feeds of
 * one token) always come first and prefill rows after them, each feed's rows contiguous, so attention reads its
 * queries and writes its output in row order (no reordering gathers per layer). Within that order rows are grouped
 * by how their LoRA delta is computed:
 * <ol>
 *   <li>decode rows of adapters with few decode rows in this step (their deltas go through one gathered, batched
 *   low-rank product over rows [0, gatheredRows));</li>
 *   <li>decode rows of the bare base model (no delta);</li>
 *   <li>decode rows of adapters with many decode rows, one block per adapter (two plain products on its slice);</li>
 *   <li>prefill rows, one block per adapter (the adapter of the last decode block first, so that the two blocks
 *   join into one), then the base model's.</li>
 * </ol>
 * {@link #blocks} covers rows [gatheredRows, rows) in order.
 */
final class StepPlan {
    /** A feed placed at rows [row, row + tokens), continuing its sequence at position {@code start}. */
    record Placed(BatchedForward.Feed feed, int index, int row, int start) {
        int tokens() {
            return feed.tokens().length;
        }

        Sequence sequence() {
            return feed.sequence();
        }
    }

    /** Rows [start, end) that all use {@code adapter} (null: the bare base model, no delta). */
    record Block(DeviceAdapter adapter, int start, int end) {}

    final List<Placed> placed = new ArrayList<>();
    final int rows;
    final long[] ids;
    final long[] positions;
    /** Row of each feed's last token, in the caller's feed order. */
    final long[] lastRows;
    /** Rows [0, gatheredRows) take their deltas from the gathered product. */
    final int gatheredRows;
    /** Distinct adapters of the gathered rows, in order of first use. */
    final List<DeviceAdapter> gatheredAdapters = new ArrayList<>();
    /** For each gathered row, its adapter's index in {@link #gatheredAdapters}. */
    final int[] gatheredAdapterOfRow;
    /** Rows [gatheredRows, rows) in order, one block per run of rows with one adapter (or none). */
    final List<Block> blocks = new ArrayList<>();
    /** True when some row has an adapter. */
    final boolean anyAdapter;
    /** Feeds of one token (decode), in row order (rows 0 .. decodes - 1); the others (prefill) in row order after them. */
    final List<Placed> decodes = new ArrayList<>();
    final List<Placed> prefills = new ArrayList<>();

    StepPlan(List<BatchedForward.Feed> feeds, int directRows) {
        Map<DeviceAdapter, Integer> decodeRowsOf = new IdentityHashMap<>();
        int total = 0;
        boolean adapters = false;
        for (BatchedForward.Feed feed : feeds) {
            total += feed.tokens().length;
            DeviceAdapter adapter = feed.sequence().adapter();
            adapters |= adapter != null;
            if (adapter != null && feed.tokens().length == 1) {
                decodeRowsOf.merge(adapter, 1, Integer::sum);
            }
        }
        rows = total;
        anyAdapter = adapters;
        // Gathering pays only when it batches several adapters: with one adapter of few rows, plain products win.
        long few = decodeRowsOf.values().stream().filter(count -> count < directRows).count();
        int threshold = few > 1 ? directRows : 1;
        List<Integer> gathered = new ArrayList<>();
        List<Integer> baseDecodes = new ArrayList<>();
        Map<DeviceAdapter, List<Integer>> directDecodes = new LinkedHashMap<>();
        Map<DeviceAdapter, List<Integer>> prefillsOf = new LinkedHashMap<>();
        List<Integer> basePrefills = new ArrayList<>();
        for (int i = 0; i < feeds.size(); i++) {
            BatchedForward.Feed feed = feeds.get(i);
            DeviceAdapter adapter = feed.sequence().adapter();
            if (feed.tokens().length > 1) {
                if (adapter == null) {
                    basePrefills.add(i);
                } else {
                    prefillsOf.computeIfAbsent(adapter, key -> new ArrayList<>()).add(i);
                }
            } else if (adapter == null) {
                baseDecodes.add(i);
            } else if (decodeRowsOf.get(adapter) >= threshold) {
                directDecodes.computeIfAbsent(adapter, key -> new ArrayList<>()).add(i);
            } else {
                gathered.add(i);
            }
        }
        ids = new long[rows];
        positions = new long[rows];
        lastRows = new long[feeds.size()];
        gatheredAdapterOfRow = new int[rows];
        Map<DeviceAdapter, Integer> gatheredIndex = new IdentityHashMap<>();
        int row = 0;
        for (int i : gathered) {
            DeviceAdapter adapter = feeds.get(i).sequence().adapter();
            Integer index = gatheredIndex.get(adapter);
            if (index == null) {
                index = gatheredAdapters.size();
                gatheredIndex.put(adapter, index);
                gatheredAdapters.add(adapter);
            }
            gatheredAdapterOfRow[row] = index;
            row = place(feeds, i, row);
        }
        gatheredRows = row;
        row = placeBlock(feeds, null, baseDecodes, row);
        // The adapter at the seam between decode and prefill blocks: its decode rows last, its prefill rows first.
        DeviceAdapter seam = directDecodes.keySet().stream().filter(prefillsOf::containsKey).findFirst().orElse(null);
        for (Map.Entry<DeviceAdapter, List<Integer>> group : directDecodes.entrySet()) {
            if (group.getKey() != seam) {
                row = placeBlock(feeds, group.getKey(), group.getValue(), row);
            }
        }
        if (seam != null) {
            row = placeBlock(feeds, seam, directDecodes.get(seam), row);
            row = placeBlock(feeds, seam, prefillsOf.get(seam), row);
        }
        for (Map.Entry<DeviceAdapter, List<Integer>> group : prefillsOf.entrySet()) {
            if (group.getKey() != seam) {
                row = placeBlock(feeds, group.getKey(), group.getValue(), row);
            }
        }
        placeBlock(feeds, null, basePrefills, row);
        for (Placed feed : placed) {
            (feed.tokens() == 1 ? decodes : prefills).add(feed);
        }
    }

    /** Places the feeds at {@code row} on, as one block of {@code adapter} (joined to the last block when it continues it). */
    private int placeBlock(List<BatchedForward.Feed> feeds, DeviceAdapter adapter, List<Integer> indexes, int row) {
        if (indexes.isEmpty()) {
            return row;
        }
        int start = row;
        for (int i : indexes) {
            row = place(feeds, i, row);
        }
        Block last = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
        if (last != null && last.adapter() == adapter && last.end() == start) {
            blocks.set(blocks.size() - 1, new Block(adapter, last.start(), row));
        } else {
            blocks.add(new Block(adapter, start, row));
        }
        return row;
    }

    private int place(List<BatchedForward.Feed> feeds, int index, int row) {
        BatchedForward.Feed feed = feeds.get(index);
        int start = feed.sequence().length();
        int[] tokens = feed.tokens();
        for (int t = 0; t < tokens.length; t++) {
            ids[row + t] = tokens[t];
            positions[row + t] = start + t;
        }
        placed.add(new Placed(feed, index, row, start));
        lastRows[index] = row + tokens.length - 1;
        return row + tokens.length;
    }

    /**
     * Rows [rows, kvHeads] of every row's new key and value in a pool of {@code capacity} blocks (see
     * {@link PagedKvCache#keys}: row {@code head * capacity * BLOCK + slot}), after the sequences reserved their blocks.
     */
    long[] writeRows(int kvHeads, int capacity) {
        long headSlots = (long) capacity * PagedKvCache.BLOCK;
        long[] out = new long[rows * kvHeads];
        for (Placed feed : placed) {
            for (int t = 0; t < feed.tokens(); t++) {
                long slot = feed.sequence().slot(feed.start() + t);
                for (int h = 0; h < kvHeads; h++) {
                    out[(feed.row() + t) * kvHeads + h] = h * headSlots + slot;
                }
            }
        }
        return out;
    }

    /** Cache blocks that the longest decode feed reads (its positions so far plus the new one). */
    int decodeBlocks() {
        int longest = 0;
        for (Placed feed : decodes) {
            longest = Math.max(longest, feed.start() + 1);
        }
        return (longest + PagedKvCache.BLOCK - 1) / PagedKvCache.BLOCK;
    }

    /**
     * Rows [decodes, kvHeads, blocks] of the decode feeds' cache blocks in a pool of {@code capacity} blocks viewed as
     * [kvHeads * capacity, BLOCK * headDim] (row {@code head * capacity + block}), padded with block 0 (never handed
     * out): gathered, they are already in the [batch, head, position] order of attention's batched products.
     */
    long[] decodeBlockRows(int blocks, int kvHeads, int capacity) {
        long[] out = new long[decodes.size() * kvHeads * blocks];
        for (int i = 0; i < decodes.size(); i++) {
            Placed feed = decodes.get(i);
            int used = feed.start() / PagedKvCache.BLOCK + 1;
            for (int h = 0; h < kvHeads; h++) {
                for (int b = 0; b < used; b++) {
                    out[(i * kvHeads + h) * blocks + b] = (long) h * capacity + feed.sequence().block(b);
                }
            }
        }
        return out;
    }

    /**
     * Additive mask [decodes, keys]: -inf on the positions past each feed's length (the rest of its last block and the
     * padding blocks); null when none is masked.
     */
    float[] decodeMask(int keys) {
        boolean padded = false;
        float[] mask = new float[decodes.size() * keys];
        for (int i = 0; i < decodes.size(); i++) {
            for (int p = decodes.get(i).start() + 1; p < keys; p++) {
                mask[i * keys + p] = Float.NEGATIVE_INFINITY;
                padded = true;
            }
        }
        return padded ? mask : null;
    }

    /** Rows [kvHeads, blocks] of the cache blocks of a prefill feed through its last new token (as {@link #decodeBlockRows}). */
    static long[] keyBlockRows(Placed feed, int kvHeads, int capacity) {
        int blocks = (feed.start() + feed.tokens() + PagedKvCache.BLOCK - 1) / PagedKvCache.BLOCK;
        long[] out = new long[kvHeads * blocks];
        for (int h = 0; h < kvHeads; h++) {
            for (int b = 0; b < blocks; b++) {
                out[h * blocks + b] = (long) h * capacity + feed.sequence().block(b);
            }
        }
        return out;
    }

    static void requireDistinct(List<BatchedForward.Feed> feeds) {
        Map<Sequence, Boolean> seen = new IdentityHashMap<>();
        for (BatchedForward.Feed feed : feeds) {
            if (seen.put(feed.sequence(), Boolean.TRUE) != null) {
                throw new ModelException("a sequence appears twice in one step");
            }
        }
    }
}
