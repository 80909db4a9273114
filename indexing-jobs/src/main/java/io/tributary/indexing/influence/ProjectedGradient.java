package io.tributary.indexing.influence;

import java.io.Serializable;

/**
 * One example's projected gradient at one adapter state: its module blocks concatenated in module order
 * ({@code features}), with the example's loss and the number of tokens it predicts.
 */
public record ProjectedGradient(String id, int tokens, float loss, float[] features) implements Serializable {}
