package io.tributary.model.batch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.lang.management.ManagementFactory;

/**
 * The masked LoRA way of {@link LoraStep} on one projection, whole (one mask over every row and every adapter of the
 * step) against grouped (rows sorted by adapter, the adapters split into G groups, one smaller masked product per
 * group): the grouped way does 1/G of the arithmetic for 3 (G - 1) more engine calls. Every adapter has rank
 * {@code rank}; rows past the first {@code adapters} take adapters at random. Interleaved in one JVM, CPU time of
 * the calling thread, one engine thread. Not a test; run by hand with the launcher's malloc settings, e.g.
 * {@code java -cp model-runtime/target/test-classes:model-runtime/target/classes:serving/target/lib/*
 * io.tributary.model.batch.LoraGroupsBench
 * 32 32 576 576 8 300 1,2,4,8} (rows, adapters, in, out, rank, iterations, group counts); {@code -Dreuse=true} gathers
 * the step's factors once, outside the timing.
 */
public final class LoraGroupsBench {
    public static void main(String[] args) {
        ai.djl.engine.Engine.getInstance();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
        var threads = ManagementFactory.getThreadMXBean();
        int rows = Integer.parseInt(args[0]);
        int adapters = Integer.parseInt(args[1]);
        int in = Integer.parseInt(args[2]);
        int out = Integer.parseInt(args[3]);
        int rank = Integer.parseInt(args[4]);
        int iterations = Integer.parseInt(args[5]);
        String[] groupCounts = args[6].split(",");
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        int[] adapterOf = new int[rows];
        for (int row = 0; row < rows; row++) {
            adapterOf[row] = row < adapters ? row : random.nextInt(adapters);
        }
        java.util.Arrays.sort(adapterOf);
        int ranks = adapters * rank;
        try (NDManager manager = NDManager.newBaseManager()) {
            int poolRows = 4096;
            NDArray slabA = manager.randomNormal(new Shape(poolRows, in));
            NDArray slabB = manager.randomNormal(new Shape(poolRows, out));
            long[] stepRows = new long[ranks];
            for (int k = 0; k < ranks; k++) {
                stepRows[k] = 1 + k * 3L % (poolRows - 1);
            }
            NDArray step = manager.create(stepRows);
            NDArray x = manager.randomNormal(new Shape(rows, in));
            int variants = groupCounts.length;
            int[][] rowBounds = new int[variants][];
            int[][] columnBounds = new int[variants][];
            NDArray[][] masks = new NDArray[variants][];
            for (int v = 0; v < variants; v++) {
                int groups = Math.min(Integer.parseInt(groupCounts[v]), adapters);
                rowBounds[v] = new int[groups + 1];
                columnBounds[v] = new int[groups + 1];
                masks[v] = new NDArray[groups];
                for (int g = 0; g < groups; g++) {
                    int firstAdapter = (int) ((long) adapters * g / groups);
                    int endAdapter = (int) ((long) adapters * (g + 1) / groups);
                    int r0 = 0;
                    while (r0 < rows && adapterOf[r0] < firstAdapter) r0++;
                    int r1 = r0;
                    while (r1 < rows && adapterOf[r1] < endAdapter) r1++;
                    rowBounds[v][g] = r0;
                    rowBounds[v][g + 1] = r1;
                    columnBounds[v][g] = firstAdapter * rank;
                    columnBounds[v][g + 1] = endAdapter * rank;
                    int width = (endAdapter - firstAdapter) * rank;
                    float[] mask = new float[(r1 - r0) * width];
                    for (int row = r0; row < r1; row++) {
                        int column = (adapterOf[row] - firstAdapter) * rank;
                        java.util.Arrays.fill(mask, (row - r0) * width + column, (row - r0) * width + column + rank, 1f);
                    }
                    masks[v][g] = manager.create(mask, new Shape(r1 - r0, width));
                }
            }
            // -Dreuse=true: the step's factors gathered once, outside the timing (what keeping them between steps would save).
            boolean reuse = Boolean.getBoolean("reuse");
            NDArray heldA = LoraStep.gatherRows(step, slabA);
            NDArray heldBt = LoraStep.gatherRows(step, slabB);
            long[] cpu = new long[variants];
            float[] reference = null;
            for (int iteration = 0; iteration < iterations; iteration++) {
                for (int v = 0; v < variants; v++) {
                    long start = threads.getCurrentThreadCpuTime();
                    try (NDScope scope = new NDScope()) {
                        for (int rep = 0; rep < 8; rep++) {
                            NDArray a = reuse ? heldA : LoraStep.gatherRows(step, slabA);
                            NDArray bt = reuse ? heldBt : LoraStep.gatherRows(step, slabB);
                            int groups = masks[v].length;
                            NDArray delta;
                            if (groups == 1) {
                                delta = Linear.linear(x, a).singletonOrThrow().mul(masks[v][0]).matMul(bt);
                            } else {
                                NDArray[] pieces = new NDArray[groups];
                                for (int g = 0; g < groups; g++) {
                                    NDArray xs = x.get(new NDIndex().addSliceDim(rowBounds[v][g], rowBounds[v][g + 1]));
                                    NDIndex columns = new NDIndex().addSliceDim(columnBounds[v][g], columnBounds[v][g + 1]);
                                    pieces[g] = Linear.linear(xs, a.get(columns)).singletonOrThrow().mul(masks[v][g]).matMul(bt.get(columns));
                                }
                                delta = NDArrays.concat(new NDList(pieces), 0);
                            }
                            if (iteration == 0 && rep == 0) {
                                float[] values = delta.toFloatArray();
                                if (v == 0) {
                                    reference = values;
                                } else {
                                    for (int k = 0; k < values.length; k++) {
                                        if (Math.abs(values[k] - reference[k]) > 1e-3 * (1 + Math.abs(reference[k]))) {
                                            throw new IllegalStateException("groups " + groupCounts[v] + " differ from groups " + groupCounts[0]);
                                        }
                                    }
                                }
                            }
                        }
                    }
                    if (iteration > iterations / 5) {
                        cpu[v] += threads.getCurrentThreadCpuTime() - start;
                    }
                }
            }
            int counted = iterations - iterations / 5 - 1;
            for (int v = 0; v < variants; v++) {
                System.out.printf("rows %d adapters %d rank %d in %d out %d, groups %s: %.1f us per projection%n",
                        rows, adapters, rank, in, out, groupCounts[v], cpu[v] / 1e3 / counted / 8);
            }
        }
    }
}
