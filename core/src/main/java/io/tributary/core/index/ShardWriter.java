package io.tributary.core.index;

import io.tributary.core.hash.Hex;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/** Builds one shard (tokens, suffix array, document table) from documents and writes it to a stream. */
public final class ShardWriter {
    private static final int CHUNK = 1 << 20;

    private ShardWriter() {}

    /** What a written shard holds, and the SHA-256 of its bytes. */
    public record Summary(long tokens, long documents, long bytes, int tokenWidth, int pointerWidth, String sha256) {}

    /**
     * Writes a shard of {@code documents} (in order) whose token ids fit {@code tokenWidth} bytes, the
     * all-ones value excluded. The stream is flushed, not closed.
     */
    public static Summary write(List<IndexedDocument> documents, int tokenWidth, OutputStream out) throws IOException {
        if (tokenWidth != 1 && tokenWidth != 2 && tokenWidth != 4) {
            throw new IllegalArgumentException("token width must be 1, 2 or 4 bytes, not " + tokenWidth);
        }
        long total = documents.size();
        for (IndexedDocument document : documents) {
            total += document.tokens().length;
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a shard holds fewer than 2^31 tokens; got " + total
                    + ": lower tributary.index.shard-tokens");
        }
        int n = (int) total;
        long separator = ShardFormat.separator(tokenWidth);
        // For sorting, the separator becomes one more than the largest token, so it sorts after every token
        // exactly as the all-ones value stored in the file does.
        int largest = -1;
        int[] text = new int[n];
        long[] starts = new long[documents.size()];
        int at = 0;
        for (int d = 0; d < documents.size(); d++) {
            starts[d] = at;
            for (int token : documents.get(d).tokens()) {
                if (token < 0 || token >= separator) {
                    throw new IllegalArgumentException("token " + token + " of document "
                            + documents.get(d).contributionId() + " does not fit " + tokenWidth + " bytes");
                }
                text[at++] = token;
                largest = Math.max(largest, token);
            }
            text[at++] = -1;
        }
        int separatorSymbol = largest + 1;
        for (int i = 0; i < n; i++) {
            if (text[i] < 0) {
                text[i] = separatorSymbol;
            }
        }
        int[] suffixes = SuffixArrayBuilder.build(text, n, separatorSymbol + 1);
        long suffixCount = n - documents.size(); // separator suffixes sort last; they are dropped
        int pointerWidth = ShardFormat.pointerWidth(n);

        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        CountingStream counting = new CountingStream(new DigestOutputStream(new NonClosing(out), sha256));
        long tokensOffset = ShardFormat.HEADER_BYTES;
        long suffixesOffset = tokensOffset + (long) n * tokenWidth;
        long documentsOffset = suffixesOffset + suffixCount * pointerWidth;

        ByteBuffer header = ByteBuffer.allocate(ShardFormat.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put(ShardFormat.MAGIC).putInt(ShardFormat.VERSION).putInt(tokenWidth).putInt(pointerWidth).putInt(0)
                .putLong(n).putLong(suffixCount).putLong(documents.size())
                .putLong(tokensOffset).putLong(suffixesOffset).putLong(documentsOffset);
        counting.write(header.array());

        ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            long value = text[i] == separatorSymbol ? separator : text[i];
            chunk = room(chunk, tokenWidth, counting);
            putUnsigned(chunk, value, tokenWidth);
        }
        text = null; // the token copy is no longer needed; let a large shard's memory go before the next section
        for (long r = 0; r < suffixCount; r++) {
            chunk = room(chunk, pointerWidth, counting);
            putUnsigned(chunk, suffixes[(int) r], pointerWidth);
        }
        for (int d = 0; d < documents.size(); d++) {
            chunk = room(chunk, ShardFormat.DOCUMENT_BYTES, counting);
            chunk.putLong(starts[d]);
            chunk.put(documents.get(d).contributionId().bytes());
            chunk.put(documents.get(d).contributor().bytes());
        }
        counting.write(chunk.array(), 0, chunk.position());
        counting.flush();
        return new Summary(n, documents.size(), counting.count, tokenWidth, pointerWidth, Hex.encode(sha256.digest()));
    }

    private static ByteBuffer room(ByteBuffer chunk, int needed, OutputStream out) throws IOException {
        if (chunk.remaining() < needed) {
            out.write(chunk.array(), 0, chunk.position());
            chunk.clear();
        }
        return chunk;
    }

    private static void putUnsigned(ByteBuffer chunk, long value, int width) {
        switch (width) {
            case 1 -> chunk.put((byte) value);
            case 2 -> chunk.putShort((short) value);
            case 4 -> chunk.putInt((int) value);
            default -> {
                for (int i = 0; i < width; i++) {
                    chunk.put((byte) (value >>> (8 * i)));
                }
            }
        }
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        private long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }
    }

    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
