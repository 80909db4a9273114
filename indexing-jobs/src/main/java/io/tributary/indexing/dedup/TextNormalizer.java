package io.tributary.indexing.dedup;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The text two contributions are compared by: Unicode NFKC, then case folding, then every run of
 * white space collapsed to one space and the ends trimmed. Two texts are {@code normalized} duplicates
 * when these forms are equal.
 */
public final class TextNormalizer {
    private TextNormalizer() {}

    public static String normalize(String text) {
        String compatible = Normalizer.normalize(text, Normalizer.Form.NFKC);
        // Upper then lower case in the root locale is Java's nearest to Unicode full case folding
        // (ß -> ss, ς -> σ, ﬁ -> fi); NFKC again because case mapping can leave unnormalized sequences.
        String folded = Normalizer.normalize(
                compatible.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT), Normalizer.Form.NFKC);
        return collapseWhitespace(folded);
    }

    private static String collapseWhitespace(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean pendingSpace = false;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (isWhitespace(codePoint)) {
                pendingSpace = out.length() > 0;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.appendCodePoint(codePoint);
            }
        }
        return out.toString();
    }

    /** Java's white space plus the no-break spaces, which {@link Character#isWhitespace} leaves out. */
    private static boolean isWhitespace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }
}
