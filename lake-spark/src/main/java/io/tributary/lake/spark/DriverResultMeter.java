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
 * driver or only a bounded summary. Register it, run a job, then read {@link #largestStageBytes()}. While attached
 * it turns off automatic broadcast joins: they collect their small side to the driver by design (up to
 * {@code spark.sql.autoBroadcastJoinThreshold}, 10 MB by default, then Spark shuffles instead), which would hide what
 * the job itself collects.
 */
public final class DriverResultMeter extends SparkListener implements AutoCloseable {
    private final SparkSession spark;
    private static final String BROADCAST_THRESHOLD = "spark.sql.autoBroadcastJoinThreshold";
    private final Map<Integer, Long> bytesPerStage = new ConcurrentHashMap<>();
    private final String broadcastThreshold;

    private DriverResultMeter(SparkSession spark) {
        this.spark = spark;
        this.broadcastThreshold = spark.conf().get(BROADCAST_THRESHOLD);
    }

    /** A meter listening to {@code spark} from now until {@link #close()}. */
    public static DriverResultMeter attach(SparkSession spark) {
        DriverResultMeter meter = new DriverResultMeter(spark);
        spark.conf().set(BROADCAST_THRESHOLD, "-1");
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
        spark.conf().set(BROADCAST_THRESHOLD, broadcastThreshold);
    }
}
