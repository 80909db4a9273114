package io.tributary.core.index;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Sorts and names the LMS substrings of byte text by their first symbols, in place of SA-IS's first induction,
 * which reads the text at random once per suffix: natural text's LMS substrings are short (about 97 % have at most
 * seven symbols), so each fits a 63-bit key of seven 9-bit symbols (byte, then 1 for S-type), and sorting the keys
 * (a counting sort on the first two symbols, then primitive sorts of packed keys per bucket) costs less than the
 * two scans over the whole text. Substrings longer than seven symbols, and the last one (which ends with the
 * sentinel), carry a flag; groups of equal keys with a flagged member are ordered by comparing the text.
 *
 * <p>Symbols compare by byte, then type (L before S); two different LMS substrings always differ within the
 * shorter one (where the shorter ends, at an S after an L, the longer would end too), so the keys of unflagged
 * substrings are equal exactly when the substrings are, and their order is the substrings' order.
 */
final class LmsSubstringSorter {
    /** Longest text sorted this way: each bucket's packed sort keeps 28 bits for an index (m <= n / 2). */
    static final int MAX_TEXT = 1 << 29;

    private static final int SYMBOLS = 7;
    private static final int SYMBOL_BITS = 9;
    private static final long FLAGGED = Long.MIN_VALUE;
    private static final int BUCKET_BITS = 2 * SYMBOL_BITS;
    private static final int REST_BITS = (SYMBOLS - 2) * SYMBOL_BITS;
    /** Buckets up to this size sort their packed 45-bit rests with a 19-bit index; larger ones split first. */
    private static final int SMALL_BUCKET = 1 << (64 - REST_BITS);

    private final byte[] text;
    private final long[] sType;
    private final long[] lms;
    private final int[] positions;
    private final int m;

    /** {@code positions}: the m LMS positions in text order. */
    LmsSubstringSorter(byte[] text, long[] sType, long[] lms, int[] positions) {
        this.text = text;
        this.sType = sType;
        this.lms = lms;
        this.positions = positions;
        this.m = positions.length;
    }

    /**
     * Writes the name of each LMS substring (0, 1, ... in sorted order; equal substrings share a name) to
     * {@code names[rank]}, rank being its index in text order; returns the number of names. {@code scratch}
     * (at least m long) is overwritten.
     */
    int name(int[] scratch, int[] names) {
        if (m == 0) {
            return 0;
        }
        long[] keys = keys();
        long[] sortedKeys = new long[m];
        int[] sortedRanks = scratch;
        int[] bucketStarts = new int[(1 << BUCKET_BITS) + 1];
        for (int r = 0; r < m; r++) {
            bucketStarts[bucket(keys[r]) + 1]++;
        }
        int largest = 0;
        for (int b = 0; b < 1 << BUCKET_BITS; b++) {
            largest = Math.max(largest, bucketStarts[b + 1]);
            bucketStarts[b + 1] += bucketStarts[b];
        }
        int[] next = Arrays.copyOf(bucketStarts, bucketStarts.length);
        for (int r = 0; r < m; r++) {
            int slot = next[bucket(keys[r])]++;
            sortedKeys[slot] = keys[r];
            sortedRanks[slot] = r;
        }
        keys = null;
        Buffers buffers = new Buffers(largest);
        for (int b = 0; b < 1 << BUCKET_BITS; b++) {
            int from = bucketStarts[b];
            int to = bucketStarts[b + 1];
            if (to - from <= 1) {
                continue;
            }
            if (to - from <= SMALL_BUCKET) {
                packedSort(sortedKeys, sortedRanks, from, to, REST_BITS, buffers);
            } else {
                splitAndSort(sortedKeys, sortedRanks, from, to, buffers);
            }
        }
        return assignNames(sortedKeys, sortedRanks, names);
    }

    /** The keys of the LMS substrings in text order. */
    private long[] keys() {
        long[] keys = new long[m];
        for (int r = 0; r < m - 1; r++) {
            keys[r] = key(positions[r], positions[r + 1], false);
        }
        keys[m - 1] = key(positions[m - 1], text.length - 1, true);
        return keys;
    }

    /** The key of the substring {@code [p, end]}: up to seven symbols, left-aligned, zero-padded, maybe flagged. */
    private long key(int p, int end, boolean last) {
        int stop = Math.min(end, p + SYMBOLS - 1);
        long key = 0;
        for (int x = p; x <= stop; x++) {
            key = (key << SYMBOL_BITS) | symbol(x);
        }
        key <<= SYMBOL_BITS * (SYMBOLS - 1 - (stop - p));
        return last || end - p + 1 > SYMBOLS ? key | FLAGGED : key;
    }

    private int symbol(int x) {
        return ((text[x] & 0xFF) << 1) | (int) ((sType[x >>> 6] >>> x) & 1);
    }

    private static int bucket(long key) {
        return (int) ((key & ~FLAGGED) >>> REST_BITS);
    }

    /** Scratch arrays for the sorts within a bucket, sized for the largest bucket. */
    private static final class Buffers {
        final long[] packed;
        final long[] keys;
        final int[] ranks;

        Buffers(int size) {
            packed = new long[size];
            keys = new long[size];
            ranks = new int[size];
        }
    }

    /**
     * Sorts {@code [from, to)} by the low {@code restBits} bits of the keys (the higher ones are equal), packed
     * above an index of {@code 64 - restBits} bits so that a primitive sort orders them, then applies the order.
     */
    private static void packedSort(long[] keys, int[] ranks, int from, int to, int restBits, Buffers buffers) {
        int size = to - from;
        int indexBits = 64 - restBits;
        long restMask = (1L << restBits) - 1;
        long[] packed = buffers.packed;
        for (int i = 0; i < size; i++) {
            // The flip of the sign bit makes the signed sort an unsigned one.
            packed[i] = (((keys[from + i] & restMask) << indexBits) | i) ^ Long.MIN_VALUE;
        }
        Arrays.sort(packed, 0, size);
        long indexMask = (1L << indexBits) - 1;
        for (int i = 0; i < size; i++) {
            int source = from + (int) (packed[i] & indexMask);
            buffers.keys[i] = keys[source];
            buffers.ranks[i] = ranks[source];
        }
        System.arraycopy(buffers.keys, 0, keys, from, size);
        System.arraycopy(buffers.ranks, 0, ranks, from, size);
    }

    /** A large bucket: a counting sort on the third symbol, then packed sorts of the remaining four. */
    private static void splitAndSort(long[] keys, int[] ranks, int from, int to, Buffers buffers) {
        int shift = REST_BITS - SYMBOL_BITS;
        int[] starts = new int[(1 << SYMBOL_BITS) + 1];
        for (int i = from; i < to; i++) {
            starts[(int) ((keys[i] >>> shift) & ((1 << SYMBOL_BITS) - 1)) + 1]++;
        }
        for (int s = 0; s < 1 << SYMBOL_BITS; s++) {
            starts[s + 1] += starts[s];
        }
        int[] next = Arrays.copyOf(starts, starts.length);
        for (int i = from; i < to; i++) {
            int slot = next[(int) ((keys[i] >>> shift) & ((1 << SYMBOL_BITS) - 1))]++;
            buffers.keys[slot] = keys[i];
            buffers.ranks[slot] = ranks[i];
        }
        System.arraycopy(buffers.keys, 0, keys, from, to - from);
        System.arraycopy(buffers.ranks, 0, ranks, from, to - from);
        for (int s = 0; s < 1 << SYMBOL_BITS; s++) {
            if (starts[s + 1] - starts[s] > 1) {
                packedSort(keys, ranks, from + starts[s], from + starts[s + 1], shift, buffers);
            }
        }
    }

    /** Walks the sorted keys: a new name at each new key, and where flagged substrings differ in the text. */
    private int assignNames(long[] sortedKeys, int[] sortedRanks, int[] names) {
        int name = -1;
        for (int i = 0; i < m; ) {
            long content = sortedKeys[i] & ~FLAGGED;
            boolean flagged = sortedKeys[i] < 0;
            int end = i + 1;
            while (end < m && (sortedKeys[end] & ~FLAGGED) == content) {
                flagged |= sortedKeys[end] < 0;
                end++;
            }
            if (!flagged) {
                name++;
                for (int j = i; j < end; j++) {
                    names[sortedRanks[j]] = name;
                }
            } else {
                name = nameByText(sortedRanks, i, end, names, name);
            }
            i = end;
        }
        return name + 1;
    }

    /**
     * Orders a group of equal keys with a flagged member by the keys of their next seven symbols, again while a
     * flagged member remains (in the manner of a multikey radix sort).
     */
    private int nameByText(int[] sortedRanks, int from, int to, int[] names, int name) {
        int size = to - from;
        long[] keys = new long[size];
        int[] ranks = Arrays.copyOfRange(sortedRanks, from, to);
        return nameGroup(keys, ranks, 0, size, SYMBOLS, names, name);
    }

    private int nameGroup(long[] keys, int[] ranks, int from, int to, int depth, int[] names, int name) {
        // Each round orders the group by seven more symbols, so a group of disjoint substrings costs O(g log g) per
        // seven symbols of its members. Only the last substring has windows past the text (zero keys), and the
        // (0, L-type) symbols that could match them occur only in the text's final run of zero bytes, inside the
        // last substring: so no group outlives the text; the comparison is a guard.
        if (depth > text.length) {
            return nameByComparison(ranks, from, to, names, name);
        }
        for (int i = from; i < to; i++) {
            int rank = ranks[i];
            boolean last = rank == m - 1;
            int end = last ? text.length - 1 : positions[rank + 1];
            int p = positions[rank] + depth;
            keys[i] = p > end ? (last ? FLAGGED : 0) : key(p, end, last);
        }
        sortByContent(keys, ranks, from, to - 1);
        for (int i = from; i < to; ) {
            long content = keys[i] & ~FLAGGED;
            boolean flagged = keys[i] < 0;
            int end = i + 1;
            while (end < to && (keys[end] & ~FLAGGED) == content) {
                flagged |= keys[end] < 0;
                end++;
            }
            if (!flagged || end - i == 1) {
                name++;
                for (int j = i; j < end; j++) {
                    names[ranks[j]] = name;
                }
            } else {
                name = nameGroup(keys, ranks, i, end, depth + SYMBOLS, names, name);
            }
            i = end;
        }
        return name;
    }

    /** Sorts {@code [low, high]} of the parallel arrays by the keys without their flag (quicksort, then insertion). */
    private static void sortByContent(long[] keys, int[] ranks, int low, int high) {
        while (high - low > 16) {
            long pivot = keys[(low + high) >>> 1] & ~FLAGGED;
            int i = low;
            int j = high;
            while (i <= j) {
                while ((keys[i] & ~FLAGGED) < pivot) {
                    i++;
                }
                while ((keys[j] & ~FLAGGED) > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(keys, ranks, i++, j--);
                }
            }
            // Recurse into the smaller side, loop on the larger: the stack stays logarithmic.
            if (j - low < high - i) {
                sortByContent(keys, ranks, low, j);
                low = i;
            } else {
                sortByContent(keys, ranks, i, high);
                high = j;
            }
        }
        for (int i = low + 1; i <= high; i++) {
            for (int j = i; j > low && (keys[j - 1] & ~FLAGGED) > (keys[j] & ~FLAGGED); j--) {
                swap(keys, ranks, j - 1, j);
            }
        }
    }

    private static void swap(long[] keys, int[] ranks, int a, int b) {
        long key = keys[a];
        keys[a] = keys[b];
        keys[b] = key;
        int rank = ranks[a];
        ranks[a] = ranks[b];
        ranks[b] = rank;
    }

    /** Orders a group by comparing the substrings in the text. */
    private int nameByComparison(int[] ranks, int from, int to, int[] names, int name) {
        Integer[] group = new Integer[to - from];
        for (int i = from; i < to; i++) {
            group[i - from] = ranks[i];
        }
        Comparator<Integer> order = (a, b) -> compare(positions[a], positions[b]);
        Arrays.sort(group, order);
        for (int i = 0; i < group.length; i++) {
            if (i == 0 || order.compare(group[i - 1], group[i]) != 0) {
                name++;
            }
            names[group[i]] = name;
        }
        return name;
    }

    /** Compares the LMS substrings at a and b symbol by symbol; the sentinel after the text is the smallest. */
    private int compare(int a, int b) {
        int n = text.length;
        for (int d = 0; ; d++) {
            int x = a + d;
            int y = b + d;
            if (x == n || y == n) {
                return x == n ? (y == n ? 0 : -1) : 1;
            }
            int difference = symbol(x) - symbol(y);
            if (difference != 0) {
                return difference;
            }
            // Equal so far: an LMS position here ends both substrings (see the class comment).
            if (d > 0 && (lms[x >>> 6] & (1L << x)) != 0) {
                return 0;
            }
        }
    }
}
