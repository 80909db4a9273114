package io.tributary.indexing.index;

import io.tributary.core.config.TributaryConfig;
import io.tributary.core.index.TraceOptions;

/** The {@code tributary.index} section, read and checked once. */
public record IndexSettings(long shardTokens, String tokenizer, int minTokens, long maxCount, int documentLimit,
                            String cacheDirectory, int benchSamples, int benchCountTokens, int benchTraceTokens) {
    public IndexSettings {
        if (shardTokens < 1 || shardTokens > Integer.MAX_VALUE - 1024) {
            throw new io.tributary.core.config.ConfigException("tributary.index.shard-tokens",
                    "must be between 1 and 2^31 - 1024 (a shard's suffix array is one Java array), not " + shardTokens);
        }
    }

    public static IndexSettings from(TributaryConfig config) {
        String prefix = "tributary.index.";
        return new IndexSettings(config.longValue(prefix + "shard-tokens"), config.string(prefix + "tokenizer"),
                config.integer(prefix + "min-tokens"), config.longValue(prefix + "max-count"),
                config.integer(prefix + "document-limit"), config.string(prefix + "cache-directory"),
                config.integer(prefix + "bench-samples"), config.integer(prefix + "bench-count-tokens"),
                config.integer(prefix + "bench-trace-tokens"));
    }

    public TraceOptions traceOptions() {
        return new TraceOptions(minTokens, maxCount, documentLimit);
    }
}
