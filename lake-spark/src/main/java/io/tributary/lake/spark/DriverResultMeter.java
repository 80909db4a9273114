package io.tributary.lake.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * Measures what Spark tasks send back to the driver (each task's serialized result, Spark's {@code resultSize}
 * task metric), summed per stage: the figure that shows whether a job collects one row per input row to the
 * driver or only a bounded summary. Register it, run a job, then read {@link #largestStageBytes()}.
 */
public final class DriverResultMeter extends SparkListener implements AutoCloseable {
    private final SparkSession spark;
    private final Map<Integer, Long> bytesPerStage = new ConcurrentHashMap<>();

    private DriverResultMeter(SparkSession spark) {
        this.spark = spark;
    }

    /** A meter listening to {@code spark} from now until {@link #close()}. */
    public static DriverResultMeter attach(SparkSession spark) {
        DriverResultMeter meter = new DriverResultMeter(spark);
        spark.sparkContext().addSparkListener(meter);
        return meter;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (taskEnd.taskMetrics() != null) {
            bytesPerStage.merge(taskEnd.stageId(), taskEnd.taskMetrics().resultSize(), Long::sum);
        }
    }

    /** The most bytes the tasks of any one stage returned to the driver since the meter was attached. */
    public long largestStageBytes() {
        awaitEvents();
        return bytesPerStage.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** Every byte tasks returned to the driver since the meter was attached. */
    public long totalBytes() {
        awaitEvents();
        return bytesPerStage.values().stream().mapToLong(Long::longValue).sum();
    }

    // Listener events are delivered asynchronously; a reading must include every task that has ended.
    private void awaitEvents() {
        try {
            spark.sparkContext().listenerBus().waitUntilEmpty(60_000);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Spark's listener bus did not drain within 60 s", e);
        }
    }

    @Override
    public void close() {
        spark.sparkContext().removeSparkListener(this);
    }
}
