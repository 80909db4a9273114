package io.tributary.model.batch;

import io.tributary.model.ModelException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host-side layout of one step: the order of its rows and every index the device needs. Rows are ordered by
 * adapter so that each adapter's rows are contiguous: first the rows whose adapters have few rows in this step
 * (their deltas go through one gathered, batched low-rank product), then one block per adapter with many rows
 * (two plain matrix products on its slice), then the rows of the bare base model (no delta).
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

    /** Rows [start, end) that all use {@code adapter}. */
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
    final List<Block> directBlocks = new ArrayList<>();
    /** Rows [baseStart, rows) use no adapter. */
    final int baseStart;
    /** Feeds of one token (decode), in row order; the others (prefill) in row order. */
    final List<Placed> decodes = new ArrayList<>();
    final List<Placed> prefills = new ArrayList<>();

    StepPlan(List<BatchedForward.Feed> feeds, int directRows) {
        Map<DeviceAdapter, Integer> rowsOf = new IdentityHashMap<>();
        int total = 0;
        for (BatchedForward.Feed feed : feeds) {
            total += feed.tokens().length;
            DeviceAdapter adapter = feed.sequence().adapter();
            if (adapter != null) {
                rowsOf.merge(adapter, feed.tokens().length, Integer::sum);
            }
        }
        rows = total;
        // Gathering pays only when it batches several adapters: with one adapter of few rows, plain products win.
        long few = rowsOf.values().stream().filter(count -> count < directRows).count();
        int threshold = few > 1 ? directRows : 1;
        List<Integer> gathered = new ArrayList<>();
        Map<DeviceAdapter, List<Integer>> direct = new LinkedHashMap<>();
        List<Integer> base = new ArrayList<>();
        for (int i = 0; i < feeds.size(); i++) {
            DeviceAdapter adapter = feeds.get(i).sequence().adapter();
            if (adapter == null) {
                base.add(i);
            } else if (rowsOf.get(adapter) >= threshold) {
                direct.computeIfAbsent(adapter, key -> new ArrayList<>()).add(i);
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
            for (int t = 0; t < feeds.get(i).tokens().length; t++) {
                gatheredAdapterOfRow[row + t] = index;
            }
            row = place(feeds, i, row);
        }
        gatheredRows = row;
        for (Map.Entry<DeviceAdapter, List<Integer>> group : direct.entrySet()) {
            int start = row;
            for (int i : group.getValue()) {
                row = place(feeds, i, row);
            }
            directBlocks.add(new Block(group.getKey(), start, row));
        }
        baseStart = row;
        for (int i : base) {
            row = place(feeds, i, row);
        }
        for (Placed feed : placed) {
            (feed.tokens() == 1 ? decodes : prefills).add(feed);
        }
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

    /** Cache slot of every row's token (after the sequences reserved their blocks). */
    long[] writeSlots() {
        long[] slots = new long[rows];
        for (Placed feed : placed) {
            for (int t = 0; t < feed.tokens(); t++) {
                slots[feed.row() + t] = feed.sequence().slot(feed.start() + t);
            }
        }
        return slots;
    }

    /** Rows of the decode feeds, in the order attention computes them. */
    long[] decodeRows() {
        long[] out = new long[decodes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = decodes.get(i).row();
        }
        return out;
    }

    /** True when decode rows are exactly rows 0 .. decodes - 1 in order (no gather needed). */
    boolean decodesLeadInOrder() {
        for (int i = 0; i < decodes.size(); i++) {
            if (decodes.get(i).row() != i) {
                return false;
            }
        }
        return true;
    }

    /** The longest key length among decode feeds (their positions so far plus the new one). */
    int decodeKeys() {
        int longest = 0;
        for (Placed feed : decodes) {
            longest = Math.max(longest, feed.start() + 1);
        }
        return longest;
    }

    /** Key slots [decodes, decodeKeys] of the decode feeds, padded with slot 0 (a block never handed out). */
    long[] decodeKeySlots(int keys) {
        long[] slots = new long[decodes.size() * keys];
        for (int i = 0; i < decodes.size(); i++) {
            Placed feed = decodes.get(i);
            for (int p = 0; p <= feed.start(); p++) {
                slots[i * keys + p] = feed.sequence().slot(p);
            }
        }
        return slots;
    }

    /** Additive mask [decodes, keys]: -inf on the padding past each feed's length; null when none is padded. */
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

    /** Key slots of every position of a prefill feed, through its last new token. */
    static long[] keySlots(Placed feed) {
        int keys = feed.start() + feed.tokens();
        long[] slots = new long[keys];
        for (int p = 0; p < keys; p++) {
            slots[p] = feed.sequence().slot(p);
        }
        return slots;
    }

    /**
     * For every row, where it sits in the concatenation of attention outputs (decode block first, then each
     * prefill feed's rows); null when that concatenation is already in row order.
     */
    long[] attentionToRowOrder() {
        long[] position = new long[rows];
        int next = 0;
        boolean identity = true;
        for (Placed feed : decodes) {
            identity &= feed.row() == next;
            position[feed.row()] = next++;
        }
        for (Placed feed : prefills) {
            for (int t = 0; t < feed.tokens(); t++) {
                identity &= feed.row() + t == next;
                position[feed.row() + t] = next++;
            }
        }
        return identity ? null : position;
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
