package io.tributary.indexing.influence;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.llama.ScoredLoss;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.tokenizer.LossScope.Scored;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-example gradients of the loss (over the targets the windows score, as training took it) with respect to the
 * LoRA parameters only (A and B of every adapted module),
 * by DJL autograd on the frozen base model. DJL lets one gradient collector record at a time per JVM, so
 * examples are computed one after another under {@link #LOCK}; the engine's intra-op threads use the cores.
 */
public final class ExampleGradients {
    private static final ReentrantLock LOCK = new ReentrantLock();

    private ExampleGradients() {}

    /** How an example's token losses are combined before differentiation. */
    public enum Reduction {
        /**
         * Sum over the example's predicted tokens: a training contribution enters training's mean-token loss in
         * proportion to this sum, so its gradient is what one pass over the contribution moves the adapter by.
         */
        SUM,
        /** Mean over the example's predicted tokens: a query's loss, as eval loss is measured. */
        MEAN
    }

    /** An example's loss and the gradient of each adapted module, A then B flattened row-major, in module order. */
    public record Result(double loss, int tokens, Map<String, float[]> gradients) {}

    public static Result compute(LoadedModel loaded, List<Scored> windows, Reduction reduction) {
        LlamaModel model = loaded.model();
        LoraAdapter adapter = loaded.adapter();
        int targets = ExampleWindows.targets(windows);
        double divisor = reduction == Reduction.MEAN ? targets : 1;
        LOCK.lock();
        try {
            adapter.parameters().values().forEach(array -> array.setRequiresGradient(true));
            double loss = 0;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                for (List<Scored> batch : batches(windows)) {
                    try (NDScope scope = new NDScope()) {
                        NDArray batchLoss = ScoredLoss.sum(model, batch);
                        collector.backward(batchLoss.div(model.constant(divisor)));
                        loss += batchLoss.getFloat();
                    }
                }
            }
            Map<String, float[]> gradients = new LinkedHashMap<>();
            try (NDScope scope = new NDScope()) {
                adapter.pairs().forEach((module, pair) -> {
                    float[] a = pair.a().getGradient().toFloatArray();
                    float[] b = pair.b().getGradient().toFloatArray();
                    float[] both = new float[a.length + b.length];
                    System.arraycopy(a, 0, both, 0, a.length);
                    System.arraycopy(b, 0, both, a.length, b.length);
                    gradients.put(module, both);
                });
                // Gradients accumulate across backward passes: clear them for the next example.
                adapter.parameters().values().forEach(array -> {
                    NDArray gradient = array.getGradient();
                    gradient.subi(gradient);
                });
            }
            adapter.parameters().values().forEach(array -> array.setRequiresGradient(false));
            return new Result(loss / divisor, targets, gradients);
        } finally {
            LOCK.unlock();
        }
    }

    /** Loss without gradients (the benchmark's actual query losses). */
    public static double loss(LoadedModel loaded, List<Scored> windows, Reduction reduction) {
        double loss = 0;
        for (List<Scored> batch : batches(windows)) {
            try (NDScope scope = new NDScope()) {
                loss += ScoredLoss.sum(loaded.model(), batch).getFloat();
            }
        }
        return reduction == Reduction.MEAN ? loss / ExampleWindows.targets(windows) : loss;
    }

    /**
     * The windows grouped into forward passes: windows of one length together (all but an example's last window are
     * full), at most {@link #TOKENS_PER_FORWARD} tokens per pass. A long contribution then costs a few batched passes
     * instead of one pass per window; its gradient is the same sum.
     */
    static List<List<Scored>> batches(List<Scored> windows) {
        List<List<Scored>> out = new java.util.ArrayList<>();
        List<Scored> current = new java.util.ArrayList<>();
        for (Scored window : windows) {
            boolean fits = current.isEmpty() || (current.get(0).length() == window.length()
                    && (long) (current.size() + 1) * window.length() <= TOKENS_PER_FORWARD);
            if (!fits) {
                out.add(current);
                current = new java.util.ArrayList<>();
            }
            current.add(window);
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /** Tokens per batched forward pass of one example's windows (bounds activation memory). */
    static final int TOKENS_PER_FORWARD = 4096;
}
