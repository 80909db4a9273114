package io.tributary.indexing.dedup;

/**
 * 64-bit hashing that is the same on every JVM and machine (unlike {@code hashCode} of collections),
 * so signatures and band keys computed on different executors or runs agree.
 */
final class StableHash {
    private StableHash() {}

    /** FNV-1a over the bytes, finished with {@link #mix}. */
    static long of(byte[] bytes) {
        long hash = 0xCBF29CE484222325L;
        for (byte b : bytes) {
            hash ^= b & 0xFF;
            hash *= 0x100000001B3L;
        }
        return mix(hash);
    }

    /** The finalizer of MurmurHash3 (fmix64): every input bit affects every output bit. */
    static long mix(long value) {
        long h = value;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
