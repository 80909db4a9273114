package io.tributary.operations.audit;

import io.tributary.core.lake.LakeTable;
import io.tributary.core.tokenize.ByteTokenizer;
import io.tributary.core.tokenize.Encoding;
import io.tributary.operations.lake.LakeReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the stream's span offsets (tokens of the Datanet's index tokenizer, as recorded in {@code attributions}) to
 * characters of the completion, and cuts a completion into highlighted segments. The index tokenizer is the one
 * its latest {@code index_manifest} row names; this module maps {@code bytes} (core's {@link ByteTokenizer}).
 * A Hugging Face index keeps its token offsets but is not highlighted: its tokenizer lives in model-runtime,
 * which this module does not load.
 */
public final class CompletionSpans {
    /** A piece of a completion; {@code mark} is {@code account} (the audited account's span), {@code other} or null. */
    public record Segment(String text, String mark) {}

    /** A span of tokens [tokenStart, tokenEnd) and the characters [charStart, charEnd) it covers (-1 when unknown). */
    public record CharacterRange(int tokenStart, int tokenEnd, int charStart, int charEnd) {
        public boolean mapped() {
            return charStart >= 0;
        }
    }

    private final LakeReader lake;

    public CompletionSpans(LakeReader lake) {
        this.lake = lake;
    }

    /** The tokenizer name of the Datanet's index ({@code bytes} when it has no index yet: the default). */
    public String tokenizerOf(String datanet) {
        return lake.rows(LakeTable.INDEX_MANIFEST).stream()
                .filter(row -> datanet.equals(row.get("datanet")))
                .max(Comparator.comparing((Map<String, Object> row) -> (Long) row.get("version"))
                        .thenComparing(row -> (Instant) row.get("built_at")))
                .map(row -> (String) row.get("tokenizer"))
                .orElse(ByteTokenizer.NAME);
    }

    /** The character range of a token span of the completion; unmapped when the tokenizer is not {@code bytes}. */
    public static CharacterRange characters(String tokenizer, String completion, int tokenStart, int tokenEnd) {
        if (!ByteTokenizer.NAME.equals(tokenizer)) {
            return new CharacterRange(tokenStart, tokenEnd, -1, -1);
        }
        Encoding encoding = new ByteTokenizer().encode(completion);
        if (tokenStart < 0 || tokenEnd > encoding.size() || tokenStart >= tokenEnd) {
            throw new IllegalArgumentException("span [" + tokenStart + ", " + tokenEnd + ") is outside the completion's "
                    + encoding.size() + " tokens");
        }
        int[] range = encoding.characters(tokenStart, tokenEnd);
        return new CharacterRange(tokenStart, tokenEnd, range[0], range[1]);
    }

    /**
     * The completion cut at every mapped range: text covered by an {@code account} range is marked {@code account},
     * text covered only by other ranges {@code other}, the rest unmarked.
     */
    public static List<Segment> segments(String completion, List<CharacterRange> accountRanges, List<CharacterRange> otherRanges) {
        String[] marks = new String[completion.length()];
        for (CharacterRange range : otherRanges) {
            mark(marks, range, "other");
        }
        for (CharacterRange range : accountRanges) {
            mark(marks, range, "account");
        }
        List<Segment> segments = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= completion.length(); i++) {
            if (i == completion.length() || !java.util.Objects.equals(marks[i], marks[start])) {
                segments.add(new Segment(completion.substring(start, i), marks[start]));
                start = i;
            }
        }
        return segments;
    }

    private static void mark(String[] marks, CharacterRange range, String mark) {
        if (range.mapped()) {
            for (int i = range.charStart(); i < range.charEnd() && i < marks.length; i++) {
                marks[i] = mark;
            }
        }
    }

    static Optional<Integer> integer(Object value) {
        return value == null ? Optional.empty() : Optional.of(((Number) value).intValue());
    }
}
