package io.tributary.ingestion.lake;

import io.tributary.core.config.TributaryConfig;
import io.tributary.lake.spark.SparkSessions;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** One small local SparkSession per test JVM, and configurations that point it at a lake of the test's own. */
public final class TestLakes {
    private static SparkSession spark;

    private TestLakes() {}

    public static TributaryConfig config(String lakeRoot, Path base) {
        return TributaryConfig.parse("""
                tributary.lake.root = "%s"
                tributary.spark.master = "local[2]"
                tributary.spark.shuffle-partitions = 2
                tributary.spark.conf { "spark.ui.enabled" = false, "spark.sql.adaptive.enabled" = false }
                tributary.ingest.max-text-bytes = 4096
                """.formatted(lakeRoot), base);
    }

    public static synchronized SparkSession spark() {
        if (spark == null || spark.sparkContext().isStopped()) {
            spark = SparkSessions.start(config("lake", Path.of(System.getProperty("java.io.tmpdir"))), "ingestion test");
        }
        return spark;
    }

    public static Lake open(Path directory) {
        TributaryConfig config = config(directory.resolve("lake").toString(), directory);
        return Lake.open(spark(), config);
    }
}
