package io.tributary.indexing.influence;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.lora.LoraAdapter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-example gradients of the loss with respect to the LoRA parameters only (A and B of every adapted module),
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

    public static Result compute(LoadedModel loaded, List<int[]> windows, Reduction reduction) {
        LlamaModel model = loaded.model();
        LoraAdapter adapter = loaded.adapter();
        int targets = ExampleWindows.targets(windows);
        double divisor = reduction == Reduction.MEAN ? targets : 1;
        LOCK.lock();
        try {
            adapter.parameters().values().forEach(array -> array.setRequiresGradient(true));
            double loss = 0;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                for (int[] window : windows) {
                    try (NDScope scope = new NDScope()) {
                        NDArray windowLoss = summedLoss(model, window);
                        collector.backward(windowLoss.div(model.constant(divisor)));
                        loss += windowLoss.getFloat();
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
    public static double loss(LoadedModel loaded, List<int[]> windows, Reduction reduction) {
        double loss = 0;
        for (int[] window : windows) {
            try (NDScope scope = new NDScope()) {
                loss += summedLoss(loaded.model(), window).getFloat();
            }
        }
        return reduction == Reduction.MEAN ? loss / ExampleWindows.targets(windows) : loss;
    }

    /** Summed next-token cross-entropy of one window [T + 1]. */
    private static NDArray summedLoss(LlamaModel model, int[] window) {
        int length = window.length - 1;
        long[] inputs = new long[length];
        long[] targets = new long[length];
        for (int t = 0; t < length; t++) {
            inputs[t] = window[t];
            targets[t] = window[t + 1];
        }
        NDManager manager = model.manager();
        NDArray logits = model.forward(manager.create(inputs, new Shape(1, length)));
        NDArray logProbabilities = logits.reshape(length, model.config().vocabSize()).logSoftmax(1);
        NDArray picked = logProbabilities.gather(manager.create(targets, new Shape(length, 1)), 1);
        return picked.sum().neg();
    }
}
