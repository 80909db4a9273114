package io.tributary.settlement.cli;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.UserError;
import io.tributary.core.crypto.Address;
import io.tributary.settlement.chain.ChainSettings;
import io.tributary.settlement.chain.ContractDeployer;
import io.tributary.settlement.chain.Deployment;
import io.tributary.settlement.chain.LocalChain;
import io.tributary.settlement.chain.OperatorKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tributary chain up|deploy|down}: the local Anvil chain, or deployment to an existing node. */
@Command(name = "chain", mixinStandardHelpOptions = true,
        description = "Start, deploy to, or stop the chain settlement uses.",
        subcommands = {ChainCommand.Up.class, ChainCommand.Deploy.class, ChainCommand.Down.class})
public final class ChainCommand {

    static String describe(Map<String, Object> json) {
        return String.format("chain %s at %s (chain id %s)%n  token       %s%n  distributor %s%n  registry    %s",
                json.getOrDefault("status", "deployed"), json.get("rpc_url"), json.get("chain_id"), json.get("token"),
                json.get("distributor"), json.get("registry"));
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start Anvil on loopback in the background (state kept across restarts) and deploy the contracts once.")
    public static final class Up implements Callable<Integer> {
        @Mixin
        GlobalOptions global;

        @Option(names = "--port", paramLabel = "N", description = "Loopback port (default: tributary.chain.local-port).")
        Integer port;

        @Override
        public Integer call() {
            ChainSettings settings = ChainSettings.from(global.config());
            Map<String, Object> json = new LocalChain(settings).up(port == null ? settings.localPort() : port);
            CommandOutput.of(global).print(json, () -> describe(json));
            return 0;
        }
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true,
            description = "Deploy RewardDistributor and DatanetRegistry (and RewardToken unless --token) to an existing node.")
    public static final class Deploy implements Callable<Integer> {
        @Mixin
        GlobalOptions global;

        @Option(names = "--rpc", required = true, paramLabel = "URL")
        String rpc;

        @Option(names = "--token", paramLabel = "0x..", description = "Pay in this existing ERC-20 instead of deploying RewardToken.")
        String token;

        @Override
        public Integer call() {
            ChainSettings settings = ChainSettings.from(global.config());
            Optional<Address> existing = Optional.ofNullable(token).map(t -> Address.parse(t)
                    .orElseThrow(() -> new UserError("--token is not an address: " + t)));
            boolean loopback = rpc.startsWith("http://127.0.0.1:") || rpc.startsWith("http://localhost:");
            // The dev key only for the Anvil `chain up` started: a loopback URL alone may be someone else's node.
            Deployment deployment = ContractDeployer.deploy(rpc,
                    OperatorKey.resolve(settings.keystore(), LocalChain.servesOurAnvil(settings.stateDir(), rpc)),
                    settings, existing, loopback);
            deployment.write(settings.stateDir());
            Map<String, Object> json = deployment.toJson();
            json.put("status", "deployed");
            CommandOutput.of(global).print(json, () -> describe(json));
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the local Anvil (its state is kept).")
    public static final class Down implements Callable<Integer> {
        @Mixin
        GlobalOptions global;

        @Override
        public Integer call() {
            Map<String, Object> json = new LocalChain(ChainSettings.from(global.config())).down();
            CommandOutput.of(global).print(json, () -> "local chain: " + json.get("status"));
            return 0;
        }
    }
}
