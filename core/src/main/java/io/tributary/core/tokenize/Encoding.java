package io.tributary.core.tokenize;

import java.util.Arrays;

/**
 * Token ids of a text and, for each token, the character range {@code [start, end)} of the text it covers
 * (Java chars, i.e. UTF-16 code units, as String offsets are).
 */
public record Encoding(int[] tokens, int[] starts, int[] ends) {
    public Encoding {
        if (tokens.length != starts.length || tokens.length != ends.length) {
            throw new IllegalArgumentException("tokens, starts and ends differ in length: "
                    + tokens.length + ", " + starts.length + ", " + ends.length);
        }
    }

    public int size() {
        return tokens.length;
    }

    /** The character range {@code [start, end)} covered by tokens {@code [from, to)}. */
    public int[] characters(int from, int to) {
        return new int[] {starts[from], ends[to - 1]};
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Encoding that && Arrays.equals(tokens, that.tokens)
                && Arrays.equals(starts, that.starts) && Arrays.equals(ends, that.ends);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tokens) * 31 + Arrays.hashCode(starts);
    }

    @Override
    public String toString() {
        return "Encoding" + Arrays.toString(tokens);
    }
}
