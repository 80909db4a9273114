package io.tributary.indexing.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextNormalizerTest {
    @Test
    void foldsCompatibilityFormsCaseAndWhiteSpace() {
        assertThat(TextNormalizer.normalize("  The\u00a0Ｌｉｃｅｎｓｅ\t\tis\r\nFREE  ")).isEqualTo("the license is free");
    }

    @Test
    void foldsCaseTheWayUnicodeFullCaseFoldingDoes() {
        assertThat(TextNormalizer.normalize("STRASSE")).isEqualTo(TextNormalizer.normalize("straße"));
        assertThat(TextNormalizer.normalize("ΟΔΟΣ")).isEqualTo(TextNormalizer.normalize("οδος"));
        assertThat(TextNormalizer.normalize("ﬁle")).isEqualTo("file");
    }

    @Test
    void composesCombiningSequences() {
        assertThat(TextNormalizer.normalize("Cafe\u0301")).isEqualTo("caf\u00e9");
    }

    @Test
    void anAllWhiteSpaceTextNormalizesToEmpty() {
        assertThat(TextNormalizer.normalize(" \n\t\u2003")).isEmpty();
    }
}
