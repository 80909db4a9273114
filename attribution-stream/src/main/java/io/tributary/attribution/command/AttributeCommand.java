package io.tributary.attribution.command;

import io.delta.kernel.engine.Engine;
import io.tributary.attribution.AttributionSettings;
import io.tributary.attribution.job.AttributionJob;
import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.lake.LakeTable;
import io.tributary.lake.kernel.KernelTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tributary attribute}: runs the attribution job on an embedded Flink MiniCluster. */
@Command(name = "attribute", mixinStandardHelpOptions = true,
        description = "Trace every logged inference to its contributors and split its fee to the wei, per epoch, into"
                + " the lake (Flink on an embedded MiniCluster; resumes from its last checkpoint).")
public final class AttributeCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Mixin
    AttributeOptions options;

    @Override
    public Integer call() throws Exception {
        AttributionSettings settings = options.settings(global.config());
        AttributionJob.Mode chosen = options.mode();
        AttributionJob job = AttributionJob.prepare(settings);
        System.err.println("attribute: run " + job.runId() + job.resumeFrom().map(path -> ", resuming from " + path).orElse("")
                + " over " + (settings.source().equals("kafka") ? "topic " + settings.kafkaTopic() + " at "
                + settings.kafkaBootstrapServers() : io.tributary.core.inference.InferenceLogFiles.directory(settings.lakeRoot())));
        job.runEmbedded(chosen);
        Map<String, Object> summary = summary(settings);
        CommandOutput.of(global).print(summary, () -> "attribute: " + summary.get("inferences") + " inferences, "
                + summary.get("rejected") + " rejected, " + summary.get("epochs") + " closed epochs in the lake (run "
                + job.runId() + ")");
        return 0;
    }

    static Map<String, Object> summary(AttributionSettings settings) {
        Engine engine = KernelTable.engine(settings.hadoop());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("inferences", count(engine, settings, LakeTable.INFERENCES));
        summary.put("attributions", count(engine, settings, LakeTable.ATTRIBUTIONS));
        summary.put("rejected", count(engine, settings, LakeTable.REJECTED_INFERENCES));
        summary.put("epochs", count(engine, settings, LakeTable.ATTRIBUTION_EPOCHS));
        summary.put("epoch_payouts", count(engine, settings, LakeTable.EPOCH_PAYOUTS));
        return summary;
    }

    private static long count(Engine engine, AttributionSettings settings, LakeTable table) {
        KernelTable kernel = KernelTable.reading(engine, settings.lakeRoot(), table);
        if (!kernel.exists()) {
            return 0;
        }
        List<String> first = List.of(table.schema().columns().get(0).name());
        return kernel.read(OptionalLong.empty(), first).rows().size();
    }
}
