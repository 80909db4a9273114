package io.tributary.indexing.dedup;

import java.util.Random;

/** Deterministic test texts: random words from a fixed vocabulary, and copies with known edits. */
final class SampleText {
    private static final String[] VOCABULARY = buildVocabulary();

    private SampleText() {}

    static String words(Random random, int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.append(i % 12 == 0 ? "\n" : " ");
            }
            out.append(VOCABULARY[random.nextInt(VOCABULARY.length)]);
        }
        return out.toString();
    }

    /** Replaces {@code edits} words spread evenly over the text with a word from outside the vocabulary. */
    static String editWords(String text, Random random, int edits) {
        String[] words = text.split(" ");
        for (int i = 0; i < edits; i++) {
            int at = (int) ((i + 0.5) * words.length / edits);
            words[at] = "edit" + random.nextInt(1_000_000);
        }
        return String.join(" ", words);
    }

    /** Same words, different white space: what a normalized duplicate looks like. */
    static String reflow(String text) {
        return "  " + text.replace(" ", "  \t").replace("\n", " \r\n ") + "\n";
    }

    private static String[] buildVocabulary() {
        String[] syllables = {"ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "pa", "do", "fe", "gu", "hi"};
        String[] out = new String[2000];
        Random random = new Random(42);
        for (int i = 0; i < out.length; i++) {
            StringBuilder word = new StringBuilder();
            int length = 2 + random.nextInt(3);
            for (int s = 0; s < length; s++) {
                word.append(syllables[random.nextInt(syllables.length)]);
            }
            out[i] = word.toString();
        }
        return out;
    }
}
