package io.tributary.ingestion.lake;

import io.tributary.core.config.TributaryConfig;
import io.tributary.core.lake.PutIfAbsentLogStore;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Builds the SparkSession a command runs in, from the validated configuration, with Delta enabled. */
public final class SparkSessions {
    private SparkSessions() {}

    public static SparkSession create(TributaryConfig config) {
        SparkSession.Builder builder = SparkSession.builder()
                .master(config.string("tributary.spark.master"))
                .appName(config.string("tributary.spark.app-name"))
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.shuffle.partitions", config.integer("tributary.spark.shuffle-partitions"))
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.ui.showConsoleProgress", false)
                .config("spark.databricks.delta.snapshotPartitions", 2)
                // Commits of other processes must fail on a taken log version, not overwrite it.
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
}
