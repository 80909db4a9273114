package io.tributary.core.index;

import java.util.Arrays;

/**
 * Builds suffix arrays by induced sorting (SA-IS: Nong, Zhang and Chan, 2009; linear time) over an integer
 * alphabet of any size, so token ids of large vocabularies and the reduced strings of the recursion go
 * through the same code; byte text has its own top level over {@code byte[]} (see {@link #build(byte[])}),
 * whose LMS substrings are named from keys of their first symbols ({@link LmsSubstringSorter}: a table of the
 * distinct keys, O(n log n) at worst) instead of the first induction.
 *
 * <p>The text ends with a virtual sentinel smaller than every symbol; it is not part of the output. During
 * the two induction scans an entry {@code j >= 0} means "suffix j, whose predecessor is still to be induced
 * in this scan" and {@code ~j} means "suffix j, nothing to induce", which spares the scans from reading a
 * type array (the predecessor's type follows from comparing two adjacent symbols when j is placed).
 */
public final class SuffixArrayBuilder {

    private SuffixArrayBuilder() {}

    /** The suffix array of {@code text[0, n)} whose symbols lie in {@code [0, alphabetSize)}. */
    public static int[] build(int[] text, int n, int alphabetSize) {
        if (n < 0 || n > text.length) {
            throw new IllegalArgumentException("length " + n + " outside the text of " + text.length + " symbols");
        }
        int[] suffixes = new int[n];
        sort(text, suffixes, n, alphabetSize);
        return suffixes;
    }

    /**
     * The suffix array of the bytes of {@code text}, read as unsigned values and sorted without widening them
     * to ints first (speed against divsufsort: docs/benchmarks.md).
     */
    public static int[] build(byte[] text) {
        int[] suffixes = new int[text.length];
        sortBytes(text, suffixes, text.length);
        return suffixes;
    }

    /** Sorts the suffixes of {@code text[0, n)} into {@code suffixes[0, n)}. Symbols must lie in [0, k). */
    static void sort(int[] text, int[] suffixes, int n, int k) {
        if (n == 0) {
            return;
        }
        if (n == 1) {
            suffixes[0] = 0;
            return;
        }
        int[] counts = new int[k];
        int[] lmsCounts = new int[k];
        long[] lms = classify(text, n, counts, lmsCounts);
        int[] buckets = new int[k];

        // Stage 1: drop the LMS suffixes, in text order, at the ends of their buckets and induce: afterwards
        // the LMS substrings are sorted.
        Arrays.fill(suffixes, 0, n, 0);
        bucketEnds(counts, buckets, k);
        for (int w = lms.length - 1; w >= 0; w--) {
            for (long bits = lms[w]; bits != 0; bits &= ~Long.highestOneBit(bits)) {
                int i = (w << 6) + 63 - Long.numberOfLeadingZeros(bits);
                suffixes[--buckets[text[i]]] = i;
            }
        }
        int m = induceLmsOrder(text, suffixes, n, k, counts, buckets);
        sortLmsSuffixes(text, suffixes, n, m, lms);
        bucketEnds(counts, buckets, k);
        placeSortedLms(suffixes, n, m, k, buckets, lmsCounts);
        induce(text, suffixes, n, k, counts, buckets);
    }

    /**
     * Moves the m sorted LMS suffixes of {@code suffixes[0, m)} to the ends of their buckets and clears every
     * other entry. Sorted suffixes come grouped by first symbol, so the per-symbol LMS counts say where each
     * group goes: block moves, largest symbol first, instead of a read of the text at every suffix.
     */
    private static void placeSortedLms(int[] suffixes, int n, int m, int k, int[] bucketEnds, int[] lmsCounts) {
        int source = m;
        int limit = n;
        for (int c = k - 1; c >= 0 && source > 0; c--) {
            int count = lmsCounts[c];
            if (count > 0) {
                source -= count;
                // target >= source: the symbols below c fill at least as many slots as their LMS suffixes.
                int target = bucketEnds[c] - count;
                System.arraycopy(suffixes, source, suffixes, target, count);
                Arrays.fill(suffixes, target + count, limit, 0);
                limit = target;
            }
        }
        Arrays.fill(suffixes, 0, limit, 0);
    }

    /**
     * Given the m LMS suffixes of an int text in {@code suffixes[n - m, n)}, in the order of their LMS substrings
     * (from the first induction), names the substrings, sorts the reduced string and leaves the LMS suffixes
     * sorted in {@code suffixes[0, m)}.
     */
    private static void sortLmsSuffixes(int[] text, int[] suffixes, int n, int m, long[] lms) {
        System.arraycopy(suffixes, n - m, suffixes, 0, m);
        int[] reduced = new int[m];
        int names = nameIntSubstrings(text, suffixes, n, m, lms, reduced);
        sortReduced(reduced, names, suffixes, m);
        // reduced[] now becomes the LMS positions in text order, to map reduced suffixes back to the text.
        lmsPositions(lms, reduced);
        mapBack(suffixes, m, reduced);
    }

    /** Stage 2: sorts the reduced string into {@code suffixes[0, m)}, by recursion unless every name is unique. */
    private static void sortReduced(int[] reduced, int names, int[] suffixes, int m) {
        if (names < m) {
            sort(reduced, suffixes, m, names);
        } else {
            for (int i = 0; i < m; i++) {
                suffixes[reduced[i]] = i;
            }
        }
    }

    /** Writes the LMS positions, in text order, to {@code positions}. */
    private static void lmsPositions(long[] lms, int[] positions) {
        for (int w = 0, j = 0; w < lms.length; w++) {
            for (long bits = lms[w]; bits != 0; bits &= bits - 1) {
                positions[j++] = (w << 6) + Long.numberOfTrailingZeros(bits);
            }
        }
    }

    /** Turns the sorted suffixes of the reduced string into the sorted LMS suffixes of the text. */
    private static void mapBack(int[] suffixes, int m, int[] positions) {
        for (int i = 0; i < m; i++) {
            suffixes[i] = positions[suffixes[i]];
        }
    }

    /**
     * Names the LMS substrings of an int text sorted in {@code suffixes[0, m)}: equal substrings get equal names.
     * Writes the names, in text order of the LMS positions, to {@code reduced}; returns the number of names.
     */
    private static int nameIntSubstrings(int[] text, int[] suffixes, int n, int m, long[] lms, int[] reduced) {
        // Slot m + p/2 (LMS positions are at least two apart, so slots are distinct) receives the name + 1 of the
        // substring at p. A substring runs to the next LMS position inclusive, found from the bit array; the last
        // one reaches the sentinel and is unique. Equal symbols over equal lengths imply equal types, as both
        // end S-type.
        Arrays.fill(suffixes, m, n, 0);
        int names = 0;
        int previous = -1;
        int previousLength = 0;
        for (int i = 0; i < m; i++) {
            int p = suffixes[i];
            int end = nextLms(lms, p + 1);
            int length = end < 0 ? -1 : end - p + 1;
            if (length != previousLength || length < 0 || !equalInts(text, previous, p, length)) {
                names++;
            }
            previous = p;
            previousLength = length;
            suffixes[m + (p >>> 1)] = names;
        }
        for (int i = n - 1, j = m - 1; i >= m; i--) {
            if (suffixes[i] > 0) {
                reduced[j--] = suffixes[i] - 1;
            }
        }
        return names;
    }

    /**
     * {@link #sort} for byte text read as unsigned, written out for {@code byte[]} rather than converted: the
     * induction scans read the text at random, and 1 byte a symbol keeps most of it in cache where 4 do not.
     * The LMS substrings are sorted and named without the first induction (see {@link LmsSubstringSorter}).
     */
    private static void sortBytes(byte[] text, int[] suffixes, int n) {
        if (n == 0) {
            return;
        }
        if (n == 1) {
            suffixes[0] = 0;
            return;
        }
        if (n > LmsSubstringSorter.MAX_TEXT) {
            int[] symbols = new int[n];
            for (int i = 0; i < n; i++) {
                symbols[i] = text[i] & 0xFF;
            }
            sort(symbols, suffixes, n, 256);
            return;
        }
        int[] counts = new int[256];
        int[] lmsCounts = new int[256];
        long[] sType = new long[(n + 63) >>> 6];
        long[] lms = classifyBytes(text, n, counts, lmsCounts, sType);
        int m = 0;
        for (int count : lmsCounts) {
            m += count;
        }
        int[] positions = new int[m];
        lmsPositions(lms, positions);
        int[] reduced = new int[m];
        int names = new LmsSubstringSorter(text, sType, lms, positions).name(suffixes, reduced);
        sortReduced(reduced, names, suffixes, m);
        mapBack(suffixes, m, positions);
        int[] buckets = new int[256];
        bucketEnds(counts, buckets, 256);
        placeSortedLms(suffixes, n, m, 256, buckets, lmsCounts);
        induceBytes(text, suffixes, n, counts, buckets);
    }

    /** {@link #induce} over byte text read as unsigned. */
    private static void induceBytes(byte[] text, int[] suffixes, int n, int[] counts, int[] buckets) {
        bucketStarts(counts, buckets, 256);
        int j = n - 1;
        int bucket = text[j] & 0xFF;
        int slot = buckets[bucket];
        suffixes[slot++] = (j > 0 && (text[j - 1] & 0xFF) < bucket) ? ~j : j;
        for (int i = 0; i < n; i++) {
            j = suffixes[i];
            suffixes[i] = ~j;
            if (j > 0) {
                j--;
                int c = text[j] & 0xFF;
                if (c != bucket) {
                    buckets[bucket] = slot;
                    bucket = c;
                    slot = buckets[c];
                }
                suffixes[slot++] = (j > 0 && (text[j - 1] & 0xFF) < c) ? ~j : j;
            }
        }
        bucketEnds(counts, buckets, 256);
        bucket = 0;
        slot = buckets[0];
        for (int i = n - 1; i >= 0; i--) {
            j = suffixes[i];
            if (j > 0) {
                j--;
                int c = text[j] & 0xFF;
                if (c != bucket) {
                    buckets[bucket] = slot;
                    bucket = c;
                    slot = buckets[c];
                }
                suffixes[--slot] = (j == 0 || (text[j - 1] & 0xFF) > c) ? ~j : j;
            } else {
                suffixes[i] = ~j;
            }
        }
    }


    /**
     * Counts the symbols and the LMS suffixes starting with each, sets bit i of {@code sType} when suffix i is
     * S-type (smaller than suffix i+1; the last suffix is L-type), and returns the LMS bit array: bit i is set
     * when suffix i is S-type and suffix i-1 is L-type.
     */
    private static long[] classifyBytes(byte[] text, int n, int[] counts, int[] lmsCounts, long[] sType) {
        long[] lms = new long[(n + 63) >>> 6];
        int next = text[n - 1] & 0xFF;
        counts[next]++;
        int nextS = 0;
        long word = 0;
        long sWord = 0;
        for (int i = n - 2; i >= 0; i--) {
            int c = text[i] & 0xFF;
            counts[c]++;
            // S when smaller than the next symbol, or equal to it and the next suffix is S; branch-free, as
            // natural text makes the comparison unpredictable.
            int s = ((c - next) >>> 31) | ((((c ^ next) - 1) >>> 31) & nextS);
            int isLms = nextS & (s ^ 1);
            lmsCounts[next] += isLms;
            word |= (long) isLms << (i + 1);
            sWord |= (long) s << i;
            if ((i & 63) == 0) {
                sType[i >>> 6] = sWord;
                sWord = 0;
            }
            if (((i + 1) & 63) == 0) {
                lms[(i + 1) >>> 6] = word;
                word = 0;
            }
            nextS = s;
            next = c;
        }
        lms[0] = word;
        return lms;
    }

    /** {@link #classifyBytes} for symbols of an int text, without the S-type bits. */
    private static long[] classify(int[] text, int n, int[] counts, int[] lmsCounts) {
        long[] lms = new long[(n + 63) >>> 6];
        int next = text[n - 1];
        counts[next]++;
        int nextS = 0;
        long word = 0;
        for (int i = n - 2; i >= 0; i--) {
            int c = text[i];
            counts[c]++;
            int s = ((c - next) >>> 31) | ((((c ^ next) - 1) >>> 31) & nextS);
            int isLms = nextS & (s ^ 1);
            lmsCounts[next] += isLms;
            word |= (long) isLms << (i + 1);
            if (((i + 1) & 63) == 0) {
                lms[(i + 1) >>> 6] = word;
                word = 0;
            }
            nextS = s;
            next = c;
        }
        lms[0] = word;
        return lms;
    }

    /** The first LMS position at or after {@code from}, or -1. */
    private static int nextLms(long[] lms, int from) {
        int w = from >>> 6;
        if (w >= lms.length) {
            return -1;
        }
        long word = lms[w] & (-1L << from);
        while (word == 0) {
            if (++w == lms.length) {
                return -1;
            }
            word = lms[w];
        }
        return (w << 6) + Long.numberOfTrailingZeros(word);
    }

    private static boolean equalInts(int[] text, int a, int b, int length) {
        for (int d = 0; d < length; d++) {
            if (text[a + d] != text[b + d]) {
                return false;
            }
        }
        return true;
    }

    private static void bucketStarts(int[] counts, int[] buckets, int k) {
        int sum = 0;
        for (int c = 0; c < k; c++) {
            buckets[c] = sum;
            sum += counts[c];
        }
    }

    private static void bucketEnds(int[] counts, int[] buckets, int k) {
        int sum = 0;
        for (int c = 0; c < k; c++) {
            sum += counts[c];
            buckets[c] = sum;
        }
    }

    /**
     * The first induction: sorts the LMS substrings and leaves the m LMS suffixes, in that order, in
     * {@code suffixes[n - m, n)}; returns m. Only their order matters here, so the L scan clears what it has used,
     * and the S scan collects the LMS suffixes as it meets them (they are the entries it placed marked, as their
     * predecessor is larger) into the part of the array it has passed, instead of a search of the bit array.
     */
    private static int induceLmsOrder(int[] text, int[] suffixes, int n, int k, int[] counts, int[] buckets) {
        bucketStarts(counts, buckets, k);
        placeLast(text, suffixes, n, buckets);
        for (int i = 0; i < n; i++) {
            int j = suffixes[i];
            if (j > 0) {
                suffixes[i] = 0;
                j--;
                int c = text[j];
                suffixes[buckets[c]++] = (j > 0 && text[j - 1] < c) ? ~j : j;
            } else {
                suffixes[i] = ~j;
            }
        }
        bucketEnds(counts, buckets, k);
        int collected = n;
        for (int i = n - 1; i >= 0; i--) {
            int j = suffixes[i];
            if (j > 0) {
                j--;
                int c = text[j];
                suffixes[--buckets[c]] = (j == 0 || text[j - 1] > c) ? ~j : j;
            } else if (j < -1) {
                suffixes[--collected] = ~j;
            }
        }
        return n - collected;
    }

    /**
     * Induces L-type suffixes left to right from the LMS suffixes in place, then S-type suffixes right to
     * left. Entries are flipped as they are scanned so that each scan acts only on entries left for it, and
     * every entry is a plain non-negative position at the end.
     */
    private static void induce(int[] text, int[] suffixes, int n, int k, int[] counts, int[] buckets) {
        bucketStarts(counts, buckets, k);
        placeLast(text, suffixes, n, buckets);
        for (int i = 0; i < n; i++) {
            int j = suffixes[i];
            suffixes[i] = ~j;
            if (j > 0) {
                j--;
                int c = text[j];
                // j is L-type; its predecessor is S-type (to be induced by the S scan) when smaller.
                suffixes[buckets[c]++] = (j > 0 && text[j - 1] < c) ? ~j : j;
            }
        }
        bucketEnds(counts, buckets, k);
        for (int i = n - 1; i >= 0; i--) {
            int j = suffixes[i];
            if (j > 0) {
                j--;
                int c = text[j];
                // j is S-type; its predecessor is S-type too unless it is larger.
                suffixes[--buckets[c]] = (j == 0 || text[j - 1] > c) ? ~j : j;
            } else {
                suffixes[i] = ~j;
            }
        }
    }

    /** Suffix n-1 precedes the virtual sentinel, so it is L-type and the smallest suffix of its bucket. */
    private static void placeLast(int[] text, int[] suffixes, int n, int[] bucketStarts) {
        int last = n - 1;
        int c = text[last];
        suffixes[bucketStarts[c]++] = (last > 0 && text[last - 1] < c) ? ~last : last;
    }
}
