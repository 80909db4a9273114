package io.tributary.indexing.influence;

import java.io.Serializable;

/**
 * One example's projected gradient at one adapter state: its module blocks concatenated in module order
 * ({@code features}), with the example's loss and the number of tokens it predicts.
 */
public record ProjectedGradient(String id, int tokens, float loss, float[] features) implements Serializable {

    /** The same gradient scaled to unit Euclidean length (unchanged when it is zero). */
    public ProjectedGradient unit() {
        double squared = 0;
        for (float value : features) {
            squared += (double) value * value;
        }
        if (squared == 0) {
            return this;
        }
        double norm = Math.sqrt(squared);
        float[] scaled = new float[features.length];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = (float) (features[i] / norm);
        }
        return new ProjectedGradient(id, tokens, loss, scaled);
    }
}
