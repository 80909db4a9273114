package io.tributary.training.train;

import io.tributary.core.cli.UserError;

/**
 * How to optimize: AdamW (decoupled weight decay) with linear warm-up then cosine decay to
 * {@code minLearningRateRatio} of the peak, gradient accumulation and global-norm clipping.
 */
public record TrainingOptions(
        int steps,
        int batchSize,
        int gradientAccumulation,
        int sequenceLength,
        double learningRate,
        double minLearningRateRatio,
        int warmupSteps,
        double weightDecay,
        double beta1,
        double beta2,
        double epsilon,
        double maxGradientNorm,
        double evalFraction,
        int checkpointEvery,
        long seed) {

    public TrainingOptions {
        if (steps <= 0 || batchSize <= 0 || gradientAccumulation <= 0 || sequenceLength <= 1) {
            throw new UserError("steps, batch size and gradient accumulation must be positive and sequence length above 1");
        }
        if (learningRate <= 0) {
            throw new UserError("learning rate must be positive, got " + learningRate);
        }
        if (evalFraction < 0 || evalFraction >= 1) {
            throw new UserError("eval fraction must be in [0, 1), got " + evalFraction);
        }
    }

    /** Learning rate of optimizer step {@code step} (0-based). */
    public double learningRateAt(int step) {
        if (step < warmupSteps) {
            return learningRate * (step + 1) / warmupSteps;
        }
        int decaySteps = Math.max(1, steps - warmupSteps);
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
        return learningRate * (minLearningRateRatio + (1 - minLearningRateRatio) * cosine);
    }

    public int sequencesPerStep() {
        return batchSize * gradientAccumulation;
    }
}
