package io.tributary.indexing.dedup;

/** Exact Jaccard similarity of two sets given as sorted arrays of distinct values. */
public final class Jaccard {
    private Jaccard() {}

    /** |a ∩ b| / |a ∪ b|; two empty sets are not similar (0), as an empty text duplicates nothing. */
    public static double similarity(long[] a, long[] b) {
        if (a.length == 0 || b.length == 0) {
            return 0.0;
        }
        int i = 0;
        int j = 0;
        int common = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                common++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return (double) common / (a.length + b.length - common);
    }

    /** The largest Jaccard two sets of these sizes can have; pairs below the threshold need no merge. */
    public static double upperBound(int sizeA, int sizeB) {
        if (sizeA == 0 || sizeB == 0) {
            return 0.0;
        }
        return (double) Math.min(sizeA, sizeB) / Math.max(sizeA, sizeB);
    }
}
