package io.tributary.indexing.dedup;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.HelpOption;
import io.tributary.core.config.TributaryConfig;
import io.tributary.core.id.DatanetId;
import io.tributary.lake.spark.SparkSessions;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tributary dedup}: clusters a Datanet version's duplicates into the corpus table. */
@Command(name = "dedup",
        description = {"Cluster the contributions of a Datanet version into normalized and near duplicates,",
            "and add those not yet in the corpus table with their canonical (earliest ingested) contribution.",
            "Re-running on the same version changes nothing; a newer version only adds rows."})
public final class DedupCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    private GlobalOptions global;

    @Option(names = "--datanet", required = true, paramLabel = "ID", description = "The Datanet to deduplicate.")
    private String datanet;

    @Option(names = "--version", paramLabel = "V",
            description = "Version of the contributions table to read (default: the latest).")
    private Long version;

    @Override
    public Integer call() {
        DatanetId id = DatanetId.of(datanet);
        TributaryConfig config = global.config();
        DedupSettings settings = DedupSettings.from(config);
        DedupSummary summary;
        SparkSession spark = SparkSessions.start(config, "dedup " + id);
        try {
            summary = new Deduplicator(spark, config.lakeRoot(), settings)
                    .run(id, version == null ? OptionalLong.empty() : OptionalLong.of(version));
        } finally {
            spark.stop();
        }
        CommandOutput.of(global).print(summary, summary::describe);
        return 0;
    }
}
