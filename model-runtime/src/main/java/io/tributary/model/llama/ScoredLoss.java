package io.tributary.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tributary.model.ModelException;
import io.tributary.model.tokenizer.LossScope;
import io.tributary.model.tokenizer.LossScope.Scored;
import java.util.List;

/**
 * The next-token cross-entropy over the targets a {@link LossScope} scores, for windows [T + 1] of one length in one
 * batched forward pass: the one definition that training (its mean) and the influence job (its sum, per example)
 * differentiate. When every target is scored (the whole text) it is computed exactly as before loss scopes existed
 * (a plain mean or sum of the picked log-probabilities), so whole-text training keeps its bits; otherwise a 0/1 weight
 * per target keeps the scored ones.
 */
public final class ScoredLoss {
    private ScoredLoss() {}

    /** Mean over the scored targets of {@code windows} (training's loss); 0 scored targets count as 1. */
    public static NDArray mean(LlamaModel model, List<Scored> windows) {
        Picked picked = pick(model, windows);
        if (picked.weights == null) {
            return picked.logProbabilities.mean().neg();
        }
        return picked.logProbabilities.mul(picked.weights).sum().div(model.constant(Math.max(1, picked.scored))).neg();
    }

    /** Sum over the scored targets of {@code windows} (an example's loss in the influence job). */
    public static NDArray sum(LlamaModel model, List<Scored> windows) {
        Picked picked = pick(model, windows);
        if (picked.weights == null) {
            return picked.logProbabilities.sum().neg();
        }
        return picked.logProbabilities.mul(picked.weights).sum().neg();
    }

    /** Log-probabilities of every target [rows * T, 1]; weights null when every target is scored. */
    private record Picked(NDArray logProbabilities, NDArray weights, int scored) {}

    private static Picked pick(LlamaModel model, List<Scored> windows) {
        int rows = windows.size();
        int length = windows.get(0).length() - 1;
        long[] inputs = new long[rows * length];
        long[] targets = new long[rows * length];
        float[] weights = new float[rows * length];
        int scored = 0;
        for (int r = 0; r < rows; r++) {
            Scored window = windows.get(r);
            if (window.length() != length + 1) {
                throw new ModelException("windows of one pass must have one length: " + window.length() + " and " + (length + 1));
            }
            int[] tokens = window.tokens();
            boolean[] flags = window.scored();
            for (int t = 0; t < length; t++) {
                inputs[r * length + t] = tokens[t];
                targets[r * length + t] = tokens[t + 1];
                if (flags[t + 1]) {
                    weights[r * length + t] = 1f;
                    scored++;
                }
            }
        }
        NDManager manager = model.manager();
        NDArray logits = model.forward(manager.create(inputs, new Shape(rows, length)));
        NDArray logProbabilities = logits.reshape(rows * (long) length, model.config().vocabSize()).logSoftmax(1);
        NDArray picked = logProbabilities.gather(manager.create(targets, new Shape(rows * (long) length, 1)), 1);
        NDArray mask = scored == rows * length ? null : manager.create(weights, new Shape(rows * (long) length, 1));
        return new Picked(picked, mask, scored);
    }
}
