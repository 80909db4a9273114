package io.tributary.settlement;

import io.tributary.settlement.chain.Anvil;
import io.tributary.settlement.chain.ChainConnection;
import io.tributary.settlement.chain.ChainSettings;
import io.tributary.settlement.chain.ContractDeployer;
import io.tributary.settlement.chain.Deployment;
import io.tributary.settlement.chain.OperatorKey;
import io.tributary.settlement.chain.RetryPolicy;
import io.tributary.core.config.TributaryConfig;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/** A real Anvil on a free loopback port with the contracts deployed, for tests; restartable on the same port. */
final class LocalAnvil implements AutoCloseable {
    final int port = Anvil.freePort();
    final Path dir;
    final Path stateFile;
    final ChainSettings settings;
    Anvil anvil;
    Deployment deployment;

    LocalAnvil(Path dir, Duration receiptTimeout, Duration retryDeadline) {
        this.dir = dir;
        this.stateFile = dir.resolve("anvil-state.json");
        this.settings = ChainSettings.from(TributaryConfig.defaults()).withStateDir(dir.resolve("chain"))
                .withTimeouts(receiptTimeout, new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(500), retryDeadline));
        start();
        this.deployment = ContractDeployer.deploy(anvil.rpcUrl(), OperatorKey.anvilDevKey(), settings, Optional.empty(), true);
    }

    void start() {
        anvil = Anvil.start(port, Optional.of(stateFile), dir.resolve("anvil.log"), List.of());
    }

    /** Stops Anvil (SIGTERM: it dumps its state) and returns; {@link #start()} brings the same chain back. */
    void stop() {
        anvil.stop();
    }

    ChainConnection connect() {
        return ChainConnection.open(deployment, OperatorKey.anvilDevKey(), settings);
    }

    ChainConnection connect(Credentials key) {
        return ChainConnection.open(deployment, key, settings);
    }

    /** A raw JSON-RPC call (anvil_* and evm_* methods web3j has no method for). */
    void rpc(String method, Object... params) {
        Web3j web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
        try {
            var response = new org.web3j.protocol.core.Request<>(method, List.of(params), new HttpService(anvil.rpcUrl()),
                    org.web3j.protocol.core.methods.response.VoidResponse.class).send();
            if (response.hasError()) {
                throw new IllegalStateException(method + ": " + response.getError().getMessage());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            web3j.shutdown();
        }
    }

    BigInteger balance(ChainConnection chain, String account) throws Exception {
        return chain.token().balanceOf(account).send();
    }

    @Override
    public void close() {
        if (anvil != null) {
            anvil.close();
        }
    }
}
