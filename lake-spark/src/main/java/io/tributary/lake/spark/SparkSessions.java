package io.tributary.lake.spark;

import io.tributary.core.config.TributaryConfig;
import io.tributary.core.lake.PutIfAbsentLogStore;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The one place a command's or job's SparkSession is built: master, app name and shuffle partitions from the
 * validated configuration, Delta enabled (log replays in 2 partitions), UTC session time, the put-if-absent log store (a commit of another
 * process must fail on a taken log version, not overwrite it), then `tributary.spark.conf` and
 * `tributary.hadoop.conf` unchanged, so a profile can override anything set here.
 */
public final class SparkSessions {
    private SparkSessions() {}

    /** A session for {@code config}, named "{app-name} {jobName}" in Spark's logs and UI. */
    public static SparkSession start(TributaryConfig config, String jobName) {
        SparkSession.Builder builder = SparkSession.builder()
                .master(config.string("tributary.spark.master"))
                .appName(config.string("tributary.spark.app-name") + " " + jobName)
                .config("spark.sql.shuffle.partitions", config.integer("tributary.spark.shuffle-partitions"))
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.ui.showConsoleProgress", false)
                // Delta's default of 50 partitions per log replay is for large tables; a profile can raise it again.
                .config("spark.databricks.delta.snapshotPartitions", 2)
                .config(PutIfAbsentLogStore.SPARK_SETTING, PutIfAbsentLogStore.class.getName());
        for (Map.Entry<String, String> entry : config.map("tributary.spark.conf").entrySet()) {
            builder.config(entry.getKey(), entry.getValue());
        }
        for (Map.Entry<String, String> entry : config.map("tributary.hadoop.conf").entrySet()) {
            builder.config("spark.hadoop." + entry.getKey(), entry.getValue());
        }
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    /** Settings for tests on a small machine: two local threads, no UI, two shuffle and snapshot partitions. */
    public static TributaryConfig testConfig(Path lakeRoot) {
        return TributaryConfig.parse("""
                tributary {
                  lake.root = "%s"
                  spark {
                    master = "local[2]"
                    shuffle-partitions = 2
                    conf {
                      "spark.ui.enabled" = false
                      "spark.default.parallelism" = 2
                      "spark.databricks.delta.snapshotPartitions" = 2
                    }
                  }
                }
                """.formatted(lakeRoot.toAbsolutePath().toUri()), lakeRoot.toAbsolutePath());
    }
}
