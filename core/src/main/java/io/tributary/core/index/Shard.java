package io.tributary.core.index;

import io.tributary.core.crypto.Address;
import io.tributary.core.hash.Hex;
import io.tributary.core.id.ContributionId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

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

    /** The text position of the suffix of the given rank. */
    long suffix(long rank) {
        return file.unsigned(suffixesOffset + rank * pointerWidth, pointerWidth);
    }

    /**
     * Compares the suffix of {@code rank} with {@code query[from, to)}: negative when the suffix sorts before
     * it, zero when the query is a prefix of the suffix, positive after. Writes the length of their common
     * prefix to {@code commonPrefix[0]} when that array is given.
     */
    private int compare(long rank, int[] query, int from, int to, int[] commonPrefix) {
        long position = suffix(rank);
        int matched = 0;
        int result = 0;
        for (int i = from; i < to; i++) {
            // The text ends with a separator, which no query token equals, so position stays in range.
            long token = token(position + matched);
            if (token != query[i]) {
                result = token < query[i] ? -1 : 1;
                break;
            }
            matched++;
        }
        if (commonPrefix != null) {
            commonPrefix[0] = matched;
        }
        return result;
    }

    /** The ranks {@code [first, last)} of the suffixes that start with {@code query[from, to)}. */
    public long[] range(int[] query, int from, int to) {
        long low = 0;
        long high = suffixCount;
        while (low < high) {
            long middle = (low + high) >>> 1;
            if (compare(middle, query, from, to, null) < 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        long first = low;
        high = suffixCount;
        while (low < high) {
            long middle = (low + high) >>> 1;
            if (compare(middle, query, from, to, null) <= 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return new long[] {first, low};
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
        long low = 0;
        long high = suffixCount;
        int[] common = new int[1];
        int best = 0;
        while (low < high) {
            long middle = (low + high) >>> 1;
            int order = compare(middle, query, from, to, common);
            best = Math.max(best, common[0]);
            if (order == 0) {
                return to - from;
            }
            if (order < 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return best;
    }

    /** The document holding the text position {@code position}. */
    public DocumentRef documentAt(long position) {
        int index = Arrays.binarySearch(documentStarts, position);
        if (index < 0) {
            index = -index - 2;
        }
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
