package io.tributary.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.cli.UserError;
import io.tributary.core.config.TributaryConfig;
import io.tributary.core.crypto.Address;
import io.tributary.settlement.chain.Anvil;
import io.tributary.settlement.chain.ChainConnection;
import io.tributary.settlement.chain.ChainSettings;
import io.tributary.settlement.chain.Deployment;
import io.tributary.settlement.chain.LocalChain;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The well-known dev key signs only on the chain `chain up` started; RPC URLs never reach files or errors whole. */
class ChainTrustTest {
    private static final Address SOME_CONTRACT = Address.of("0x" + "12".repeat(20));

    @TempDir
    Path dir;

    private ChainSettings settings() {
        return ChainSettings.from(TributaryConfig.defaults()).withStateDir(dir.resolve("chain"));
    }

    @Test
    void aLoopbackNodeWithAnotherChainIdNeverGetsTheDevKey() {
        int port = Anvil.freePort();
        try (Anvil foreign = Anvil.startForeign(port, 1337, dir.resolve("foreign.log"))) {
            // A deployment file that claims the node is local (copied, edited, or left from an old `chain up`).
            new Deployment(foreign.rpcUrl(), 1337, SOME_CONTRACT, SOME_CONTRACT, SOME_CONTRACT, SOME_CONTRACT, true)
                    .write(settings().stateDir());
            assertThatThrownBy(() -> ChainConnection.open(settings()))
                    .isInstanceOf(UserError.class)
                    .hasMessageContaining("no operator key");
            // `chain up` on that port refuses to deploy with the dev key to a node it did not start.
            assertThatThrownBy(() -> new LocalChain(settings()).up(port))
                    .isInstanceOf(UserError.class)
                    .hasMessageContaining("did not start");
            assertThat(LocalChain.runsOurAnvil(settings().stateDir(), foreign.rpcUrl(), Anvil.CHAIN_ID)).isFalse();
            assertThat(LocalChain.servesOurAnvil(settings().stateDir(), foreign.rpcUrl())).isFalse();
        }
    }

    @Test
    void chainDeployGivesTheDevKeyOnlyToTheAnvilChainUpStarted() throws Exception {
        // An Anvil on loopback with chain id 31337 that `chain up` did not start (no pid file of its own): what
        // `chain deploy --rpc http://127.0.0.1:...` once signed with the dev key because the URL was loopback.
        try (Anvil other = Anvil.start(Anvil.freePort(), java.util.Optional.empty(), dir.resolve("other.log"),
                java.util.List.of())) {
            assertThat(LocalChain.servesOurAnvil(settings().stateDir(), other.rpcUrl())).isFalse();
            Files.createDirectories(settings().stateDir());
            Files.writeString(settings().stateDir().resolve("anvil.pid"), other.pid() + "\n");
            assertThat(LocalChain.servesOurAnvil(settings().stateDir(), other.rpcUrl())).isTrue();
        }
        assertThat(LocalChain.servesOurAnvil(settings().stateDir(), "http://127.0.0.1:" + Anvil.freePort())).isFalse();
    }

    @Test
    void theDeploymentFileKeepsOnlyARedactedRpcUrl() throws Exception {
        String secretUrl = "https://operator:hunter2@eth.example.org/v3/0123456789abcdef0123456789abcdef";
        new Deployment(secretUrl, 1, SOME_CONTRACT, SOME_CONTRACT, SOME_CONTRACT, SOME_CONTRACT, false)
                .write(settings().stateDir());
        String written = Files.readString(settings().stateDir().resolve(Deployment.FILE_NAME));
        assertThat(written).doesNotContain("hunter2").doesNotContain("0123456789abcdef").contains("eth.example.org");
        assertThatThrownBy(() -> ChainConnection.open(settings()))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("redacted")
                .hasMessageNotContaining("hunter2");
    }
}
