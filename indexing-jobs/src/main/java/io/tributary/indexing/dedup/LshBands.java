package io.tributary.indexing.dedup;

/**
 * Cuts a MinHash signature into bands of consecutive rows and hashes each band to one 64-bit key:
 * two texts become a candidate pair when they share the key of at least one band (same band index).
 */
public final class LshBands {
    private LshBands() {}

    public static long[] keys(long[] signature, int bands, int rows) {
        if (signature.length != bands * rows) {
            throw new IllegalArgumentException("a signature of " + signature.length + " values cannot be cut into "
                    + bands + " bands of " + rows + " rows");
        }
        long[] keys = new long[bands];
        for (int band = 0; band < bands; band++) {
            long hash = 0x2545F4914F6CDD1DL;
            for (int row = 0; row < rows; row++) {
                hash = StableHash.mix(hash * 31 + signature[band * rows + row]);
            }
            keys[band] = hash;
        }
        return keys;
    }
}
