package io.tributary.settlement.cli;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.settlement.EpochSettler;
import io.tributary.settlement.chain.ChainConnection;
import io.tributary.settlement.chain.ChainSettings;
import io.tributary.settlement.epoch.EpochFile;
import io.tributary.settlement.epoch.EpochPayouts;
import io.tributary.settlement.lake.SettlementLake;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tributary settle --epoch-file FILE}: validates, records and posts one epoch, at most once. */
@Command(name = "settle", mixinStandardHelpOptions = true,
        description = "Post an epoch's Merkle root of payouts to the RewardDistributor (idempotent; resumes an interrupted run).")
public final class SettleCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Option(names = "--epoch-file", required = true, paramLabel = "FILE",
            description = "{\"epoch\": N, \"payouts\": [{\"account\": \"0x...\", \"amount\": \"123\"}]}")
    Path epochFile;

    @Override
    public Integer call() {
        EpochPayouts payouts = EpochFile.read(epochFile);
        ChainSettings settings = ChainSettings.from(global.config());
        SettlementLake lake = SettlementLake.open(global.config());
        try (ChainConnection chain = ChainConnection.open(settings)) {
            EpochSettler.Summary summary = new EpochSettler(chain, lake).settle(payouts);
            CommandOutput.of(global).print(summary.toJson(), () -> String.format(
                    "epoch %d: %s, %d accounts, total %s, root %s%n  tx %s (block %s)",
                    summary.epoch(), summary.status(), summary.accounts(), summary.total(), summary.root(),
                    summary.tx(), summary.block()));
            return "pending".equals(summary.status()) ? 3 : 0;
        }
    }
}
