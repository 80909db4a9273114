package io.tributary.ingestion.command;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.Progress;
import io.tributary.core.cli.UserError;
import io.tributary.core.config.TributaryConfig;
import io.tributary.core.crypto.Address;
import io.tributary.core.id.DatanetId;
import io.tributary.ingestion.bench.IngestBenchmark;
import io.tributary.ingestion.datanet.DatanetCatalog;
import io.tributary.core.money.RewardPolicy;
import io.tributary.ingestion.ingest.IngestJob;
import io.tributary.ingestion.ingest.IngestSummary;
import io.tributary.ingestion.lake.Lake;
import io.tributary.lake.spark.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tributary bench-ingest}: ingests generated signed contributions into a fresh lake and compares the
 * rate with the engine-free validation baseline, side by side in one run.
 */
@Command(name = "bench-ingest", mixinStandardHelpOptions = true,
        description = "Measure ingestion: generated signed contributions into a fresh lake, against an engine-free baseline.")
public final class BenchIngestCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Option(names = "--contributions", defaultValue = "100000", paramLabel = "N")
    int contributions;

    @Option(names = "--text-bytes", defaultValue = "2048", paramLabel = "BYTES")
    int textBytes;

    @Option(names = "--files", defaultValue = "8", paramLabel = "N")
    int files;

    @Option(names = "--work", required = true, paramLabel = "DIR", description = "Scratch directory (inputs and a fresh lake).")
    Path work;

    @Override
    public Integer call() throws Exception {
        Path spdx = Path.of(System.getenv().getOrDefault("TRIBUTARY_TOOLS", "tools/node_modules"),
                "spdx-license-list", "spdx-full.json");
        if (!Files.isRegularFile(spdx)) {
            throw new UserError("SPDX texts not found at " + spdx + "; run `npm ci` in tools/");
        }
        DatanetId datanet = DatanetId.of("bench");
        Path inputs = work.resolve("inputs");
        Path lakeRoot = work.resolve("lake-" + System.currentTimeMillis());
        long bytes;
        try (Progress progress = Progress.start("generating " + contributions + " signed contributions", contributions)) {
            bytes = IngestBenchmark.generate(spdx, inputs, datanet, contributions, textBytes, files);
        }
        TributaryConfig config = global.config().withLake(lakeRoot.toString(), Path.of("").toAbsolutePath());

        long started = System.nanoTime();
        long validated = IngestBenchmark.validateOnly(inputs, datanet, config.integer("tributary.ingest.max-text-bytes"));
        double baselineSeconds = (System.nanoTime() - started) / 1e9;

        SparkSession spark = SparkSessions.start(config, "bench-ingest");
        IngestSummary first;
        IngestSummary again;
        try {
            Lake lake = Lake.open(spark, config);
            new DatanetCatalog(lake).create(datanet, "Benchmark", "bench",
                    Address.of("0x000000000000000000000000000000000000beef"), RewardPolicy.defaults(config));
            first = new IngestJob(lake).run(datanet, List.of(inputs.toString()));
            again = new IngestJob(lake).run(datanet, List.of(inputs.toString()));
        } finally {
            spark.stop();
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("contributions", contributions);
        json.put("input_bytes", bytes);
        json.put("files", files);
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("baseline_validated", validated);
        json.put("baseline_seconds", round(baselineSeconds));
        json.put("baseline_per_s", round(contributions / baselineSeconds));
        json.put("ingest_accepted", first.accepted());
        json.put("ingest_seconds", round(first.seconds()));
        json.put("ingest_per_s", round(contributions / first.seconds()));
        json.put("ingest_mb_per_s", round(bytes / 1e6 / first.seconds()));
        json.put("rerun_accepted", again.accepted());
        json.put("rerun_seconds", round(again.seconds()));
        json.put("ingest_over_baseline", round(first.seconds() / baselineSeconds));
        CommandOutput.of(global).print(json, () -> String.format(
                "%d contributions, %.1f MB in %d files, %d cores%n"
                        + "  baseline (read, parse, hash, verify signature; no engine): %.1f s, %.0f contributions/s%n"
                        + "  ingest (Spark local + Delta, one atomic batch):            %.1f s, %.0f contributions/s, %.1f MB/s%n"
                        + "  re-run of the same input (accepts %d):                     %.1f s%n"
                        + "  ingest / baseline time: %.2f",
                contributions, bytes / 1e6, files, Runtime.getRuntime().availableProcessors(), baselineSeconds,
                contributions / baselineSeconds, first.seconds(), contributions / first.seconds(),
                bytes / 1e6 / first.seconds(), again.accepted(), again.seconds(), first.seconds() / baselineSeconds));
        return 0;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
