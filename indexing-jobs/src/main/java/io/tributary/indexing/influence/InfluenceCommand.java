package io.tributary.indexing.influence;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.config.TributaryConfig;
import io.tributary.lake.spark.SparkSessions;
import io.tributary.indexing.index.LakeFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tributary influence}: which training contributions helped or hurt an adapter's queries. */
@Command(name = "influence", mixinStandardHelpOptions = true,
        description = {"Estimate how much each training contribution of an adapter lowered (score > 0) or raised",
            "(score < 0) the loss of its queries, from projected LoRA gradients; append the scores to the influence",
            "table and their per-contributor sums to influence_contributors."})
public final class InfluenceCommand implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Option(names = "--adapter", required = true, paramLabel = "ID", description = "Adapter id (tributary adapters list).")
    private String adapter;

    @Option(names = "--method", paramLabel = "M", description = "tracin, trak or datainf (default: tributary.influence.method).")
    private String method;

    @Option(names = "--queries", paramLabel = "SET", defaultValue = "eval",
            description = {"eval: the adapter's held-out contributions (default); log: its completions in the inference log;",
                "datanet:ID: the contributions of a (clean, validation) Datanet; self: each training contribution on itself",
                "(self-influence: high marks a contribution the adapter had to bend to fit, e.g. a wrong answer)."})
    private String queries;

    @Option(names = "--normalize", paramLabel = "N", defaultValue = "none",
            description = "none (default) or unit: every gradient scaled to unit length before scoring (cosine influence).")
    private String normalize;

    @Option(names = "--ensemble", paramLabel = "E", defaultValue = "none",
            description = {"Average the scores over several models (TRAK's ensembles; recorded as method <method>-checkpoints",
                "or <method>-ensemble): none (default); checkpoints: every training checkpoint and the final adapter (trak,",
                "datainf); or ID2,ID3,...: other adapters trained on the same contributions, Datanet version, base and loss",
                "scope (e.g. other training seeds), each scored on this adapter's queries; rows go under --adapter."})
    private String ensemble;

    @Option(names = "--max-windows", paramLabel = "W", defaultValue = "0",
            description = {"At most W evenly spaced windows of sequence_length tokens per contribution, the gradient scaled to",
                "all its tokens: bounds the cost of long documents (default 0: every window, exact)."})
    private int maxWindows;

    @Option(names = "--show", paramLabel = "N", defaultValue = "5", description = "Contributions shown at each end (default 5).")
    private int show;

    @Override
    public Integer call() {
        TributaryConfig config = global.config();
        InfluenceSettings settings = InfluenceSettings.from(config).withMaxWindows(maxWindows);
        InfluenceMethod chosen = method == null ? settings.defaultMethod() : InfluenceMethod.parse(method);
        QuerySet querySet = QuerySet.parse(queries);
        GradientNormalization normalization = GradientNormalization.parse(normalize);
        InfluenceEnsemble models = InfluenceEnsemble.parse(ensemble);
        AdapterInputs.checkAdapterId(adapter);
        InfluenceJob.Result result;
        SparkSession spark = SparkSessions.start(config, "influence " + adapter.substring(0, 12));
        try {
            result = new InfluenceJob(spark, config.lakeRoot(), new LakeFiles(config.map("tributary.hadoop.conf")), settings)
                    .run(adapter, chosen, querySet, normalization, models);
        } finally {
            ModelCache.clear();
            spark.stop();
        }
        CommandOutput.of(global).print(json(result, show), () -> describe(result, show));
        return 0;
    }

    static Map<String, Object> json(InfluenceJob.Result result, int show) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run_id", result.runId());
        out.put("adapter_id", result.adapterId());
        out.put("datanet", result.datanet());
        out.put("datanet_version", result.datanetVersion());
        out.put("method", result.methodLabel());
        out.put("query_set", result.querySet().label());
        out.put("models", result.members());
        out.put("train_examples", result.trainExamples());
        out.put("queries", result.queries());
        out.put("gradient_seconds", round(result.gradientSeconds()));
        out.put("examples_per_second", Double.isNaN(result.examplesPerSecond()) ? null : round(result.examplesPerSecond()));
        out.put("scoring_seconds", round(result.scoringSeconds()));
        out.put("gradient_sets_reused", result.gradientSets().stream().filter(GradientSet::reused).count());
        out.put("rejected_log_lines", result.rejectedLogLines());
        InfluenceJob.extremes(result.scored(), show).forEach((end, rows) -> out.put(end, rows.stream().map(row -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("rank", row.rank());
            entry.put("contribution_id", row.contributionId());
            entry.put("contributor", row.contributor());
            entry.put("score", row.score());
            return entry;
        }).toList()));
        List<Map<String, Object>> contributors = new ArrayList<>();
        for (InfluenceJob.ContributorTotal total : result.contributors()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("contributor", total.contributor());
            entry.put("score_sum", total.scoreSum());
            entry.put("contributions", total.contributions());
            contributors.add(entry);
        }
        out.put("contributors", contributors);
        return out;
    }

    static String describe(InfluenceJob.Result result, int show) {
        StringBuilder text = new StringBuilder();
        text.append(String.format("influence run %s%n  adapter %s (%s version %d), method %s, %d training contributions, "
                        + "%d %s queries%s%n  gradients %.1f s%s, scoring %.1f s%n", result.runId(), result.adapterId(),
                result.datanet(), result.datanetVersion(), result.methodLabel(), result.trainExamples(), result.queries(),
                result.querySet().label(), result.members().size() == 1 ? ""
                        : String.format(", scores averaged over %d models", result.members().size()), result.gradientSeconds(),
                Double.isNaN(result.examplesPerSecond()) ? " (all reused)"
                        : String.format(" (%.1f examples/s)", result.examplesPerSecond()), result.scoringSeconds()));
        InfluenceJob.extremes(result.scored(), show).forEach((end, rows) -> {
            boolean self = result.querySet().kind() == QuerySet.Kind.SELF;
            text.append(end.equals("top")
                    ? self ? "  highest self-influence (fitting it moved the adapter most; wrong or unusual contributions):\n"
                            : "  most helpful (score > 0 lowered the queries' loss):\n"
                    : self ? "  lowest self-influence:\n" : "  least helpful or harmful:\n");
            rows.forEach(row -> text.append(String.format("    #%-4d %+.4e  %s  by %s%n", row.rank(), row.score(),
                    row.contributionId().substring(0, 16), row.contributor())));
        });
        text.append("  contributors (sum of scores, contributions):\n");
        result.contributors().stream().limit(show).forEach(total -> text.append(String.format("    %s  %+.4e  %d%n",
                total.contributor(), total.scoreSum(), total.contributions())));
        return text.toString().stripTrailing();
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
