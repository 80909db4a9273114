package io.tributary.core.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ByteTokenizerTest {
    private final ByteTokenizer tokenizer = new ByteTokenizer();

    @Test
    void tokensAreTheUtf8BytesAndMapBackToTheirCharacters() {
        String text = "aé€😀b";
        Encoding encoding = tokenizer.encode(text);
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertThat(encoding.size()).isEqualTo(utf8.length);
        for (int i = 0; i < utf8.length; i++) {
            assertThat(encoding.tokens()[i]).isEqualTo(utf8[i] & 0xFF);
        }
        // 'a' | 'é' (2 bytes) | '€' (3 bytes) | '😀' (4 bytes, two chars) | 'b'
        assertThat(encoding.starts()).containsExactly(0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 5);
        assertThat(encoding.ends()).containsExactly(1, 2, 2, 3, 3, 3, 5, 5, 5, 5, 6);
        assertThat(encoding.characters(3, 6)).containsExactly(2, 3);
    }

    @Test
    void oneByteTokensLeaveTheSeparatorFree() {
        assertThat(tokenizer.tokenWidth()).isEqualTo(1);
        assertThat(Tokenizer.widthFor(50_000)).isEqualTo(2);
        assertThat(Tokenizer.widthFor(65_535)).isEqualTo(2);
        assertThat(Tokenizer.widthFor(65_536)).isEqualTo(4);
        assertThat(Tokenizer.widthFor(200_000)).isEqualTo(4);
    }
}
