package io.tributary.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {
    @TempDir
    Path temp;

    @Test
    void bytesTokenizerAndItsTokenizerJsonAgreeThroughHuggingFaceTokenizers() throws Exception {
        Path file = temp.resolve("tokenizer.json");
        Files.writeString(file, BytesTokenizer.huggingFaceJson());
        BytesTokenizer bytes = new BytesTokenizer();
        try (HuggingFaceTokenizer huggingFace = HuggingFaceTokenizer.load(file, BytesTokenizer.BOS, BytesTokenizer.EOS)) {
            for (String text : new String[] {"Hello, world!", "  spaces\tand\nlines ", "Grüße, 東京 🚀", "MIT License"}) {
                int[] ids = bytes.ids(text);
                assertThat(huggingFace.ids(text)).as(text).containsExactly(ids);
                assertThat(huggingFace.decode(ids)).isEqualTo(text);
                assertThat(bytes.decode(ids)).isEqualTo(text);
            }
        }
    }

    @Test
    void bytesTokensAreTheIndexTokensEvenForTextThatIsNotWellFormed() {
        String text = "caf\u00e9 \u2713 \ud83d\ude00 lone \ud800 end";
        assertThat(new BytesTokenizer().ids(text))
                .containsExactly(new io.tributary.core.tokenize.ByteTokenizer().encode(text).tokens());
        assertThat(new BytesTokenizer().ids("lone \ud800")).endsWith(0xEF, 0xBF, 0xBD);
    }
}
