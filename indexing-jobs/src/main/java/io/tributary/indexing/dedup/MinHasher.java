package io.tributary.indexing.dedup;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * MinHash signatures under a seeded family of universal hash functions h(x) = (a x + b) mod (2^61 - 1):
 * for each function, the smallest hash over a set's elements. Two sets agree on one signature position
 * with probability equal to their Jaccard similarity. The same seed gives the same family everywhere.
 */
public final class MinHasher implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long MERSENNE_61 = (1L << 61) - 1;

    private final long[] multipliers;
    private final long[] offsets;

    public MinHasher(int hashes, long seed) {
        if (hashes < 1) {
            throw new IllegalArgumentException("the number of hash functions must be at least 1, not " + hashes);
        }
        SplittableRandom random = new SplittableRandom(seed);
        multipliers = new long[hashes];
        offsets = new long[hashes];
        for (int i = 0; i < hashes; i++) {
            multipliers[i] = 1 + random.nextLong(MERSENNE_61 - 1);
            offsets[i] = random.nextLong(MERSENNE_61);
        }
    }

    public int hashes() {
        return multipliers.length;
    }

    /** The signature of a non-empty set of 64-bit elements; an empty set has no meaningful signature. */
    public long[] signature(long[] elements) {
        if (elements.length == 0) {
            throw new IllegalArgumentException("an empty set has no MinHash signature");
        }
        long[] signature = new long[multipliers.length];
        Arrays.fill(signature, Long.MAX_VALUE);
        for (long element : elements) {
            long x = modMersenne(element);
            for (int i = 0; i < multipliers.length; i++) {
                long hash = hash(multipliers[i], offsets[i], x);
                if (hash < signature[i]) {
                    signature[i] = hash;
                }
            }
        }
        return signature;
    }

    private static long hash(long a, long b, long x) {
        // a * x is up to 122 bits: split at 2^61, where 2^61 is congruent to 1 modulo the prime.
        long low = a * x;
        long high = Math.multiplyHigh(a, x);
        long folded = (low & MERSENNE_61) + ((low >>> 61) | (high << 3));
        return modMersenne(modMersenne(folded) + b);
    }

    private static long modMersenne(long value) {
        long reduced = (value & MERSENNE_61) + (value >>> 61);
        return reduced >= MERSENNE_61 ? reduced - MERSENNE_61 : reduced;
    }
}
