package io.tributary.attribution;

import io.tributary.attribution.command.AttributeOptions;
import io.tributary.attribution.job.AttributionJob;
import io.tributary.core.cli.GlobalOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Entry class of the attribution job jar ({@code tributary-attribution-stream-<version>-flink-job.jar}) on a Flink
 * cluster: {@code flink run -c io.tributary.attribution.FlinkJobMain <jar> --conf FILE [--lake URI] [--until-end |
 * --follow] [--source kafka] [--epoch-seconds N]}, or the same class and arguments through the REST API / web UI.
 * The profile is read where the main runs (the client host under {@code flink run}, the JobManager for a REST
 * submission); its {@code ${?VAR}} values come from that process's environment.
 */
@Command(name = "attribution-job", mixinStandardHelpOptions = true,
        description = "Submit the attribution stream to the Flink cluster this program runs under.")
public final class FlinkJobMain {
    @Mixin
    GlobalOptions global;

    @Mixin
    AttributeOptions options;

    /**
     * Parses the arguments and submits the job. Never calls System.exit: under a REST submission this main runs
     * inside the JobManager's JVM. Errors propagate so the cluster reports them to the submitter.
     */
    public static void main(String[] args) throws Exception {
        FlinkJobMain main = new FlinkJobMain();
        CommandLine commandLine = new CommandLine(main);
        commandLine.parseArgs(args);
        if (commandLine.isUsageHelpRequested()) {
            commandLine.usage(System.out);
            return;
        }
        main.submit();
    }

    void submit() throws Exception {
        AttributionSettings settings = options.settings(global.config());
        AttributionJob job = AttributionJob.prepare(settings);
        System.err.println("attribution-job: run " + job.runId() + job.resumeFrom().map(path -> ", resuming from " + path)
                .orElse("") + ", lake " + settings.lakeRoot() + ", source " + settings.source());
        job.execute(options.mode());
    }
}
