package io.tributary.serving;

import io.tributary.core.config.ConfigException;
import io.tributary.core.config.TributaryConfig;
import io.tributary.model.llama.Quantization;
import io.tributary.serving.price.Price;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Map;

/** The server's typed configuration ({@code tributary.serving.*}), validated once at start-up. */
public record ServingSettings(
        String baseModel,
        String host,
        int port,
        String serverId,
        Quantization quantize,
        int threads,
        int maxBatchSize,
        int maxBatchTokens,
        int maxQueue,
        long kvCacheBytes,
        int maxBodyBytes,
        int defaultMaxTokens,
        int httpThreads,
        int drainSeconds,
        int refreshMillis,
        Path keystore,
        boolean runtimeAdapterLoading,
        Price defaultPrice,
        CacheSettings cache,
        MergeSettings merge,
        LogSettings log) {

    /** Byte bounds of the adapter cache's tiers. */
    public record CacheSettings(long deviceBytes, long hostBytes, long diskBytes, Path diskDirectory, int loaderThreads) {}

    /** When an adapter is merged into its own copy of the base weights. */
    public record MergeSettings(MergeMode mode, double trafficShare, int windowRequests, int minActive) {}

    /** Merge policy: never, or by the traffic policy. */
    public enum MergeMode { OFF, AUTO }

    /** Where the inference log goes. */
    public record LogSettings(Sink sink, long rollBytes, int rollSeconds, String kafkaBootstrapServers, String kafkaTopic,
                              Map<String, String> kafkaProducer) {}

    /** The inference log's sinks. */
    public enum Sink { FILE, KAFKA }

    public static ServingSettings from(TributaryConfig config) {
        String p = "tributary.serving.";
        Path home = TributaryConfig.home();
        ServingSettings settings = new ServingSettings(
                config.string(p + "base-model"),
                config.string(p + "host"),
                config.integer(p + "port"),
                config.string(p + "server-id"),
                quantization(config.string(p + "quantize"), p + "quantize"),
                config.integer(p + "threads"),
                positive(config, p + "max-batch-size"),
                positive(config, p + "max-batch-tokens"),
                positive(config, p + "max-queue"),
                positiveLong(config, p + "kv-cache-bytes"),
                positive(config, p + "max-body-bytes"),
                positive(config, p + "default-max-tokens"),
                positive(config, p + "http-threads"),
                config.integer(p + "drain-seconds"),
                positive(config, p + "refresh-ms"),
                home.resolve(config.string(p + "keystore")),
                config.flag(p + "runtime-adapter-loading"),
                new Price(wei(config, p + "default-price.prompt-wei-per-1k"), wei(config, p + "default-price.completion-wei-per-1k")),
                new CacheSettings(positiveLong(config, p + "cache.device-bytes"), positiveLong(config, p + "cache.host-bytes"),
                        positiveLong(config, p + "cache.disk-bytes"), home.resolve(config.string(p + "cache.disk-directory")),
                        positive(config, p + "cache.loader-threads")),
                new MergeSettings(mergeMode(config.string(p + "merge.mode")), config.decimal(p + "merge.traffic-share"),
                        positive(config, p + "merge.window-requests"), positive(config, p + "merge.min-active")),
                new LogSettings(sink(config.string(p + "log.sink")), positiveLong(config, p + "log.roll-bytes"),
                        positive(config, p + "log.roll-seconds"), config.string(p + "log.kafka.bootstrap-servers"),
                        config.string(p + "log.kafka.topic"), config.map(p + "log.kafka.producer")));
        if (!settings.serverId().isEmpty() && !settings.serverId().matches("[a-z0-9][a-z0-9-]{0,47}")) {
            throw new ConfigException(p + "server-id", "must be 1 to 48 of a-z, 0-9 and '-', starting with a letter or digit");
        }
        if (settings.log().sink() == Sink.KAFKA && settings.log().kafkaBootstrapServers().isBlank()) {
            throw new ConfigException(p + "log.kafka.bootstrap-servers", "must be set when log.sink is \"kafka\"");
        }
        if (settings.port() < 0 || settings.port() > 65535) {
            throw new ConfigException(p + "port", "must be 0 to 65535");
        }
        return settings;
    }

    public ServingSettings withBaseModel(String path) {
        return new ServingSettings(path, host, port, serverId, quantize, threads, maxBatchSize, maxBatchTokens, maxQueue,
                kvCacheBytes, maxBodyBytes, defaultMaxTokens, httpThreads, drainSeconds, refreshMillis, keystore, runtimeAdapterLoading,
                defaultPrice, cache, merge, log);
    }

    public ServingSettings withAddress(String newHost, int newPort) {
        return new ServingSettings(baseModel, newHost, newPort, serverId, quantize, threads, maxBatchSize, maxBatchTokens,
                maxQueue, kvCacheBytes, maxBodyBytes, defaultMaxTokens, httpThreads, drainSeconds, refreshMillis, keystore,
                runtimeAdapterLoading, defaultPrice, cache, merge, log);
    }

    public ServingSettings withQuantize(Quantization value) {
        return new ServingSettings(baseModel, host, port, serverId, value, threads, maxBatchSize, maxBatchTokens, maxQueue,
                kvCacheBytes, maxBodyBytes, defaultMaxTokens, httpThreads, drainSeconds, refreshMillis, keystore, runtimeAdapterLoading,
                defaultPrice, cache, merge, log);
    }





    /** The runtime's quantization named by {@code text}; a bad name is a configuration error naming {@code key}. */
    public static Quantization quantization(String text, String key) {
        try {
            return Quantization.parse(text);
        } catch (io.tributary.model.ModelException e) {
            throw new ConfigException(key, "must be \"none\" or \"int8\", not \"" + text + "\"");
        }
    }

    private static int positive(TributaryConfig config, String key) {
        int value = config.integer(key);
        if (value <= 0) {
            throw new ConfigException(key, "must be positive, not " + value);
        }
        return value;
    }

    private static long positiveLong(TributaryConfig config, String key) {
        long value = config.longValue(key);
        if (value <= 0) {
            throw new ConfigException(key, "must be positive, not " + value);
        }
        return value;
    }

    private static BigInteger wei(TributaryConfig config, String key) {
        String text = config.string(key);
        if (!text.matches("0|[1-9][0-9]{0,77}")) {
            throw new ConfigException(key, "must be a non-negative integer in decimal (wei), not \"" + text + "\"");
        }
        return new BigInteger(text);
    }

    private static MergeMode mergeMode(String text) {
        for (MergeMode mode : MergeMode.values()) {
            if (mode.name().equalsIgnoreCase(text)) {
                return mode;
            }
        }
        throw new ConfigException("tributary.serving.merge.mode", "must be \"off\" or \"auto\", not \"" + text + "\"");
    }

    private static Sink sink(String text) {
        for (Sink sink : Sink.values()) {
            if (sink.name().equalsIgnoreCase(text)) {
                return sink;
            }
        }
        throw new ConfigException("tributary.serving.log.sink", "must be \"file\" or \"kafka\", not \"" + text + "\"");
    }
}
