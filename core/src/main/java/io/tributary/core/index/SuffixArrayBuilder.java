package io.tributary.core.index;

/**
 * Builds suffix arrays in linear time by induced sorting (SA-IS: Nong, Zhang and Chan, 2009) over an integer
 * alphabet of any size, so byte text, token ids of large vocabularies and the reduced strings of the
 * recursion all go through the same code.
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

    /** The suffix array of the bytes of {@code text}, read as unsigned values. */
    public static int[] build(byte[] text) {
        int[] symbols = new int[text.length];
        for (int i = 0; i < text.length; i++) {
            symbols[i] = text[i] & 0xFF;
        }
        return build(symbols, symbols.length, 256);
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
        long[] sType = classify(text, n);
        int[] counts = new int[k];
        for (int i = 0; i < n; i++) {
            counts[text[i]]++;
        }
        int[] buckets = new int[k];

        // Stage 1: drop the LMS suffixes, in text order, at the ends of their buckets and induce: afterwards
        // the LMS substrings are sorted.
        java.util.Arrays.fill(suffixes, 0, n, 0);
        bucketEnds(counts, buckets, k);
        int lmsCount = 0;
        for (int i = n - 1; i > 0; i--) {
            if (isLms(sType, i)) {
                suffixes[--buckets[text[i]]] = i;
                lmsCount++;
            }
        }
        induce(text, suffixes, n, k, counts, buckets);

        // Compact the sorted LMS suffixes into suffixes[0, lmsCount).
        int m = 0;
        for (int i = 0; i < n; i++) {
            int p = suffixes[i];
            if (isLms(sType, p)) {
                suffixes[m++] = p;
            }
        }
        // Name the LMS substrings: equal substrings get equal names. Slot m + p/2 (LMS positions are at least
        // two apart, so slots are distinct) first holds the length of the substring at p, then its name + 1.
        java.util.Arrays.fill(suffixes, m, n, 0);
        int nextLms = -1;
        int finalLms = -1;
        for (int i = n - 1; i > 0; i--) {
            if (isLms(sType, i)) {
                // Ends at the next LMS position inclusive; the last one reaches the sentinel and is unique.
                if (nextLms < 0) {
                    finalLms = i;
                }
                suffixes[m + (i >>> 1)] = nextLms < 0 ? n - i : nextLms - i + 1;
                nextLms = i;
            }
        }
        int names = 0;
        int previous = -1;
        int previousLength = 0;
        for (int i = 0; i < m; i++) {
            int p = suffixes[i];
            int length = suffixes[m + (p >>> 1)];
            boolean same = previous >= 0 && length == previousLength && p != finalLms && previous != finalLms
                    && equalRange(text, previous, p, length);
            if (!same) {
                names++;
            }
            previous = p;
            previousLength = length;
            suffixes[m + (p >>> 1)] = names;
        }
        int[] reduced = new int[m];
        for (int i = n - 1, j = m - 1; i >= m; i--) {
            if (suffixes[i] > 0) {
                reduced[j--] = suffixes[i] - 1;
            }
        }

        // Stage 2: sort the reduced string, by recursion unless every name is unique.
        if (names < m) {
            sort(reduced, suffixes, m, names);
        } else {
            for (int i = 0; i < m; i++) {
                suffixes[reduced[i]] = i;
            }
        }
        // reduced[] now becomes the LMS positions in text order, to map reduced suffixes back to the text.
        for (int i = n - 1, j = m - 1; i > 0; i--) {
            if (isLms(sType, i)) {
                reduced[j--] = i;
            }
        }
        for (int i = 0; i < m; i++) {
            suffixes[i] = reduced[suffixes[i]];
        }
        java.util.Arrays.fill(suffixes, m, n, 0);
        // Place the sorted LMS suffixes at their bucket ends, largest first, so no unread entry is overwritten.
        bucketEnds(counts, buckets, k);
        for (int i = m - 1; i >= 0; i--) {
            int p = suffixes[i];
            suffixes[i] = 0;
            suffixes[--buckets[text[p]]] = p;
        }
        induce(text, suffixes, n, k, counts, buckets);
    }

    /** Bit i is set when suffix i is S-type (smaller than suffix i+1); the last suffix is L-type. */
    private static long[] classify(int[] text, int n) {
        long[] sType = new long[(n + 63) >>> 6];
        boolean nextIsS = false;
        for (int i = n - 2; i >= 0; i--) {
            int c = text[i];
            int next = text[i + 1];
            boolean isS = c < next || (c == next && nextIsS);
            if (isS) {
                sType[i >>> 6] |= 1L << i;
            }
            nextIsS = isS;
        }
        return sType;
    }

    private static boolean isS(long[] sType, int i) {
        return (sType[i >>> 6] & (1L << i)) != 0;
    }

    private static boolean isLms(long[] sType, int i) {
        return i > 0 && isS(sType, i) && !isS(sType, i - 1);
    }

    private static boolean equalRange(int[] text, int a, int b, int length) {
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
     * Induces L-type suffixes left to right from the LMS suffixes in place, then S-type suffixes right to
     * left. Entries are flipped as they are scanned so that each scan acts only on entries left for it, and
     * every entry is a plain non-negative position at the end.
     */
    private static void induce(int[] text, int[] suffixes, int n, int k, int[] counts, int[] buckets) {
        bucketStarts(counts, buckets, k);
        // Suffix n-1 precedes the virtual sentinel, so it is L-type and the smallest suffix of its bucket.
        int j = n - 1;
        int bucket = text[j];
        int slot = buckets[bucket];
        suffixes[slot++] = (j > 0 && text[j - 1] < bucket) ? ~j : j;
        for (int i = 0; i < n; i++) {
            j = suffixes[i];
            suffixes[i] = ~j;
            if (j > 0) {
                j--;
                int c = text[j];
                if (c != bucket) {
                    buckets[bucket] = slot;
                    bucket = c;
                    slot = buckets[c];
                }
                // j is L-type; its predecessor is S-type (to be induced by the S scan) when smaller.
                suffixes[slot++] = (j > 0 && text[j - 1] < c) ? ~j : j;
            }
        }
        bucketEnds(counts, buckets, k);
        bucket = 0;
        slot = buckets[0];
        for (int i = n - 1; i >= 0; i--) {
            j = suffixes[i];
            if (j > 0) {
                j--;
                int c = text[j];
                if (c != bucket) {
                    buckets[bucket] = slot;
                    bucket = c;
                    slot = buckets[c];
                }
                // j is S-type; its predecessor is S-type too unless it is larger.
                suffixes[--slot] = (j == 0 || text[j - 1] > c) ? ~j : j;
            } else {
                suffixes[i] = ~j;
            }
        }
    }
}
