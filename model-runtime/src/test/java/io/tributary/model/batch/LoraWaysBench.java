package io.tributary.model.batch;

import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import ai.djl.nn.core.Linear;
import java.lang.management.ManagementFactory;
import java.util.*;

/**
 * The two LoRA ways of {@link LoraStep} on one projection, interleaved in one JVM and timed in CPU time of the calling
 * thread (one engine thread): per-row gather against the masked dense products. Not a test; run by hand, e.g.
 * {@code java -cp model-runtime/target/test-classes:serving/target/lib/* io.tributary.model.batch.LoraWaysBench 32 20 128 128 300 2048}
 * (rows, adapters of ranks 8 and 16 alternately, in, out, iterations, pool rows).
 */
public final class LoraWaysBench {
    public static void main(String[] args) {
        ai.djl.engine.Engine.getInstance();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
        var threads = ManagementFactory.getThreadMXBean();
        int rows = Integer.parseInt(args[0]), adapters = Integer.parseInt(args[1]), in = Integer.parseInt(args[2]), out = Integer.parseInt(args[3]);
        int iters = Integer.parseInt(args[4]);
        try (NDManager m = NDManager.newBaseManager()) {
            int cap = Integer.parseInt(args[5]); int W = 16;
            NDArray slabA = m.randomNormal(new Shape(cap, in)), slabB = m.randomNormal(new Shape(cap, out));
            SplittableRandom r = new SplittableRandom(1);
            int[] rank = new int[adapters]; int[] start = new int[adapters]; int next = 1;
            for (int a = 0; a < adapters; a++) { rank[a] = a % 2 == 0 ? 8 : 16; start[a] = next; next += rank[a]; }
            int sum = next - 1;
            int[] adapterOf = new int[rows]; for (int i = 0; i < rows; i++) adapterOf[i] = i < adapters ? i : r.nextInt(adapters);
            long[] idx = new long[rows * W];
            for (int i = 0; i < rows; i++) for (int j = 0; j < rank[adapterOf[i]]; j++) idx[i * W + j] = start[adapterOf[i]] + j;
            long[] stepRows = new long[sum]; for (int k = 0; k < sum; k++) stepRows[k] = k + 1;
            float[] mask = new float[rows * sum];
            for (int i = 0; i < rows; i++) for (int j = 0; j < rank[adapterOf[i]]; j++) mask[i * sum + start[adapterOf[i]] - 1 + j] = 1;
            NDArray index = m.create(idx, new Shape(rows, W)), step = m.create(stepRows), maskA = m.create(mask, new Shape(rows, sum));
            NDArray x = m.randomNormal(new Shape(rows, in));
            long[] t = new long[2];
            for (int it = 0; it < iters; it++) {
                for (int v = 0; v < 2; v++) {
                    long c0 = threads.getCurrentThreadCpuTime();
                    try (NDScope s = new NDScope()) {
                        for (int rep = 0; rep < 8; rep++) {
                            NDArray d;
                            if (v == 0) {
                                NDArray a = index.getNDArrayInternal().embedding(index, slabA, SparseFormat.DENSE).singletonOrThrow();
                                NDArray low = a.mul(x.reshape(rows, 1, in)).sum(new int[] {2}).reshape(rows, 1, W);
                                NDArray bt = index.getNDArrayInternal().embedding(index, slabB, SparseFormat.DENSE).singletonOrThrow();
                                d = low.matMul(bt).reshape(rows, out);
                            } else {
                                NDArray a = step.getNDArrayInternal().embedding(step, slabA, SparseFormat.DENSE).singletonOrThrow();
                                NDArray bt = step.getNDArrayInternal().embedding(step, slabB, SparseFormat.DENSE).singletonOrThrow();
                                d = Linear.linear(x, a).singletonOrThrow().mul(maskA).matMul(bt);
                            }
                            d.getShape();
                        }
                    }
                    if (it > iters / 5) t[v] += threads.getCurrentThreadCpuTime() - c0;
                }
            }
            System.out.printf("rows %d adapters %d (sum rank %d) in %d out %d: gathered %.1f us, masked %.1f us per projection%n",
                    rows, adapters, sum, in, out, t[0] / 1e3 / (iters - iters / 5 - 1) / 8, t[1] / 1e3 / (iters - iters / 5 - 1) / 8);
        }
    }
}
