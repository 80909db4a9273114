package io.tributary.ingestion.command;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.Progress;
import io.tributary.core.id.DatanetId;
import io.tributary.ingestion.ingest.IngestJob;
import io.tributary.ingestion.ingest.IngestSummary;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tributary ingest --datanet ID --input PATH...}. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Ingest signed JSON Lines contributions into a Datanet as one atomic batch.",
                "Inputs: .jsonl/.json/.jsonl.gz files or directories of them. Rejected lines go to the quarantine table.",
                "Exit status 3 when the Datanet does not exist (its lines are quarantined as unknown_datanet)."})
public final class IngestCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Option(names = "--datanet", required = true, paramLabel = "ID")
    String datanet;

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "A file or directory; repeatable.")
    List<String> inputs;

    @Override
    public Integer call() {
        DatanetId id = DatanetId.of(datanet);
        IngestSummary summary;
        try (Progress progress = Progress.start("ingest into " + id, 0)) {
            summary = LakeSession.with(global, lake -> new IngestJob(lake, crashDrill()).run(id, inputs));
        }
        CommandOutput.of(global).print(summary.toJson(), summary::toText);
        if (summary.reasons().getOrDefault("unknown_datanet", 0L) > 0) {
            System.err.println("error: no Datanet '" + id + "': its " + summary.read()
                    + " lines were quarantined as unknown_datanet; create it with `tributary datanet create`");
            return 3;
        }
        return 0;
    }

    /**
     * Crash drills: {@code TRIBUTARY_CRASH_AT=after_contributions} (or another commit point) halts the JVM there,
     * as a power cut would, so tests can prove the next command rolls the batch back.
     */
    static IngestJob.CommitHook crashDrill() {
        String at = System.getenv("TRIBUTARY_CRASH_AT");
        if (at == null || at.isBlank()) {
            return IngestJob.CommitHook.NONE;
        }
        IngestJob.CommitPoint target = IngestJob.CommitPoint.valueOf(at.strip().toUpperCase(java.util.Locale.ROOT));
        return point -> {
            if (point == target) {
                System.err.println("crash drill: halting at " + point);
                Runtime.getRuntime().halt(86);
            }
        };
    }
}
