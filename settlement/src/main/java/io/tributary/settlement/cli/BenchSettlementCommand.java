package io.tributary.settlement.cli;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.UserError;
import io.tributary.settlement.SettlementBenchmark;
import io.tributary.settlement.chain.Anvil;
import io.tributary.settlement.chain.ChainConnection;
import io.tributary.settlement.chain.ChainSettings;
import io.tributary.settlement.chain.ContractDeployer;
import io.tributary.settlement.chain.Deployment;
import io.tributary.settlement.chain.OperatorKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.web3j.crypto.Credentials;

/** {@code tributary bench-settlement --accounts 10,1000,10000}: gas of Merkle epochs against direct transfers. */
@Command(name = "bench-settlement", mixinStandardHelpOptions = true,
        description = "Measure gas to post an epoch and per claim against direct ERC-20 transfers, on a fresh Anvil.")
public final class BenchSettlementCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Option(names = "--accounts", split = ",", defaultValue = "10,1000,10000", paramLabel = "N,N,...")
    List<Integer> accounts;

    @Override
    public Integer call() throws Exception {
        for (int n : accounts) {
            if (n < 1) {
                throw new UserError("--accounts: each size must be at least 1, got " + n);
            }
        }
        ChainSettings settings = ChainSettings.from(global.config());
        Path log = Files.createTempFile("tributary-bench-anvil", ".log");
        try (Anvil anvil = Anvil.start(Anvil.freePort(), Optional.empty(), log, List.of("--gas-limit", "1000000000", "--prune-history"))) {
            Credentials operator = OperatorKey.anvilDevKey();
            Deployment deployment = ContractDeployer.deploy(anvil.rpcUrl(), operator, settings, Optional.empty(), true);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ChainConnection chain = ChainConnection.open(deployment, operator, settings)) {
                SettlementBenchmark benchmark = new SettlementBenchmark(chain);
                long epoch = 1;
                for (int n : accounts) {
                    System.err.println("bench-settlement: " + n + " accounts");
                    rows.add(benchmark.run(n, epoch++));
                }
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("chain", "anvil (fresh, chain id " + deployment.chainId() + ")");
            json.put("results", rows);
            CommandOutput.of(global).print(json, () -> table(rows));
            return 0;
        }
    }

    private static String table(List<Map<String, Object>> rows) {
        StringBuilder out = new StringBuilder(String.format("%9s %12s %12s %14s %10s %16s %14s %12s%n", "accounts",
                "approve", "postEpoch", "claims total", "per claim", "merkle total", "transfers", "per transfer"));
        for (Map<String, Object> row : rows) {
            out.append(String.format("%9s %12s %12s %14s %10s %16s %14s %12s%n", row.get("accounts"), row.get("approve_gas"),
                    row.get("post_epoch_gas"), row.get("claims_gas"), row.get("claim_gas_mean"),
                    row.get("merkle_total_gas"), row.get("transfers_gas"), row.get("transfer_gas_mean")));
        }
        return out.toString().stripTrailing();
    }
}
