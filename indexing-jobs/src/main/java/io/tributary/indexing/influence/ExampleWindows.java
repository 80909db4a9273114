package io.tributary.indexing.influence;

import io.tributary.model.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * An example's text as the model was trained on it: {@code <s> tokens </s>} (as training-jobs' PackedDataset
 * frames each document), cut into windows of sequenceLength + 1 tokens that overlap by one, so every token
 * after the first is predicted exactly once. One contribution is one example, so its gradient is its own.
 */
public final class ExampleWindows {
    private ExampleWindows() {}

    public static List<int[]> of(String text, TextTokenizer tokenizer, int sequenceLength) {
        int[] ids = tokenizer.ids(text);
        int[] document = new int[ids.length + 2];
        document[0] = tokenizer.bosId();
        System.arraycopy(ids, 0, document, 1, ids.length);
        document[document.length - 1] = tokenizer.eosId();
        List<int[]> windows = new ArrayList<>();
        for (int start = 0; start < document.length - 1; start += sequenceLength) {
            int end = Math.min(document.length, start + sequenceLength + 1);
            int[] window = new int[end - start];
            System.arraycopy(document, start, window, 0, window.length);
            windows.add(window);
        }
        return windows;
    }

    /**
     * At most {@code limit} of the windows (0: all), evenly spaced from the first to the last: a deterministic sample
     * that bounds the cost of a long contribution.
     */
    public static List<int[]> evenly(List<int[]> windows, int limit) {
        if (limit <= 0 || windows.size() <= limit) {
            return windows;
        }
        if (limit == 1) {
            return List.of(windows.get(0));
        }
        List<int[]> out = new ArrayList<>(limit);
        for (int i = 0; i < limit; i++) {
            out.add(windows.get((int) Math.round(i * (windows.size() - 1) / (double) (limit - 1))));
        }
        return out;
    }

    /** Tokens predicted over all windows (the targets). */
    public static int targets(List<int[]> windows) {
        return windows.stream().mapToInt(window -> window.length - 1).sum();
    }
}
