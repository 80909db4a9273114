package io.tributary.training.command;

import io.tributary.core.config.TributaryConfig;
import io.tributary.training.train.TrainingOptions;
import picocli.CommandLine.Option;

/** Optimizer options shared by {@code train lora} and {@code model pretrain}; unset ones come from the profile. */
public final class TrainingSettings {
    @Option(names = "--steps", description = "Optimizer steps.")
    Integer steps;
    @Option(names = "--batch-size", description = "Packed sequences per micro-batch.")
    Integer batchSize;
    @Option(names = "--gradient-accumulation", description = "Micro-batches per optimizer step.")
    Integer gradientAccumulation;
    @Option(names = "--sequence-length", description = "Tokens per packed sequence.")
    Integer sequenceLength;
    @Option(names = "--learning-rate", description = "Peak AdamW learning rate.")
    Double learningRate;
    @Option(names = "--warmup-steps", description = "Linear warm-up steps before cosine decay.")
    Integer warmupSteps;
    @Option(names = "--weight-decay", description = "Decoupled weight decay.")
    Double weightDecay;
    @Option(names = "--eval-fraction", description = "Share of documents held out for eval loss.")
    Double evalFraction;
    @Option(names = "--checkpoint-every", description = "Steps between resumable checkpoints (0 = none).")
    Integer checkpointEvery;
    @Option(names = "--seed", description = "Seed of split, order, initialization and dropout.")
    Long seed;
    @Option(names = "--resume", description = "Continue from the latest checkpoint in --out.")
    boolean resume;

    /** The options for section {@code tributary.training.<section>} with command-line overrides. */
    TrainingOptions resolve(TributaryConfig config, String section) {
        String prefix = "tributary.training." + section + ".";
        return new TrainingOptions(
                steps != null ? steps : config.integer(prefix + "steps"),
                batchSize != null ? batchSize : config.integer(prefix + "batch-size"),
                gradientAccumulation != null ? gradientAccumulation : config.integer(prefix + "gradient-accumulation"),
                sequenceLength != null ? sequenceLength : config.integer(prefix + "sequence-length"),
                learningRate != null ? learningRate : config.decimal(prefix + "learning-rate"),
                config.decimal(prefix + "min-learning-rate-ratio"),
                warmupSteps != null ? warmupSteps : config.integer(prefix + "warmup-steps"),
                weightDecay != null ? weightDecay : config.decimal(prefix + "weight-decay"),
                0.9, 0.999, 1e-8,
                config.decimal(prefix + "max-gradient-norm"),
                evalFraction != null ? evalFraction : config.decimal(prefix + "eval-fraction"),
                checkpointEvery != null ? checkpointEvery : config.integer(prefix + "checkpoint-every"),
                seed != null ? seed : config.longValue(prefix + "seed"));
    }
}
