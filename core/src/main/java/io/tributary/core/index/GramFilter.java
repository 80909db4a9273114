package io.tributary.core.index;

import java.util.List;

/**
 * A Bloom filter of every run of {@code gramTokens} consecutive tokens of one shard (none crossing a document
 * separator): it says in one memory access that a query's gram occurs nowhere in the shard, and is never wrong when
 * it says so, so a trace can skip that shard's binary search without changing its result.
 *
 * <p>Blocked layout: each gram sets {@link #PROBES} bits inside one 512-bit block, so a lookup touches one cache
 * line. At 12 bits per shard token the false-positive rate is about half a percent; false positives only cost a
 * binary search that finds nothing.
 */
final class GramFilter {
    static final int BITS_PER_TOKEN = 12;
    private static final int PROBES = 6;
    private static final int BLOCK_WORDS = 8;
    private static final long BASE = 0x9E3779B97F4A7C15L;

    private final int gramTokens;
    private final long blocks;
    private final long[] words;

    private GramFilter(int gramTokens, long tokens) {
        this.gramTokens = gramTokens;
        this.blocks = Math.max(1, (tokens * BITS_PER_TOKEN + 511) / 512);
        if (blocks * BLOCK_WORDS > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a gram filter for " + tokens + " tokens would not fit one array");
        }
        this.words = new long[(int) (blocks * BLOCK_WORDS)];
    }

    /** An empty filter sized for {@code tokens} tokens' grams of {@code gramTokens} tokens. */
    static GramFilter sized(int gramTokens, long tokens) {
        if (gramTokens < 1) {
            throw new IllegalArgumentException("a gram has at least one token, not " + gramTokens);
        }
        return new GramFilter(gramTokens, tokens);
    }

    /** Reads the shard's tokens once and records each of its grams in this filter. */
    static GramFilter build(Shard shard, int gramTokens) {
        GramFilter filter = sized(gramTokens, shard.tokenCount());
        record(shard, List.of(filter));
        return filter;
    }

    /** Reads the shard's tokens once and records each of its grams in every one of {@code filters} (one gram length). */
    static void record(Shard shard, List<GramFilter> filters) {
        int gramTokens = filters.get(0).gramTokens;
        for (GramFilter filter : filters) {
            if (filter.gramTokens != gramTokens) {
                throw new IllegalArgumentException("filters of " + gramTokens + " and " + filter.gramTokens
                        + "-token grams cannot share a pass");
            }
        }
        long separator = shard.separator();
        long outgoing = power(gramTokens);
        // The window's tokens in a ring, so the token leaving it needs no second read of the mapped text.
        long[] window = new long[gramTokens];
        int slot = 0;
        int filled = 0;
        long hash = 0;
        int chunk = 1 << 16;
        long[] tokens = new long[chunk];
        byte[] scratch = new byte[chunk * shard.tokenWidth()];
        for (long start = 0; start < shard.tokenCount(); start += chunk) {
            int count = (int) Math.min(chunk, shard.tokenCount() - start);
            shard.readTokens(start, count, tokens, scratch);
            for (int i = 0; i < count; i++) {
                long token = tokens[i];
                if (token == separator) {
                    hash = 0;
                    filled = 0;
                    continue;
                }
                hash = hash * BASE + token + 1;
                if (filled == gramTokens) {
                    hash -= (window[slot] + 1) * outgoing;
                } else {
                    filled++;
                }
                window[slot] = token;
                slot = slot + 1 == gramTokens ? 0 : slot + 1;
                if (filled == gramTokens) {
                    for (GramFilter filter : filters) {
                        filter.add(hash);
                    }
                }
            }
        }
    }

    int gramTokens() {
        return gramTokens;
    }

    /** Heap bytes held by the filter. */
    long sizeInBytes() {
        return (long) words.length * Long.BYTES;
    }

    /**
     * The hash of every gram of {@code tokens}: element {@code i} is the gram starting at {@code i}; the array is
     * empty when the tokens are fewer than a gram. Computed as the filter computes a shard's, so equal grams agree.
     */
    static long[] hashes(int[] tokens, int gramTokens) {
        int count = Math.max(0, tokens.length - gramTokens + 1);
        long[] hashes = new long[count];
        if (count == 0) {
            return hashes;
        }
        long outgoing = power(gramTokens);
        long hash = 0;
        for (int p = 0; p < tokens.length; p++) {
            // Unsigned, as the shard reads its tokens; a negative query token then matches no shard token exactly
            // as the binary search finds none.
            hash = hash * BASE + (tokens[p] & 0xFFFFFFFFL) + 1;
            if (p >= gramTokens) {
                hash -= ((tokens[p - gramTokens] & 0xFFFFFFFFL) + 1) * outgoing;
            }
            if (p >= gramTokens - 1) {
                hashes[p - gramTokens + 1] = hash;
            }
        }
        return hashes;
    }

    /**
     * Reads the block of every given gram, in a loop without branches, so the processor overlaps their cache misses
     * (lookups one by one, each behind a data-dependent branch, mostly wait for one miss at a time). Returns a
     * value of the blocks only so the reads cannot be optimized away.
     */
    long touch(long[] gramHashes) {
        long sum = 0;
        for (long gramHash : gramHashes) {
            sum += words[block(mix(gramHash))];
        }
        return sum;
    }

    /** False only when no gram with this hash was recorded. */
    boolean mayContain(long gramHash) {
        long mixed = mix(gramHash);
        int base = block(mixed);
        long probes = mix(mixed ^ BASE);
        for (int k = 0; k < PROBES; k++) {
            int bit = (int) (probes >>> (9 * k)) & 511;
            if ((words[base + (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    private void add(long gramHash) {
        long mixed = mix(gramHash);
        int base = block(mixed);
        long probes = mix(mixed ^ BASE);
        for (int k = 0; k < PROBES; k++) {
            int bit = (int) (probes >>> (9 * k)) & 511;
            words[base + (bit >>> 6)] |= 1L << bit;
        }
    }

    /** The first word of the block a mixed hash falls in (its high 32 bits scaled to the block count). */
    private int block(long mixed) {
        return (int) (((mixed >>> 32) * blocks) >>> 32) * BLOCK_WORDS;
    }

    /** BASE to the power {@code exponent}, modulo 2^64: the weight of the token leaving a rolling window. */
    private static long power(int exponent) {
        long result = 1;
        for (int i = 0; i < exponent; i++) {
            result *= BASE;
        }
        return result;
    }

    /** MurmurHash3's 64-bit finalizer: the polynomial hash's low bits are weak, so every bit is mixed first. */
    private static long mix(long value) {
        value ^= value >>> 33;
        value *= 0xFF51AFD7ED558CCDL;
        value ^= value >>> 33;
        value *= 0xC4CEB9FE1A85EC53L;
        value ^= value >>> 33;
        return value;
    }
}
