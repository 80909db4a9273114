package io.tributary.indexing.influence;

import io.tributary.core.hash.Hashing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random projection of one module block's LoRA gradient (A then B, row-major) to {@code dim} values:
 * y = P^T g with P[i][j] = +-1/sqrt(dim) (Rademacher, as TRAK's JL projection), drawn from a generator seeded by
 * sha256(seed, module name). The signs are kept as bits and sums run in a fixed order in double precision, so
 * equal inputs give equal float bytes on every JVM. A module's matrix depends on its name, not on its position.
 */
public final class GradientProjection {
    private final String module;
    private final int inputSize;
    private final int dim;
    private final int wordsPerRow;
    private final long[] signs;
    private final double scale;

    public GradientProjection(String module, int inputSize, int dim, long seed) {
        this.module = module;
        this.inputSize = inputSize;
        this.dim = dim;
        this.wordsPerRow = (dim + 63) / 64;
        this.signs = new long[inputSize * wordsPerRow];
        this.scale = 1.0 / Math.sqrt(dim);
        SplittableRandom random = new SplittableRandom(blockSeed(seed, module));
        for (int i = 0; i < signs.length; i++) {
            signs[i] = random.nextLong();
        }
    }

    static long blockSeed(long seed, String module) {
        byte[] digest = Hashing.sha256((seed + "\u0000" + module).getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(digest).getLong();
    }

    public String module() {
        return module;
    }

    public int inputSize() {
        return inputSize;
    }

    public int dim() {
        return dim;
    }

    /** Writes the projection of {@code gradient} (length {@link #inputSize()}) to {@code out[offset..offset+dim)}. */
    public void project(float[] gradient, float[] out, int offset) {
        if (gradient.length != inputSize) {
            throw new IllegalArgumentException("gradient of " + module + " has " + gradient.length + " values, expected " + inputSize);
        }
        double[] sums = new double[dim];
        for (int i = 0; i < inputSize; i++) {
            double value = gradient[i];
            if (value == 0) {
                continue;
            }
            int row = i * wordsPerRow;
            for (int j = 0; j < dim; j++) {
                long word = signs[row + (j >>> 6)];
                sums[j] += ((word >>> (j & 63)) & 1L) == 0 ? value : -value;
            }
        }
        for (int j = 0; j < dim; j++) {
            out[offset + j] = (float) (sums[j] * scale);
        }
    }

    /** Total projected size of {@code blocks}. */
    public static int totalDim(List<GradientProjection> blocks) {
        return blocks.stream().mapToInt(GradientProjection::dim).sum();
    }
}
