package io.tributary.indexing.influence;

import java.io.Serializable;

/**
 * One state of an adapter's training that gradients are taken at: a checkpoint ({@code step-00000050}) or the
 * final adapter ({@code final}). {@code checkpointFile} is the checkpoint's state.safetensors, or null for the
 * final adapter; {@code learningRateSum} is the sum of the learning rates of the steps it stands for (TracIn's weight).
 */
public record AdapterState(String name, int step, String checkpointFile, double learningRateSum) implements Serializable {
    public static final String FINAL = "final";

    public boolean isFinal() {
        return checkpointFile == null;
    }
}
