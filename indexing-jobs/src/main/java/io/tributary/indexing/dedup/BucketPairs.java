package io.tributary.indexing.dedup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The candidate pairs of one LSH bucket (members sharing a band key), as {smaller, larger} ingest orders.
 * A bucket of up to {@code maxBucketSize} members gives all its pairs. A larger one (a band value so
 * common it would explode into n^2/2 pairs) gives each member with its next {@code maxBucketSize - 1}
 * members in ingest order, plus each member with the earliest: at most about n * maxBucketSize pairs,
 * and a member that duplicates the bucket's canonical is still found.
 */
public final class BucketPairs {
    private BucketPairs() {}

    public static boolean isCapped(int members, int maxBucketSize) {
        return members > maxBucketSize;
    }

    public static List<long[]> of(long[] members, int maxBucketSize) {
        long[] sorted = members.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        List<long[]> pairs = new ArrayList<>();
        int window = isCapped(n, maxBucketSize) ? maxBucketSize - 1 : n;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n && j <= i + window; j++) {
                pairs.add(new long[] {sorted[i], sorted[j]});
            }
        }
        if (isCapped(n, maxBucketSize)) {
            for (int j = window + 1; j < n; j++) {
                pairs.add(new long[] {sorted[0], sorted[j]});
            }
        }
        return pairs;
    }
}
