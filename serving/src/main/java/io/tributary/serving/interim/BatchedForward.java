package io.tributary.serving.interim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import io.tributary.model.llama.LlamaModel;
import java.util.List;

/** Interim stand-in for model-runtime's {@code io.tributary.model.batch.BatchedForward}: one sequence at a time. */
public final class BatchedForward {
    final LlamaModel model;

    public BatchedForward(LlamaModel base) {
        this.model = base;
    }

    public record Feed(Sequence sequence, int[] tokens) {}

    public float[][] step(List<Feed> feeds) {
        float[][] out = new float[feeds.size()][];
        for (int i = 0; i < feeds.size(); i++) {
            Feed feed = feeds.get(i);
            model.useAdapter(feed.sequence().adapter == null ? null : feed.sequence().adapter.lora);
            try (NDScope scope = new NDScope()) {
                NDArray logits = model.forward(model.tokens(feed.tokens()), feed.sequence().cache);
                out[i] = logits.get(0, feed.tokens().length - 1).toFloatArray();
            }
        }
        model.useAdapter(null);
        return out;
    }
}
