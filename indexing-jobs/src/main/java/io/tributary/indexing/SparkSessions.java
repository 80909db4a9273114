package io.tributary.indexing;

import io.tributary.core.config.TributaryConfig;
import io.tributary.core.lake.PutIfAbsentLogStore;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Starts the SparkSession of a job from the validated configuration, with Delta enabled. */
public final class SparkSessions {
    private SparkSessions() {}

    /** A session for {@code config}: its master, app name, shuffle partitions, extra Spark and Hadoop settings. */
    public static SparkSession start(TributaryConfig config, String jobName) {
        SparkSession.Builder builder = SparkSession.builder()
                .master(config.string("tributary.spark.master"))
                .appName(config.string("tributary.spark.app-name") + " " + jobName)
                .config("spark.sql.shuffle.partitions", config.integer("tributary.spark.shuffle-partitions"))
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.session.timeZone", "UTC")
                .config(PutIfAbsentLogStore.SPARK_SETTING, PutIfAbsentLogStore.class.getName());
        for (Map.Entry<String, String> entry : config.map("tributary.spark.conf").entrySet()) {
            builder.config(entry.getKey(), entry.getValue());
        }
        for (Map.Entry<String, String> entry : config.map("tributary.hadoop.conf").entrySet()) {
            builder.config("spark.hadoop." + entry.getKey(), entry.getValue());
        }
        return builder.getOrCreate();
    }

    /** Settings for tests on a small machine: two local threads, no UI, two shuffle partitions. */
    public static TributaryConfig testConfig(java.nio.file.Path lakeRoot) {
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
