package io.tributary.settlement.chain;

import io.tributary.core.config.TributaryConfig;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;

/** The {@code tributary.chain} section, typed; see tributary-reference.conf for what each key means. */
public record ChainSettings(
        String rpcUrl,
        long chainId,
        String token,
        String distributor,
        String registry,
        String keystore,
        Path stateDir,
        int localPort,
        Duration receiptTimeout,
        Duration pollInterval,
        RetryPolicy retry,
        long baseFeeMultiplier,
        BigInteger minPriorityFeeWei) {

    public static ChainSettings from(TributaryConfig config) {
        String prefix = "tributary.chain.";
        Path stateDir = Path.of(config.string(prefix + "state-dir"));
        if (!stateDir.isAbsolute()) {
            stateDir = home().resolve(stateDir);
        }
        return new ChainSettings(
                config.string(prefix + "rpc-url"),
                config.longValue(prefix + "chain-id"),
                config.string(prefix + "token"),
                config.string(prefix + "distributor"),
                config.string(prefix + "registry"),
                config.string(prefix + "keystore"),
                stateDir.normalize(),
                config.integer(prefix + "local-port"),
                Duration.ofSeconds(config.longValue(prefix + "receipt-timeout-seconds")),
                Duration.ofMillis(config.longValue(prefix + "poll-interval-ms")),
                new RetryPolicy(
                        Duration.ofMillis(config.longValue(prefix + "retry-initial-ms")),
                        Duration.ofMillis(config.longValue(prefix + "retry-max-ms")),
                        Duration.ofSeconds(config.longValue(prefix + "retry-deadline-seconds"))),
                config.longValue(prefix + "base-fee-multiplier"),
                BigInteger.valueOf(config.longValue(prefix + "min-priority-fee-wei")));
    }

    public ChainSettings withStateDir(Path dir) {
        return new ChainSettings(rpcUrl, chainId, token, distributor, registry, keystore, dir, localPort,
                receiptTimeout, pollInterval, retry, baseFeeMultiplier, minPriorityFeeWei);
    }

    public ChainSettings withTimeouts(Duration receipt, RetryPolicy retryPolicy) {
        return new ChainSettings(rpcUrl, chainId, token, distributor, registry, keystore, stateDir, localPort,
                receipt, pollInterval, retryPolicy, baseFeeMultiplier, minPriorityFeeWei);
    }

    static Path home() {
        String home = System.getenv(TributaryConfig.HOME_ENVIRONMENT_VARIABLE);
        return home == null || home.isBlank() ? Path.of("").toAbsolutePath() : Path.of(home).toAbsolutePath();
    }
}
