package io.tributary.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.training.tokenizer.BytesTokenizer;
import io.tributary.training.tokenizer.HuggingFaceTextTokenizer;
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
        try (HuggingFaceTextTokenizer huggingFace = HuggingFaceTextTokenizer.load(file, BytesTokenizer.BOS, BytesTokenizer.EOS)) {
            for (String text : new String[] {"Hello, world!", "  spaces\tand\nlines ", "Grüße, 東京 🚀", "MIT License"}) {
                int[] ids = bytes.encode(text);
                assertThat(huggingFace.encode(text)).as(text).containsExactly(ids);
                assertThat(huggingFace.decode(ids)).isEqualTo(text);
                assertThat(bytes.decode(ids)).isEqualTo(text);
            }
        }
    }

    @Test
    void bytesTokensAreTheIndexTokensEvenForTextThatIsNotWellFormed() {
        String text = "caf\u00e9 \u2713 \ud83d\ude00 lone \ud800 end";
        assertThat(new BytesTokenizer().encode(text))
                .containsExactly(new io.tributary.core.tokenize.ByteTokenizer().encode(text).tokens());
        assertThat(new BytesTokenizer().encode("lone \ud800")).endsWith(0xEF, 0xBF, 0xBD);
    }
}
