package io.tributary.operations.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.operations.audit.CompletionSpans.CharacterRange;
import io.tributary.operations.audit.CompletionSpans.Segment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Token offsets of the byte tokenizer mapped to characters, against offsets found by searching the UTF-8 bytes. */
class CompletionSpansTest {
    @Test
    void byteTokenOffsetsMapToCharactersOfMultiByteText() {
        String completion = "Größe: 5 € — naïve café 🙂 fin";
        String quoted = "€ — naïve café";
        byte[] bytes = completion.getBytes(StandardCharsets.UTF_8);
        byte[] needle = quoted.getBytes(StandardCharsets.UTF_8);
        int byteStart = indexOf(bytes, needle);

        CharacterRange range = CompletionSpans.characters("bytes", completion, byteStart, byteStart + needle.length);

        assertThat(completion.substring(range.charStart(), range.charEnd())).isEqualTo(quoted);
        assertThat(range.charStart()).isEqualTo(completion.indexOf(quoted));
    }

    @Test
    void otherTokenizersKeepTokenOffsetsUnmappedAndOutOfRangeSpansAreRefused() {
        assertThat(CompletionSpans.characters("huggingface:abc", "some text", 0, 2).mapped()).isFalse();
        assertThatThrownBy(() -> CompletionSpans.characters("bytes", "short", 2, 9)).hasMessageContaining("outside the completion's 5 tokens");
    }

    @Test
    void segmentsMarkTheAccountOverOthers() {
        String completion = "abcdefghij";
        List<Segment> segments = CompletionSpans.segments(completion, List.of(new CharacterRange(2, 5, 2, 5)),
                List.of(new CharacterRange(4, 8, 4, 8)));

        assertThat(segments).containsExactly(new Segment("ab", null), new Segment("cde", "account"), new Segment("fgh", "other"),
                new Segment("ij", null));
        assertThat(String.join("", segments.stream().map(Segment::text).toList())).isEqualTo(completion);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
