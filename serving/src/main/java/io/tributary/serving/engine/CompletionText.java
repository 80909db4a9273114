package io.tributary.serving.engine;

import io.tributary.model.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of a completion as its tokens arrive: decodes the tokens so far, ends the completion at the first stop
 * sequence (which is not part of the text, as in OpenAI's API), and hands out only text that is final: not an
 * incomplete UTF-8 character and not a possible beginning of a stop sequence.
 */
public final class CompletionText {
    private static final char REPLACEMENT = '\uFFFD';
    private final TextTokenizer tokenizer;
    private final List<String> stops;
    private final List<Integer> tokens = new ArrayList<>();
    private String text = "";
    private int emitted;
    private boolean stopped;

    public CompletionText(TextTokenizer tokenizer, List<String> stops) {
        this.tokenizer = tokenizer;
        this.stops = stops;
    }

    /** Adds a generated token; returns the text that became final (possibly empty). */
    public String add(int token) {
        tokens.add(token);
        String full = tokenizer.decode(tokens.stream().mapToInt(Integer::intValue).toArray());
        int stable = full.length();
        while (stable > 0 && full.charAt(stable - 1) == REPLACEMENT) {
            stable--;
        }
        String candidate = full.substring(0, stable);
        int stopAt = -1;
        for (String stop : stops) {
            int at = candidate.indexOf(stop);
            if (at >= 0 && (stopAt < 0 || at < stopAt)) {
                stopAt = at;
            }
        }
        if (stopAt >= 0) {
            stopped = true;
            text = candidate.substring(0, stopAt);
            return take(text.length());
        }
        text = full;
        return take(candidate.length() - heldBack(candidate));
    }

    /** Everything not handed out yet, at the end of the completion. */
    public String finish() {
        return take(text.length());
    }

    public boolean stopped() {
        return stopped;
    }

    /** The completion's text: everything decoded, cut before the stop sequence when one appeared. */
    public String text() {
        return text;
    }

    private String take(int end) {
        if (end <= emitted) {
            return "";
        }
        String delta = text.substring(emitted, end);
        emitted = end;
        return delta;
    }

    /** Length of the longest end of {@code candidate} that begins a stop sequence. */
    private int heldBack(String candidate) {
        int held = 0;
        for (String stop : stops) {
            for (int length = Math.min(stop.length() - 1, candidate.length()); length > held; length--) {
                if (candidate.endsWith(stop.substring(0, length))) {
                    held = length;
                    break;
                }
            }
        }
        return held;
    }
}
