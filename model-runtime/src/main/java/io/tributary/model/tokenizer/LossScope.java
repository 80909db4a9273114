package io.tributary.model.tokenizer;

import io.tributary.model.ModelException;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Which tokens of a training document the loss covers: all of them (the whole text), or only the completion, the
 * tokens after the last occurrence of a marker such as {@code " A: "}, as instruction tuning masks the prompt. Training
 * (training-jobs' PackedDataset) and the influence job frame documents through this one class, so a per-example
 * gradient covers exactly the tokens the adapter was trained on.
 */
public record LossScope(String marker) implements Serializable {
    /** The key of an adapter's {@code hyper_parameters} JSON that records the marker ("" = the whole text). */
    public static final String HYPER_PARAMETER = "loss_after";

    /** Every token after {@code <s>} is a target: the default, and how every adapter was trained before the option. */
    public static final LossScope WHOLE_TEXT = new LossScope("");

    public LossScope {
        if (marker == null) {
            throw new ModelException("a loss marker cannot be null; use LossScope.WHOLE_TEXT for the whole text");
        }
    }

    /** Only the tokens after the last occurrence of {@code marker} (and the closing {@code </s>}); "" is the whole text. */
    public static LossScope after(String marker) {
        return marker == null || marker.isEmpty() ? WHOLE_TEXT : new LossScope(marker);
    }

    public boolean wholeText() {
        return marker.isEmpty();
    }

    /**
     * Tokens and which of them the loss scores: {@code scored[i]} says whether token {@code i} is a target (predicted
     * from the ones before it and counted in the loss). A document, a packed stream and a window are all of this shape;
     * the first token of a window is only ever an input.
     */
    public record Scored(int[] tokens, boolean[] scored) {
        public Scored {
            if (tokens.length != scored.length) {
                throw new IllegalArgumentException(tokens.length + " tokens but " + scored.length + " scored flags");
            }
        }

        /** Tokens {@code from} (inclusive) to {@code to} (exclusive), with their flags. */
        public Scored slice(int from, int to) {
            return new Scored(Arrays.copyOfRange(tokens, from, to), Arrays.copyOfRange(scored, from, to));
        }

        public int length() {
            return tokens.length;
        }

        /** Scored targets of this window: tokens 1 and on that are flagged (token 0 is an input only). */
        public int targets() {
            int count = 0;
            for (int i = 1; i < scored.length; i++) {
                if (scored[i]) {
                    count++;
                }
            }
            return count;
        }

        /** Whether every target of this window is scored (the whole-text loss, computed as it always was). */
        public boolean allTargetsScored() {
            return targets() == tokens.length - 1;
        }
    }

    /**
     * {@code <s> tokens </s>}: with the whole text every token is scored ({@code <s>} too, which counts only where packing
     * puts it after another document's {@code </s>}); with a marker, the text is
     * tokenized as prompt (up to and including the last marker) and completion separately, and only the completion's
     * tokens and {@code </s>} are scored (so the end of an answer is learned too).
     *
     * @throws ModelException when the text does not hold the marker: such a contribution has no completion to train on,
     *     and counting it whole would silently mix two losses, so callers reject it and name it
     */
    public Scored frame(String text, TextTokenizer tokenizer) {
        if (wholeText()) {
            int[] ids = tokenizer.ids(text);
            // Every token, <s> included: packed after another document's </s> it is a target, as whole-text training
            // always predicted it (a window's first token is only ever an input, so an unpacked <s> never counts).
            boolean[] scored = new boolean[ids.length + 2];
            Arrays.fill(scored, true);
            return new Scored(framed(tokenizer, ids, new int[0]), scored);
        }
        int at = text.lastIndexOf(marker);
        if (at < 0) {
            throw new ModelException("the text does not contain the loss marker '" + marker + "' (loss-after): it has no"
                    + " completion to take the loss on");
        }
        int end = at + marker.length();
        int[] prompt = tokenizer.ids(text.substring(0, end));
        int[] completion = tokenizer.ids(text.substring(end));
        boolean[] scored = new boolean[prompt.length + completion.length + 2];
        Arrays.fill(scored, 1 + prompt.length, scored.length, true);
        return new Scored(framed(tokenizer, prompt, completion), scored);
    }

    private static int[] framed(TextTokenizer tokenizer, int[] prompt, int[] completion) {
        int[] document = new int[prompt.length + completion.length + 2];
        document[0] = tokenizer.bosId();
        System.arraycopy(prompt, 0, document, 1, prompt.length);
        System.arraycopy(completion, 0, document, 1 + prompt.length, completion.length);
        document[document.length - 1] = tokenizer.eosId();
        return document;
    }
}
