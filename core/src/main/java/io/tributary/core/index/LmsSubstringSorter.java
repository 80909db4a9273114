package io.tributary.core.index;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Names the LMS substrings of byte text by keys of their first symbols, in place of SA-IS's first induction, which
 * reads the text at random once per suffix: natural text's LMS substrings are short (about 97 % have at most seven
 * symbols), so each fits a 63-bit key of seven 9-bit symbols (byte, then 1 for S-type), and they are few and
 * repeated (37 MB of Debian changelogs: 10.9 M substrings, 264 K distinct). So the keys are spread by hash over
 * 256 partitions, each partition's keys go through a hash table of its distinct keys small enough to stay in cache,
 * which gives each substring a provisional id, and only the distinct keys are sorted; a pass in text order then
 * turns ids into names. Substrings longer than seven symbols, and the last one (which ends with the sentinel),
 * carry a flag; a key with a flagged member is ordered among its members by their next keys.
 *
 * <p>Symbols compare by byte, then type (L before S); two different LMS substrings always differ within the
 * shorter one (where the shorter ends, at an S after an L, the longer would end too), so the keys of unflagged
 * substrings are equal exactly when the substrings are, and their order is the substrings' order.
 */
final class LmsSubstringSorter {
    /** Longest text named this way: its m <= n / 2 keys fit a table of at most 2^30 longs (under 70 % full). */
    static final int MAX_TEXT = 1 << 29;

    private static final int SYMBOLS = 7;
    private static final int SYMBOL_BITS = 9;
    private static final long FLAGGED = Long.MIN_VALUE;
    private static final long HASH = 0x9E3779B97F4A7C15L;
    private static final int PARTITION_BITS = 8;
    private static final int PARTITIONS = 1 << PARTITION_BITS;
    /** Eight bytes of the text at once, the first in the highest byte. */
    private static final VarHandle BYTES = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] text;
    private final long[] sType;
    private final long[] lms;
    private final int[] positions;
    private final int m;
    /** Substrings starting before this take {@link #fastKey}. */
    private final int fastLimit;

    /** {@code positions}: the m LMS positions in text order. */
    LmsSubstringSorter(byte[] text, long[] sType, long[] lms, int[] positions) {
        this.text = text;
        this.sType = sType;
        this.lms = lms;
        this.positions = positions;
        this.m = positions.length;
        this.fastLimit = text.length - 72;
    }

    /**
     * Writes the name of each LMS substring (0, 1, ... in sorted order; equal substrings share a name) to
     * {@code names[rank]}, rank being its index in text order; returns the number of names. {@code scratch}
     * (at least 2m long) is overwritten.
     */
    int name(int[] scratch, int[] names) {
        if (m == 0) {
            return 0;
        }
        DistinctKeys distinct = provisionalIds(names, scratch);
        int count = distinct.size();
        long[] sorted = new long[count];
        for (int id = 0; id < count; id++) {
            sorted[id] = distinct.content(id);
        }
        Arrays.sort(sorted);
        MixedGroups mixed = mixedGroups(distinct, sorted, names);
        // finalNames[id]: the name of every substring with that id, or -1 where a group's members differ (their
        // names go to scratch[rank]).
        int[] finalNames = new int[count];
        int name = -1;
        for (int i = 0, group = 0; i < count; i++) {
            int id = distinct.idOf(sorted[i]);
            if (distinct.mixed(id)) {
                int from = mixed.starts[group];
                int to = mixed.starts[group + 1];
                name = nameGroup(mixed.keys, mixed.ranks, from, to, SYMBOLS, scratch, name);
                finalNames[id] = -1;
                group++;
            } else {
                finalNames[id] = ++name;
            }
        }
        for (int r = 0; r < m; r++) {
            int finalName = finalNames[names[r]];
            names[r] = finalName >= 0 ? finalName : scratch[r];
        }
        return name + 1;
    }

    /**
     * Writes each substring's provisional id (the index of its key among the distinct keys) to {@code ids[rank]}.
     * One table of all distinct keys (8 MB for 264 K keys) misses the cache at nearly every probe, so the keys are
     * spread by hash over {@link #PARTITIONS} partitions of {@code scratch} (at least 2m ints; sequential writes to
     * a few streams), each partition is probed alone with a table that stays in cache, and a last pass in text
     * order gathers the ids back, guided by one byte a substring that names its partition. Keys are computed twice
     * (to count the partitions' sizes, then to spread them) rather than stored in text order: reading the text and
     * the type bits in order costs less than 8 more bytes a key through memory (an 87 MB array on 37 MB of text).
     */
    private DistinctKeys provisionalIds(int[] ids, int[] scratch) {
        byte[] partitions = new byte[m];
        int[] starts = new int[PARTITIONS + 1];
        for (int r = 0; r < m; r++) {
            int p = partitionOf(keyOf(r));
            partitions[r] = (byte) p;
            starts[p + 1]++;
        }
        for (int p = 0; p < PARTITIONS; p++) {
            starts[p + 1] += starts[p];
        }
        int[] cursor = Arrays.copyOf(starts, PARTITIONS);
        for (int r = 0; r < m; r++) {
            long key = keyOf(r);
            int q = cursor[partitions[r] & 0xFF]++;
            scratch[2 * q] = (int) (key >>> 32);
            scratch[2 * q + 1] = (int) key;
        }
        DistinctKeys distinct = new DistinctKeys();
        for (int p = 0; p < PARTITIONS; p++) {
            distinct.probePartition(p, scratch, starts[p], starts[p + 1]);
        }
        distinct.seal();
        System.arraycopy(starts, 0, cursor, 0, PARTITIONS);
        for (int r = 0; r < m; r++) {
            int p = partitions[r] & 0xFF;
            ids[r] = distinct.base(p) + scratch[2 * cursor[p]++];
        }
        return distinct;
    }

    /** The key of the substring of rank r. */
    private long keyOf(int r) {
        // Substrings whose eight bytes and the type word after them lie inside the arrays take the branch-free key.
        if (r < m - 1 && positions[r] < fastLimit) {
            return fastKey(positions[r], positions[r + 1]);
        }
        boolean last = r == m - 1;
        return key(positions[r], last ? text.length - 1 : positions[r + 1], last);
    }

    /** The partition of a key (flag or not): the top bits of the hash whose lower bits pick a table slot. */
    private static int partitionOf(long key) {
        return (int) (((key & ~FLAGGED) * HASH) >>> (64 - PARTITION_BITS));
    }

    /** The members of the keys with a flagged member, as ranks grouped by key, groups in key order. */
    private MixedGroups mixedGroups(DistinctKeys distinct, long[] sorted, int[] ids) {
        int[] groupOf = new int[distinct.size()];
        int groups = 0;
        for (long content : sorted) {
            int id = distinct.idOf(content);
            groupOf[id] = distinct.mixed(id) ? groups++ : -1;
        }
        int[] starts = new int[groups + 1];
        for (int r = 0; r < m; r++) {
            int group = groupOf[ids[r]];
            if (group >= 0) {
                starts[group + 1]++;
            }
        }
        for (int g = 0; g < groups; g++) {
            starts[g + 1] += starts[g];
        }
        int[] next = Arrays.copyOf(starts, groups);
        int[] ranks = new int[starts[groups]];
        for (int r = 0; r < m; r++) {
            int group = groupOf[ids[r]];
            if (group >= 0) {
                ranks[next[group]++] = r;
            }
        }
        return new MixedGroups(starts, ranks, new long[ranks.length]);
    }

    /** Ranks of the members of each mixed key ({@code starts[g]} to {@code starts[g + 1]}), with room for keys. */
    private record MixedGroups(int[] starts, int[] ranks, long[] keys) {}

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

    /**
     * {@link #key} for a substring that is not the last one, without a loop: the symbol count varies from substring
     * to substring, and a loop's mispredicted exit would stall the hash probes that follow. Needs p + 72 <= n.
     */
    private long fastKey(int p, int end) {
        long bytes = (long) BYTES.get(text, p);
        int shift = p & 63;
        int word = p >>> 6;
        // The eight type bits from p on, bit 0 for p; two words, as they may straddle.
        long types = (sType[word] >>> shift) | ((sType[word + 1] << 1) << (63 - shift));
        long key = 0;
        for (int i = 0; i < SYMBOLS; i++) {
            long symbol = (((bytes >>> (56 - 8 * i)) & 0xFF) << 1) | ((types >>> i) & 1);
            key |= symbol << (SYMBOL_BITS * (SYMBOLS - 1 - i));
        }
        int length = end - p + 1;
        // Keep the first min(length, 7) symbols; a longer substring is flagged.
        int kept = Math.min(length, SYMBOLS);
        key &= -1L << (SYMBOL_BITS * (SYMBOLS - kept));
        return length > SYMBOLS ? key | FLAGGED : key;
    }

    private int symbol(int x) {
        return ((text[x] & 0xFF) << 1) | (int) ((sType[x >>> 6] >>> x) & 1);
    }

    /**
     * The distinct keys without their flag, each with an id (partition by partition, in order of first appearance
     * within each) and a mark when some member was flagged. Each partition has an open-addressing table whose slots
     * hold key and id side by side, one cache line a probe; a key is never 0, as every LMS substring starts with an
     * S-type symbol, so 0 marks an empty slot.
     */
    private static final class DistinctKeys {
        private final Table[] tables = new Table[PARTITIONS];
        private final int[] bases = new int[PARTITIONS + 1];
        private long[] contents;

        /**
         * Replaces each key of partition p, keys {@code from} to {@code to} stored as two ints each, by its id within
         * the partition (in the first int).
         */
        void probePartition(int p, int[] keys, int from, int to) {
            Table table = new Table(to - from);
            for (int q = from; q < to; q++) {
                long key = ((long) keys[2 * q] << 32) | (keys[2 * q + 1] & 0xFFFFFFFFL);
                keys[2 * q] = table.add(key);
            }
            tables[p] = table;
            bases[p + 1] = bases[p] + table.size;
        }

        /** Gathers the partitions' keys into one array indexed by global id, once every partition is probed. */
        void seal() {
            contents = new long[bases[PARTITIONS]];
            for (int p = 0; p < PARTITIONS; p++) {
                System.arraycopy(tables[p].contents, 0, contents, bases[p], tables[p].size);
            }
        }

        /** The global id of partition p's first key. */
        int base(int p) {
            return bases[p];
        }

        /** The id of a key (without flag) that was added. */
        int idOf(long content) {
            int p = partitionOf(content);
            return bases[p] + tables[p].idOf(content);
        }

        int size() {
            return bases[PARTITIONS];
        }

        long content(int id) {
            return contents[id] & ~FLAGGED;
        }

        boolean mixed(int id) {
            return contents[id] < 0;
        }
    }

    /** One partition's distinct keys: ids in order of first appearance, flag kept in {@code contents}. */
    private static final class Table {
        private long[] slots;
        private int mask;
        private long[] contents;
        private int size;

        /** A table for {@code keys} keys, not all distinct: sized for at most 1024 distinct ones, then grown. */
        Table(int keys) {
            int capacity = Integer.highestOneBit(Math.max(8, Math.min(keys, 1 << 10)) * 2 - 1) * 2;
            slots = new long[2 * capacity];
            mask = capacity - 1;
            contents = new long[capacity];
        }

        /** The id of the key without its flag, added if new, and marked mixed if the key is flagged. */
        int add(long key) {
            long content = key & ~FLAGGED;
            int slot = slotOf(content);
            while (true) {
                long held = slots[2 * slot];
                if (held == content) {
                    int id = (int) slots[2 * slot + 1];
                    if (key < 0) {
                        contents[id] |= FLAGGED;
                    }
                    return id;
                }
                if (held == 0) {
                    return insert(slot, key);
                }
                slot = (slot + 1) & mask;
            }
        }

        int idOf(long content) {
            int slot = slotOf(content);
            while (slots[2 * slot] != content) {
                slot = (slot + 1) & mask;
            }
            return (int) slots[2 * slot + 1];
        }

        private int insert(int slot, long key) {
            int id = size++;
            if (id == contents.length) {
                contents = Arrays.copyOf(contents, 2 * id);
            }
            contents[id] = key;
            slots[2 * slot] = key & ~FLAGGED;
            slots[2 * slot + 1] = id;
            // At most 70 % full, so that probes stay short.
            if (size * 10L > 7L * (mask + 1)) {
                grow();
            }
            return id;
        }

        private void grow() {
            int capacity = 2 * (mask + 1);
            slots = new long[2 * capacity];
            mask = capacity - 1;
            for (int id = 0; id < size; id++) {
                long content = contents[id] & ~FLAGGED;
                int slot = slotOf(content);
                while (slots[2 * slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                slots[2 * slot] = content;
                slots[2 * slot + 1] = id;
            }
        }

        private int slotOf(long content) {
            return (int) ((content * HASH) >>> 32) & mask;
        }
    }

    /**
     * Orders a group of substrings with equal keys so far by the keys of their next seven symbols, again while a
     * flagged member remains (in the manner of a multikey radix sort), and writes their names to
     * {@code names[rank]}; returns the last name given.
     */
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
