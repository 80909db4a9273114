package io.tributary.indexing.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WordShinglesTest {
    @Test
    void aTextOfNWordsHasNMinusKPlusOneShingles() {
        assertThat(WordShingles.of("one two three four five six seven", 5)).hasSize(3);
    }

    @Test
    void punctuationDoesNotSplitOrJoinWords() {
        assertThat(WordShingles.of("one, two; three... four (five) six", 3))
                .containsExactly(WordShingles.of("one two three four five six", 3));
    }

    @Test
    void repeatedShinglesCountOnceAndComeSorted() {
        long[] shingles = WordShingles.of("a b a b a b a b", 2);
        assertThat(shingles).hasSize(2);
        assertThat(shingles[0]).isLessThan(shingles[1]);
    }

    @Test
    void shortTextsHaveOneShingleAndEmptyTextsNone() {
        assertThat(WordShingles.of("just two", 5)).hasSize(1);
        assertThat(WordShingles.of(" ... ", 5)).isEmpty();
    }

    @Test
    void wordOrderMatters() {
        assertThat(WordShingles.of("alpha beta", 2)).isNotEqualTo(WordShingles.of("beta alpha", 2));
    }
}
