package io.tributary.core.index;

/**
 * The layout of a shard file, little-endian throughout.
 *
 * <pre>
 * header (128 bytes): magic "TRIBSHD1", format version (int), token width (int: 1, 2 or 4), pointer width
 *   (int: ceil(log2 N / 8) bytes), reserved (int), token count N (long, separators included), suffix count
 *   (long: N minus the documents, as suffixes starting at a separator are never searched), document count
 *   (long), offsets of the tokens, suffixes and documents sections (longs), then zeros.
 * tokens:    N tokens of the token width; each document is followed by the separator (all bits set).
 * suffixes:  the suffix array without separator suffixes, each pointer in pointer width bytes.
 * documents: per document, its first token (long), contribution id (32 bytes), contributor (20 bytes).
 * </pre>
 */
final class ShardFormat {
    static final byte[] MAGIC = {'T', 'R', 'I', 'B', 'S', 'H', 'D', '1'};
    static final int VERSION = 1;
    static final int HEADER_BYTES = 128;
    static final int DOCUMENT_BYTES = 8 + 32 + 20;

    private ShardFormat() {}

    /** Bytes per suffix pointer for a shard of {@code tokens} tokens: enough to address every position. */
    static int pointerWidth(long tokens) {
        int bits = 64 - Long.numberOfLeadingZeros(Math.max(1, tokens - 1));
        return Math.max(1, (bits + 7) / 8);
    }

    static long separator(int tokenWidth) {
        return tokenWidth == 4 ? 0xFFFFFFFFL : (1L << (8 * tokenWidth)) - 1;
    }
}
