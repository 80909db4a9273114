package io.tributary.indexing.influence;

import io.tributary.core.config.TributaryConfig;
import java.io.Serializable;

/**
 * The {@code tributary.influence} settings, checked once: projection size and seed (which fix the stored
 * gradients), the two damping fractions, the gradient pass's task size, and the engine threads of a task.
 */
public record InfluenceSettings(InfluenceMethod defaultMethod, int projectionDim, long seed, double trakDamping,
                                double dataInfDamping, int examplesPerTask, int maxLogQueries, int engineThreads,
                                int maxWindows) implements Serializable {

    public InfluenceSettings {
        if (projectionDim < 1 || projectionDim > 65536) {
            throw new InfluenceException("tributary.influence.projection-dim must be in 1..65536, got " + projectionDim);
        }
        if (!(trakDamping > 0) || !(dataInfDamping > 0)) {
            throw new InfluenceException("tributary.influence.trak-damping and datainf-damping must be positive, got "
                    + trakDamping + " and " + dataInfDamping);
        }
        if (examplesPerTask < 1) {
            throw new InfluenceException("tributary.influence.examples-per-task must be positive, got " + examplesPerTask);
        }
        if (maxWindows < 0) {
            throw new InfluenceException("--max-windows must be 0 (every window) or positive, got " + maxWindows);
        }
        if (maxLogQueries < 1) {
            throw new InfluenceException("tributary.influence.max-log-queries must be positive, got " + maxLogQueries);
        }
    }

    public static InfluenceSettings from(TributaryConfig config) {
        return new InfluenceSettings(
                InfluenceMethod.parse(config.string("tributary.influence.method")),
                config.integer("tributary.influence.projection-dim"),
                config.longValue("tributary.influence.seed"),
                config.decimal("tributary.influence.trak-damping"),
                config.decimal("tributary.influence.datainf-damping"),
                config.integer("tributary.influence.examples-per-task"),
                config.integer("tributary.influence.max-log-queries"),
                config.integer("tributary.training.threads"),
                0);
    }

    /**
     * The same settings with at most {@code windows} windows per example (0: all): a long contribution's gradient is
     * then estimated from evenly spaced windows, scaled to its full token count (see {@link ExampleWindows#evenly}).
     */
    public InfluenceSettings withMaxWindows(int windows) {
        return new InfluenceSettings(defaultMethod, projectionDim, seed, trakDamping, dataInfDamping, examplesPerTask,
                maxLogQueries, engineThreads, windows);
    }

    /** The part of the gradient store's path that changes the stored values: projection size, seed, window sampling. */
    public String projectionKey() {
        return "projection-" + projectionDim + "-seed-" + seed + (maxWindows > 0 ? "-windows-" + maxWindows : "");
    }
}
