package io.tributary.indexing.influence;

import io.tributary.model.ModelException;
import io.tributary.model.tokenizer.LossScope;
import io.tributary.model.tokenizer.LossScope.Scored;
import io.tributary.model.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * An example's text as the model was trained on it: {@code <s> tokens </s>} with the tokens the adapter's loss scope
 * scores (model-runtime's {@link LossScope}, which training-jobs' PackedDataset frames each document with), cut into
 * windows of sequenceLength + 1 tokens that overlap by one, so every token after the first is predicted exactly once.
 * Windows without a scored target (all prompt) are left out: they add nothing to the loss or its gradient. One
 * contribution is one example, so its gradient is its own.
 */
public final class ExampleWindows {
    private ExampleWindows() {}

    /** The whole text scored, as every adapter trained without a loss marker. */
    public static List<Scored> of(String text, TextTokenizer tokenizer, int sequenceLength) {
        return of(text, tokenizer, sequenceLength, LossScope.WHOLE_TEXT);
    }

    /** @throws ModelException when {@code scope} has a marker the text lacks (the caller names the example) */
    public static List<Scored> of(String text, TextTokenizer tokenizer, int sequenceLength, LossScope scope) {
        Scored document = scope.frame(text, tokenizer);
        List<Scored> windows = new ArrayList<>();
        for (int start = 0; start < document.length() - 1; start += sequenceLength) {
            Scored window = document.slice(start, Math.min(document.length(), start + sequenceLength + 1));
            if (window.targets() > 0) {
                windows.add(window);
            }
        }
        return windows;
    }

    /**
     * At most {@code limit} of the windows (0: all), evenly spaced from the first to the last: a deterministic sample
     * that bounds the cost of a long contribution.
     */
    public static List<Scored> evenly(List<Scored> windows, int limit) {
        if (limit <= 0 || windows.size() <= limit) {
            return windows;
        }
        if (limit == 1) {
            return List.of(windows.get(0));
        }
        List<Scored> out = new ArrayList<>(limit);
        for (int i = 0; i < limit; i++) {
            out.add(windows.get((int) Math.round(i * (windows.size() - 1) / (double) (limit - 1))));
        }
        return out;
    }

    /** Tokens predicted and scored over all windows (the targets). */
    public static int targets(List<Scored> windows) {
        return windows.stream().mapToInt(Scored::targets).sum();
    }
}
