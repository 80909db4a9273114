package io.tributary.attribution;

import io.tributary.core.config.ConfigException;
import io.tributary.core.config.TributaryConfig;
import io.tributary.core.crypto.Address;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stream's settings ({@code tributary.attribution.*} and the lake), validated once at start-up and shipped to
 * the task managers with the job.
 */
public record AttributionSettings(
        String lakeRoot,
        Map<String, String> hadoop,
        String treasury,
        long epochLengthMs,
        long outOfOrdernessMs,
        long allowedLatenessMs,
        long checkpointIntervalMs,
        int minSpanTokens,
        long maxCount,
        long refreshMs,
        int parallelism,
        String source,
        long monitorIntervalMs,
        String kafkaBootstrapServers,
        String kafkaTopic,
        String kafkaGroupId) implements Serializable {

    private static final String PREFIX = "tributary.attribution.";

    public AttributionSettings {
        hadoop = new TreeMap<>(hadoop);
        require(Address.isValid(treasury), "treasury", "'" + treasury + "' is not a 0x address");
        require(epochLengthMs > 0, "epoch-length-seconds", "must be positive");
        require(outOfOrdernessMs >= 0, "out-of-orderness-ms", "must not be negative");
        require(allowedLatenessMs >= 0, "allowed-lateness-ms", "must not be negative");
        require(checkpointIntervalMs >= 10, "checkpoint-interval-ms", "must be at least 10");
        require(minSpanTokens >= 1, "min-span-tokens", "must be at least 1");
        require(maxCount >= 1, "max-count", "must be at least 1");
        require(parallelism >= 1, "parallelism", "must be at least 1");
        require(source.equals("files") || source.equals("kafka"), "source", "must be \"files\" or \"kafka\", not '" + source + "'");
    }

    private static void require(boolean condition, String key, String problem) {
        if (!condition) {
            throw new ConfigException(PREFIX + key, problem);
        }
    }

    public static AttributionSettings from(TributaryConfig config) {
        return new AttributionSettings(
                config.lakeRoot(),
                config.map("tributary.hadoop.conf"),
                config.string(PREFIX + "treasury"),
                config.longValue(PREFIX + "epoch-length-seconds") * 1000,
                config.longValue(PREFIX + "out-of-orderness-ms"),
                config.longValue(PREFIX + "allowed-lateness-ms"),
                config.longValue(PREFIX + "checkpoint-interval-ms"),
                config.integer(PREFIX + "min-span-tokens"),
                config.longValue(PREFIX + "max-count"),
                config.longValue(PREFIX + "refresh-seconds") * 1000,
                config.integer(PREFIX + "parallelism"),
                config.string(PREFIX + "source"),
                config.longValue(PREFIX + "monitor-interval-ms"),
                config.string(PREFIX + "kafka.bootstrap-servers"),
                config.string(PREFIX + "kafka.topic"),
                config.string(PREFIX + "kafka.group-id"));
    }

    /** The same settings with another epoch length (tests and the demo use short epochs). */
    public AttributionSettings withEpochLengthMs(long length) {
        return new AttributionSettings(lakeRoot, hadoop, treasury, length, outOfOrdernessMs, allowedLatenessMs,
                checkpointIntervalMs, minSpanTokens, maxCount, refreshMs, parallelism, source, monitorIntervalMs,
                kafkaBootstrapServers, kafkaTopic, kafkaGroupId);
    }

    /** The same settings reading the Kafka topic at {@code bootstrapServers} (tests, --source kafka). */
    public AttributionSettings withKafka(String bootstrapServers, String topic) {
        return new AttributionSettings(lakeRoot, hadoop, treasury, epochLengthMs, outOfOrdernessMs, allowedLatenessMs,
                checkpointIntervalMs, minSpanTokens, maxCount, refreshMs, parallelism, "kafka", monitorIntervalMs,
                bootstrapServers, topic, kafkaGroupId);
    }

    public AttributionSettings withCheckpointIntervalMs(long interval) {
        return new AttributionSettings(lakeRoot, hadoop, treasury, epochLengthMs, outOfOrdernessMs, allowedLatenessMs,
                interval, minSpanTokens, maxCount, refreshMs, parallelism, source, monitorIntervalMs,
                kafkaBootstrapServers, kafkaTopic, kafkaGroupId);
    }

    /** Where the stream keeps its own files (checkpoints, staged commits) under the lake. */
    public String workDirectory() {
        return lakeRoot.replaceAll("/$", "") + "/_attribution";
    }

    /** Epoch id of an event time: floor(millis / length). */
    public long epochOf(long servedAtMillis) {
        return Math.floorDiv(servedAtMillis, epochLengthMs);
    }

    Map<String, String> hadoopSettings() {
        return hadoop;
    }
}
