package io.tributary.indexing.dedup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The word shingles of a normalized text as a sorted set of 64-bit hashes. A word is a maximal run of
 * letters, digits and combining marks, so punctuation edits do not break shingles; a shingle is
 * {@code size} consecutive words. A text with fewer words than {@code size} has one shingle of all its
 * words; a text without words has none.
 */
public final class WordShingles {
    private WordShingles() {}

    public static long[] of(String normalizedText, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("shingle size must be at least 1, not " + size);
        }
        long[] words = wordHashes(normalizedText);
        if (words.length == 0) {
            return new long[0];
        }
        int count = Math.max(1, words.length - size + 1);
        int width = Math.min(size, words.length);
        long[] shingles = new long[count];
        for (int start = 0; start < count; start++) {
            long hash = 0x9E3779B97F4A7C15L;
            for (int offset = 0; offset < width; offset++) {
                hash = StableHash.mix(hash * 31 + words[start + offset]);
            }
            shingles[start] = hash;
        }
        return sortedDistinct(shingles);
    }

    static long[] wordHashes(String text) {
        List<Long> hashes = new ArrayList<>();
        int wordStart = -1;
        for (int i = 0; i <= text.length(); ) {
            int codePoint = i < text.length() ? text.codePointAt(i) : ' ';
            boolean inWord = i < text.length() && isWordCharacter(codePoint);
            if (inWord && wordStart < 0) {
                wordStart = i;
            } else if (!inWord && wordStart >= 0) {
                hashes.add(StableHash.of(text.substring(wordStart, i).getBytes(StandardCharsets.UTF_8)));
                wordStart = -1;
            }
            i += i < text.length() ? Character.charCount(codePoint) : 1;
        }
        long[] out = new long[hashes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = hashes.get(i);
        }
        return out;
    }

    private static boolean isWordCharacter(int codePoint) {
        if (Character.isLetterOrDigit(codePoint)) {
            return true;
        }
        int type = Character.getType(codePoint);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    private static long[] sortedDistinct(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, distinct);
    }
}
