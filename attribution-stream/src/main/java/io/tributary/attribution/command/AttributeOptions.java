package io.tributary.attribution.command;

import io.tributary.attribution.AttributionSettings;
import io.tributary.attribution.job.AttributionJob;
import io.tributary.core.cli.UserError;
import io.tributary.core.config.TributaryConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The job's options, shared by {@code tributary attribute} (embedded MiniCluster) and the {@code flink run} jar's
 * entry class, so both read the same settings the same way.
 */
public final class AttributeOptions {
    static final class ModeOption {
        @Option(names = "--until-end", description = "Read the log as it is now, close every epoch and stop (default).")
        boolean untilEnd;

        @Option(names = "--follow", description = "Watch the log (directory or topic) and attribute new records as they appear.")
        boolean follow;
    }

    @ArgGroup(exclusive = true)
    ModeOption mode;

    @Option(names = "--epoch-seconds", paramLabel = "N",
            description = "Epoch length for this lake, overriding tributary.attribution.epoch-length-seconds.")
    Long epochSeconds;

    @Option(names = "--source", paramLabel = "files|kafka",
            description = "Where the log is read from, overriding tributary.attribution.source (kafka: the cluster profile's topic).")
    String source;

    /** The stream's settings from the profile, with these options applied. */
    public AttributionSettings settings(TributaryConfig config) {
        AttributionSettings settings = AttributionSettings.from(config);
        if ("kafka".equals(source)) {
            settings = settings.withKafka(settings.kafkaBootstrapServers(), settings.kafkaTopic());
        } else if (source != null && !source.equals("files")) {
            throw new UserError("--source must be files or kafka, not '" + source + "'");
        }
        if (epochSeconds != null) {
            settings = settings.withEpochLengthMs(epochSeconds * 1000);
        }
        return settings;
    }

    public AttributionJob.Mode mode() {
        return mode != null && mode.follow ? AttributionJob.Mode.FOLLOW : AttributionJob.Mode.UNTIL_END;
    }
}
