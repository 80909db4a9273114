package io.tributary.indexing.dedup;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.Json;
import io.tributary.core.cli.Progress;
import io.tributary.core.cli.UserError;
import io.tributary.core.config.TributaryConfig;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import io.tributary.core.io.FileTrees;
import io.tributary.core.lake.LakeTable;
import io.tributary.lake.spark.SparkSessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tributary bench-dedup}: the planted near-duplicate benchmark. Real documents (the SPDX license
 * texts by default) and edited copies go into a scratch lake, dedup runs on them with the configured
 * settings, and its clusters are scored against the exact pairs of Jaccard at least the threshold.
 */
@Command(name = "bench-dedup", mixinStandardHelpOptions = true,
        description = {"Planted near-duplicate benchmark: edited copies of real documents, dedup in a scratch lake,",
            "recall and precision against every pair of Jaccard at least the threshold."})
public final class BenchDedupCommand implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Option(names = "--documents", paramLabel = "DIR",
            description = {"Directory of source documents: .txt files, or .json files with a licenseText field",
                "(default: the SPDX license list in $TRIBUTARY_TOOLS, spdx-license-list/licenses/*.json)."})
    private Path documents;

    @Option(names = "--sources", paramLabel = "N", defaultValue = "0",
            description = "Use the first N documents by file name (default 0: all).")
    private int sources;

    @Option(names = "--copies", paramLabel = "N", defaultValue = "2", description = "Edited copies per source (default 2).")
    private int copies;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the edits (default 1).")
    private long seed;

    @Override
    public Integer call() throws IOException {
        TributaryConfig config = global.config();
        DedupSettings settings = DedupSettings.from(config);
        List<String> texts = readSources(documents == null ? defaultDocuments() : documents, sources);
        PlantedCorpus planted = PlantedCorpus.generate(texts, copies, seed);
        Progress.step("bench-dedup: " + texts.size() + " sources, " + planted.texts().size() + " texts with copies");

        Path scratch = Files.createTempDirectory("tributary-bench-dedup");
        try {
            TributaryConfig scratchConfig = config.withLake(scratch.toString(), scratch);
            DatanetId datanet = DatanetId.of("bench-dedup");
            DedupSummary summary;
            List<PlantedCorpus.Assignment> assignments;
            SparkSession spark = SparkSessions.start(scratchConfig, "bench-dedup");
            try {
                SyntheticContributions.append(spark, scratchConfig.lakeRoot(), datanet, planted.texts());
                summary = new Deduplicator(spark, scratchConfig.lakeRoot(), settings).run(datanet, OptionalLong.empty());
                assignments = assignments(spark, scratchConfig.lakeRoot(), planted.texts());
            } finally {
                spark.stop();
            }
            long started = System.nanoTime();
            PlantedCorpus.Evaluation evaluation = planted.evaluate(settings, assignments);
            double truthSeconds = (System.nanoTime() - started) / 1e9;
            Map<String, Object> report = report(settings, texts.size(), summary, evaluation, truthSeconds);
            CommandOutput.of(global).print(report, () -> describe(report));
        } finally {
            FileTrees.delete(scratch);
        }
        return 0;
    }

    private static Map<String, Object> report(DedupSettings settings, int sources, DedupSummary summary,
            PlantedCorpus.Evaluation evaluation, double truthSeconds) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("sources", sources);
        report.put("texts", evaluation.texts());
        report.put("shingle_size", settings.shingleSize());
        report.put("bands", settings.bands());
        report.put("rows", settings.rows());
        report.put("threshold", settings.threshold());
        report.put("clustering", settings.clustering().configName());
        report.put("true_pairs", evaluation.truePairs());
        report.put("caught_pairs", evaluation.caughtPairs());
        report.put("recall", evaluation.recall());
        report.put("duplicates", evaluation.duplicates());
        report.put("true_duplicates", evaluation.trueDuplicates());
        report.put("precision", evaluation.precision());
        report.put("clustered_true_pairs", evaluation.clusteredTruePairs());
        report.put("cluster_recall", evaluation.clusterRecall());
        report.put("clustered_pairs", evaluation.clusteredPairs());
        report.put("pair_precision", evaluation.pairPrecision());
        report.put("candidate_pairs", summary.candidatePairs());
        report.put("verified_pairs", summary.verifiedPairs());
        report.put("capped_buckets", summary.cappedBuckets());
        report.put("dedup_seconds", summary.seconds());
        report.put("exact_truth_seconds", truthSeconds);
        return report;
    }

    private static String describe(Map<String, Object> report) {
        StringBuilder out = new StringBuilder("planted near-duplicate benchmark\n");
        report.forEach((key, value) -> out.append(String.format("  %-20s %s%n", key,
                value instanceof Double number ? String.format("%.4f", number) : value)));
        return out.toString().stripTrailing();
    }

    private static List<PlantedCorpus.Assignment> assignments(SparkSession spark, String lakeRoot, List<String> texts) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            index.put(ContributionId.ofText(texts.get(i)).toString(), i);
        }
        List<PlantedCorpus.Assignment> out = new ArrayList<>();
        for (Row row : spark.read().format("delta").load(LakeTable.CORPUS.path(lakeRoot))
                .select("contribution_id", "canonical_id", "cluster_id").collectAsList()) {
            out.add(new PlantedCorpus.Assignment(index.get(row.getString(0)), index.get(row.getString(1)), row.getLong(2)));
        }
        return out;
    }

    private static Path defaultDocuments() {
        String tools = System.getenv("TRIBUTARY_TOOLS");
        if (tools == null || tools.isBlank()) {
            throw new UserError("--documents is required when TRIBUTARY_TOOLS is not set (bin/tributary sets it)");
        }
        return Path.of(tools, "spdx-license-list", "licenses");
    }

    static List<String> readSources(Path directory, int limit) {
        if (!Files.isDirectory(directory)) {
            throw new UserError("--documents: no such directory: " + directory);
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> sorted = files.filter(file -> file.getFileName().toString().matches(".*\\.(txt|json)"))
                    .sorted(Comparator.comparing(Path::getFileName)).toList();
            if (sorted.isEmpty()) {
                throw new UserError("--documents: no .txt or .json files in " + directory);
            }
            List<String> texts = new ArrayList<>();
            for (Path file : limit > 0 ? sorted.subList(0, Math.min(limit, sorted.size())) : sorted) {
                texts.add(documentText(file));
            }
            return texts;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + directory, e);
        }
    }

    private static String documentText(Path file) throws IOException {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        if (!file.getFileName().toString().endsWith(".json")) {
            return content;
        }
        JsonNode text = Json.MAPPER.readTree(content).get("licenseText");
        if (text == null || !text.isTextual()) {
            throw new UserError("--documents: " + file + " has no licenseText string");
        }
        return text.asText();
    }
}
