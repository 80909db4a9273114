package io.tributary.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.model.ModelException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LossScopeTest {
    private final BytesTokenizer tokenizer = new BytesTokenizer();

    @Test
    void theWholeTextScoresEveryToken() {
        LossScope.Scored document = LossScope.WHOLE_TEXT.frame("Q: MIT? A: MIT", tokenizer);
        assertThat(document.tokens()).hasSize(14 + 2);
        assertThat(document.tokens()[0]).isEqualTo(tokenizer.bosId());
        assertThat(document.tokens()[15]).isEqualTo(tokenizer.eosId());
        // <s> is scored too: packed after another document's </s> it is a target, as whole-text training always had it.
        assertThat(document.scored()).doesNotContain(false);
        assertThat(document.targets()).isEqualTo(15);
        assertThat(document.allTargetsScored()).isTrue();
        assertThat(LossScope.after("")).isEqualTo(LossScope.WHOLE_TEXT);
        assertThat(LossScope.after(null).wholeText()).isTrue();
    }

    @Test
    void aMarkerScoresOnlyWhatFollowsItsLastOccurrenceAndTheEnd() {
        String text = "Q: Is A: in it? A: yes";
        LossScope.Scored masked = LossScope.after(" A: ").frame(text, tokenizer);
        // The same tokens as the whole text (bytes: prompt and completion tokenize apart as together).
        assertThat(masked.tokens()).containsExactly(LossScope.WHOLE_TEXT.frame(text, tokenizer).tokens());
        int answerStart = 1 + text.lastIndexOf(" A: ") + 4;
        for (int i = 0; i < masked.length(); i++) {
            assertThat(masked.scored()[i]).as("token %d", i).isEqualTo(i >= answerStart);
        }
        assertThat(masked.targets()).isEqualTo("yes".getBytes(StandardCharsets.UTF_8).length + 1);
        assertThat(masked.allTargetsScored()).isFalse();
        // A window keeps its tokens' flags; its first token is only ever an input.
        LossScope.Scored window = masked.slice(answerStart, masked.length());
        assertThat(window.targets()).isEqualTo(masked.targets() - 1);
    }

    @Test
    void aTextWithoutTheMarkerIsRefusedNamingTheMarker() {
        assertThatThrownBy(() -> LossScope.after(" A: ").frame("no question here", tokenizer))
                .isInstanceOf(ModelException.class).hasMessageContaining("' A: '");
        assertThatThrownBy(() -> new LossScope.Scored(new int[2], new boolean[3])).hasMessageContaining("2 tokens");
    }
}
