package io.tributary.core.index;

import io.tributary.core.crypto.Address;
import io.tributary.core.hash.Hex;
import io.tributary.core.id.ContributionId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One shard file, memory-mapped (never read into the heap, beyond its document start offsets), with the
 * suffix-array searches that counting and tracing are made of. Safe for concurrent readers.
 */
public final class Shard implements AutoCloseable {
    private final MappedFile file;
    private final int tokenWidth;
    private final int pointerWidth;
    private final long tokenCount;
    private final long suffixCount;
    private final long tokensOffset;
    private final long suffixesOffset;
    private final long documentsOffset;
    private final long[] documentStarts;
    /**
     * Each document's id and contributor, read and checked on first use and kept (the shard never changes): a span
     * of common text lists the same documents trace after trace, and building a reference costs two hex encodings
     * and two validations. One reference per document, filled only for documents some trace listed.
     */
    private final DocumentRef[] documentRefs;
    /** The filter of this shard's grams, once {@link #filterGrams} built one; null before. */
    private volatile GramFilter gramFilter;

    private Shard(MappedFile file) {
        this.file = file;
        byte[] magic = new byte[ShardFormat.MAGIC.length];
        if (file.size() < ShardFormat.HEADER_BYTES) {
            throw new IllegalArgumentException(file.path() + " is not a Tributary shard: too short");
        }
        file.read(0, magic);
        if (!Arrays.equals(magic, ShardFormat.MAGIC)) {
            throw new IllegalArgumentException(file.path() + " is not a Tributary shard: bad magic");
        }
        int version = (int) file.unsignedInt(8);
        if (version != ShardFormat.VERSION) {
            throw new IllegalArgumentException(file.path() + " has shard format " + version
                    + "; this build reads format " + ShardFormat.VERSION);
        }
        tokenWidth = (int) file.unsignedInt(12);
        pointerWidth = (int) file.unsignedInt(16);
        tokenCount = file.longValue(24);
        suffixCount = file.longValue(32);
        long documentCount = file.longValue(40);
        tokensOffset = file.longValue(48);
        suffixesOffset = file.longValue(56);
        documentsOffset = file.longValue(64);
        long expected = documentsOffset + documentCount * ShardFormat.DOCUMENT_BYTES;
        if (expected != file.size() || suffixesOffset != tokensOffset + tokenCount * tokenWidth
                || documentsOffset != suffixesOffset + suffixCount * pointerWidth) {
            throw new IllegalArgumentException(file.path() + " is truncated or corrupt: header says "
                    + expected + " bytes, file has " + file.size());
        }
        documentStarts = new long[Math.toIntExact(documentCount)];
        documentRefs = new DocumentRef[documentStarts.length];
        for (int d = 0; d < documentStarts.length; d++) {
            documentStarts[d] = file.longValue(documentsOffset + (long) d * ShardFormat.DOCUMENT_BYTES);
        }
    }

    public static Shard open(Path path) throws IOException {
        return new Shard(MappedFile.open(path));
    }

    public Path path() {
        return file.path();
    }

    /** Tokens in the shard, document separators included. */
    public long tokenCount() {
        return tokenCount;
    }

    public long documentCount() {
        return documentStarts.length;
    }

    public long sizeInBytes() {
        return file.size();
    }

    /** The token at {@code position}, unsigned; the separator is the all-ones value of the token width. */
    long token(long position) {
        long offset = tokensOffset + position * tokenWidth;
        return switch (tokenWidth) {
            case 1 -> file.unsignedByte(offset);
            case 2 -> file.unsignedShort(offset);
            default -> file.unsignedInt(offset);
        };
    }

    /**
     * Copies {@code count} tokens from text position {@code from} into {@code into}, unsigned (a bulk read for passes
     * over the whole text, much cheaper than a {@link #token} call each).
     */
    void readTokens(long from, int count, long[] into, byte[] scratch) {
        file.read(tokensOffset + from * tokenWidth, scratch, count * tokenWidth);
        for (int i = 0; i < count; i++) {
            int at = i * tokenWidth;
            into[i] = switch (tokenWidth) {
                case 1 -> scratch[at] & 0xFFL;
                case 2 -> (scratch[at] & 0xFFL) | (scratch[at + 1] & 0xFFL) << 8;
                default -> (scratch[at] & 0xFFL) | (scratch[at + 1] & 0xFFL) << 8 | (scratch[at + 2] & 0xFFL) << 16
                        | (scratch[at + 3] & 0xFFL) << 24;
            };
        }
    }

    /** Bytes per token in this shard. */
    int tokenWidth() {
        return tokenWidth;
    }

    /** The separator's value at this shard's token width. */
    long separator() {
        return ShardFormat.separator(tokenWidth);
    }

    /**
     * Builds this shard's filter of {@code gramTokens}-token grams unless it has one of that length already (one
     * at a time: a different length replaces it), recording the grams in {@code alsoInto} (a filter over several
     * shards) in the same pass over the tokens. The filter stays on the heap, {@link GramFilter#BITS_PER_TOKEN} bits
     * per token.
     */
    synchronized void filterGrams(int gramTokens, GramFilter alsoInto) {
        GramFilter current = gramFilter;
        if (current != null && current.gramTokens() == gramTokens) {
            GramFilter.record(this, List.of(alsoInto));
            return;
        }
        GramFilter own = GramFilter.sized(gramTokens, tokenCount);
        GramFilter.record(this, List.of(own, alsoInto));
        gramFilter = own;
    }

    /** The gram filter, or null when none was built. */
    GramFilter gramFilter() {
        return gramFilter;
    }

    /** The text position of the suffix of the given rank. */
    long suffix(long rank) {
        return file.unsigned(suffixesOffset + rank * pointerWidth, pointerWidth);
    }

    /**
     * Compares the suffix of {@code rank} with {@code query[from, to)}, whose first {@code known} tokens the caller
     * knows it shares: negative when the suffix sorts before the query, zero when the query is a prefix of the
     * suffix, positive after. Returns the order in the high half and the common prefix length in the low half
     * (see {@link #order} and {@link #common}), so the search loops allocate nothing.
     */
    private long compare(long rank, int[] query, int from, int to, int known) {
        long position = suffix(rank);
        int matched = known;
        int order = 0;
        for (int i = from + known; i < to; i++) {
            // The text ends with a separator, which no query token equals, so position stays in range.
            long token = token(position + matched);
            if (token != query[i]) {
                order = token < query[i] ? -1 : 1;
                break;
            }
            matched++;
        }
        return ((long) order << 32) | matched;
    }

    private static int order(long comparison) {
        return (int) (comparison >> 32);
    }

    private static int common(long comparison) {
        return (int) comparison;
    }

    /**
     * The first rank whose suffix does not sort before the query ({@code inclusive}: before or equal to it, where
     * equal means the query is its prefix). Binary search that skips the prefix the query is known to share with
     * both current bounds: every suffix between two that share a prefix with the query shares it too (the
     * classic Manber-Myers shortcut without an LCP array).
     */
    private long boundary(int[] query, int from, int to, long low, long high, boolean inclusive) {
        return boundary(query, from, to, low, 0, high, 0, inclusive);
    }

    /**
     * {@link #boundary} between ranks known to bound the answer: the suffix at {@code low - 1} (if any) shares
     * {@code lowCommon} tokens with the query, the one at {@code high} (if any) {@code highCommon}; 0 where unknown.
     */
    private long boundary(int[] query, int from, int to, long low, int lowCommon, long high, int highCommon,
                          boolean inclusive) {
        while (low < high) {
            long middle = (low + high) >>> 1;
            long comparison = compare(middle, query, from, to, Math.min(lowCommon, highCommon));
            int order = order(comparison);
            if (order < 0 || (inclusive && order == 0)) {
                low = middle + 1;
                lowCommon = common(comparison);
            } else {
                high = middle;
                highCommon = common(comparison);
            }
        }
        return low;
    }

    /** The ranks {@code [first, last)} of the suffixes that start with {@code query[from, to)}. */
    public long[] range(int[] query, int from, int to) {
        long first = boundary(query, from, to, 0, suffixCount, false);
        long last = boundary(query, from, to, first, suffixCount, true);
        return new long[] {first, last};
    }

    /** Occurrences of {@code query[from, to)}, overlapping ones included; none crosses a document boundary. */
    public long count(int[] query, int from, int to) {
        if (to <= from) {
            return 0;
        }
        long[] range = range(query, from, to);
        return range[1] - range[0];
    }

    /**
     * The length of the longest prefix of {@code query[from, to)} that occurs in this shard: the longer common
     * prefix of the query with the suffixes on either side of its insertion point in the suffix array.
     */
    public int longestPrefixMatch(int[] query, int from, int to) {
        return longestPrefixMatch(query, from, to, null);
    }

    /** {@link #longestPrefixMatch}, recording its comparisons in {@code probes} (when not null) for {@link #rangeOfMatch}. */
    int longestPrefixMatch(int[] query, int from, int to, Probes probes) {
        if (probes != null) {
            probes.count = 0;
        }
        long low = 0;
        long high = suffixCount;
        int lowCommon = 0;
        int highCommon = 0;
        int best = 0;
        while (low < high) {
            long middle = (low + high) >>> 1;
            long comparison = compare(middle, query, from, to, Math.min(lowCommon, highCommon));
            int order = order(comparison);
            int common = common(comparison);
            best = Math.max(best, common);
            if (probes != null) {
                probes.add(middle, order, common);
            }
            if (order == 0) {
                return to - from;
            }
            if (order < 0) {
                low = middle + 1;
                lowCommon = common;
            } else {
                high = middle;
                highCommon = common;
            }
        }
        return best;
    }

    /**
     * The ranks {@code [first, last)} of the suffixes that start with {@code query[from, from + length)}, where
     * {@code length} is what {@link #longestPrefixMatch} just returned for {@code query[from, ...)} with these
     * {@code probes}: the same as {@link #range}, but each boundary is searched only between the probes that bound
     * it (those sharing fewer than {@code length} tokens lie outside the occurrences, those sharing all lie inside,
     * and the search converged on the occurrences), a few comparisons where {@link #range} spends two whole searches.
     */
    long[] rangeOfMatch(int[] query, int from, int length, Probes probes) {
        if (length == 0) {
            return new long[] {0, suffixCount};
        }
        long before = -1; // the last rank known to sort before the occurrences
        int beforeCommon = 0;
        long after = suffixCount; // the first rank known to sort after them
        int afterCommon = 0;
        long firstInside = Long.MAX_VALUE;
        long lastInside = -1;
        for (int p = 0; p < probes.count; p++) {
            long rank = probes.ranks[p];
            int common = probes.commons[p];
            if (common >= length) {
                firstInside = Math.min(firstInside, rank);
                lastInside = Math.max(lastInside, rank);
            } else if (probes.orders[p] < 0) {
                if (rank > before) {
                    before = rank;
                    beforeCommon = common;
                }
            } else if (rank < after) {
                after = rank;
                afterCommon = common;
            }
        }
        if (lastInside < 0) {
            throw new IllegalStateException("no search probe shares the " + length + " tokens it reported");
        }
        int to = from + length;
        long first = boundary(query, from, to, before + 1, beforeCommon, firstInside, length, false);
        long last = boundary(query, from, to, lastInside + 1, length, after, afterCommon, true);
        return new long[] {first, last};
    }

    /**
     * The comparisons of one {@link #longestPrefixMatch}: rank, order and common prefix of each probe. Scratch for
     * one thread, overwritten by the next search; a binary search over fewer than 2^63 suffixes makes under 64.
     */
    static final class Probes {
        private final long[] ranks = new long[64];
        private final int[] commons = new int[64];
        private final byte[] orders = new byte[64];
        private int count;

        private void add(long rank, int order, int common) {
            ranks[count] = rank;
            orders[count] = (byte) order;
            commons[count] = common;
            count++;
        }
    }

    /** The document holding the text position {@code position}. */
    public DocumentRef documentAt(long position) {
        return document(documentIndexAt(position));
    }

    /** The number (0, 1, ...) of the document holding the text position {@code position}. */
    public int documentIndexAt(long position) {
        int index = Arrays.binarySearch(documentStarts, position);
        return index >= 0 ? index : -index - 2;
    }

    /** The document numbered {@code index}. */
    public DocumentRef document(int index) {
        // A race only reads the entry twice: a record's fields are final, so any thread sees a whole reference.
        DocumentRef known = documentRefs[index];
        if (known == null) {
            known = readDocument(index);
            documentRefs[index] = known;
        }
        return known;
    }

    private DocumentRef readDocument(int index) {
        long entry = documentsOffset + (long) index * ShardFormat.DOCUMENT_BYTES;
        byte[] id = new byte[32];
        byte[] contributor = new byte[20];
        file.read(entry + 8, id);
        file.read(entry + 40, contributor);
        return new DocumentRef(new ContributionId(Hex.encode(id)), Address.ofBytes(contributor));
    }

    /**
     * Up to {@code length} tokens from {@code position}, stopping before the end of its document (for
     * sampling queries out of the index).
     */
    public int[] tokens(long position, int length) {
        int[] out = new int[length];
        long separator = ShardFormat.separator(tokenWidth);
        int n = 0;
        while (n < length && position + n < tokenCount) {
            long token = token(position + n);
            if (token == separator) {
                break;
            }
            out[n++] = (int) token;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** The text position of the occurrence at {@code rank} (from {@link #range}). */
    public long occurrence(long rank) {
        return suffix(rank);
    }

    @Override
    public void close() {
        file.close();
    }
}
