package io.tributary.core.tokenize;

/**
 * Turns text into token ids, each mapped back to the characters of the text it came from, so that spans
 * found in token space are reported in characters of the text the user gave.
 */
public interface Tokenizer {
    /** The name recorded in index manifests: {@code bytes}, or {@code huggingface:<sha256 of tokenizer.json>}. */
    String name();

    /** Every token id is in {@code [0, vocabularySize())}. */
    int vocabularySize();

    Encoding encode(String text);

    /**
     * Bytes per token in an index: the narrowest of 1, 2 or 4 that holds every id plus the all-ones
     * document separator, which must sort after every token.
     */
    default int tokenWidth() {
        return widthFor(vocabularySize());
    }

    static int widthFor(long vocabularySize) {
        if (vocabularySize <= 0xFF) {
            return 1;
        }
        if (vocabularySize <= 0xFFFF) {
            return 2;
        }
        return 4;
    }
}
