package io.tributary.core.tokenize;

/**
 * One token per byte of the text's UTF-8 encoding: the default, and the tokenizer of the small models the
 * project trains itself. Every byte of a character maps back to that character's range.
 *
 * <p>The vocabulary is declared as 255 ids because UTF-8 never contains the byte 0xFF, which leaves 0xFF
 * free as the document separator: an index of byte tokens stores one byte per token.
 */
public final class ByteTokenizer implements Tokenizer {
    public static final String NAME = "bytes";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int vocabularySize() {
        return 255;
    }

    @Override
    public Encoding encode(String text) {
        int length = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            length += utf8Length(codePoint);
            i += Character.charCount(codePoint);
        }
        int[] tokens = new int[length];
        int[] starts = new int[length];
        int[] ends = new int[length];
        int t = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int end = i + Character.charCount(codePoint);
            if (Character.isSurrogate((char) codePoint)) {
                codePoint = 0xFFFD; // a lone surrogate cannot be encoded; it becomes U+FFFD
            }
            int size = utf8Length(codePoint);
            for (int b = 0; b < size; b++) {
                tokens[t] = utf8Byte(codePoint, size, b);
                starts[t] = i;
                ends[t] = end;
                t++;
            }
            i = end;
        }
        return new Encoding(tokens, starts, ends);
    }

    private static int utf8Length(int codePoint) {
        if (codePoint < 0x80) {
            return 1;
        }
        if (codePoint < 0x800) {
            return 2;
        }
        if (codePoint < 0x10000) {
            return 3;
        }
        return 4;
    }

    private static int utf8Byte(int codePoint, int size, int index) {
        if (size == 1) {
            return codePoint;
        }
        if (index == 0) {
            int lead = switch (size) {
                case 2 -> 0xC0;
                case 3 -> 0xE0;
                default -> 0xF0;
            };
            return lead | (codePoint >>> (6 * (size - 1)));
        }
        return 0x80 | ((codePoint >>> (6 * (size - 1 - index))) & 0x3F);
    }
}
