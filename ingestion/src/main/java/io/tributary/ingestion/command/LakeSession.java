package io.tributary.ingestion.command;

import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.config.TributaryConfig;
import io.tributary.ingestion.lake.Lake;
import io.tributary.lake.spark.SparkSessions;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/** Runs a command's work against the lake in a SparkSession that is stopped afterwards. */
final class LakeSession {
    private LakeSession() {}

    static <T> T with(GlobalOptions options, Function<Lake, T> work) {
        TributaryConfig config = options.config();
        SparkSession spark = SparkSessions.start(config, "command");
        try {
            return work.apply(Lake.open(spark, config));
        } finally {
            spark.stop();
        }
    }
}
