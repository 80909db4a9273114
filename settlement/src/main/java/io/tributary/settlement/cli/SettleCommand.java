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
import io.tributary.lake.kernel.KernelTable;
import io.tributary.settlement.EpochRootAnchorer;
import io.tributary.settlement.epoch.StreamEpochs;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tributary settle --epoch N | --epoch-file FILE}: validates, records and posts one epoch, at most once; a
 * stream epoch (--epoch) must be closed, and its inference root is anchored after the payouts are posted.
 */
@Command(name = "settle", mixinStandardHelpOptions = true,
        description = "Post an epoch's Merkle root of payouts to the RewardDistributor (idempotent; resumes an interrupted run).")
public final class SettleCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    static final class Source {
        @Option(names = "--epoch-file", paramLabel = "FILE",
                description = "A hand-made epoch: {\"epoch\": N, \"payouts\": [{\"account\": \"0x...\", \"amount\": \"123\"}]}")
        Path epochFile;

        @Option(names = "--epoch", paramLabel = "N",
                description = "A closed epoch of the attribution stream (epoch_payouts, roles summed per account);"
                        + " its inference root is anchored in the registry too.")
        Long epoch;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Override
    public Integer call() {
        ChainSettings settings = ChainSettings.from(global.config());
        SettlementLake lake = SettlementLake.open(global.config());
        StreamEpochs.Closed closed = null;
        EpochPayouts payouts;
        if (source.epoch != null) {
            // Refuses an open or unknown epoch before anything touches the chain.
            closed = new StreamEpochs(KernelTable.engine(global.config().map("tributary.hadoop.conf")),
                    global.config().lakeRoot()).closed(source.epoch);
            payouts = closed.payouts();
        } else {
            payouts = EpochFile.read(source.epochFile);
        }
        try (ChainConnection chain = ChainConnection.open(settings)) {
            EpochSettler.Summary summary = new EpochSettler(chain, lake).settle(payouts);
            Map<String, Object> json = new LinkedHashMap<>(summary.toJson());
            Map<String, Object> anchor = null;
            if (closed != null && !"pending".equals(summary.status())) {
                anchor = new EpochRootAnchorer(chain, lake).anchor(source.epoch, closed.inferencesRoot(), closed.inferenceCount());
                json.put("inferences_root", closed.inferencesRoot());
                json.put("inferences", closed.inferenceCount());
                json.put("inferences_anchor_tx", anchor.get("tx"));
                json.put("inferences_anchor_block", anchor.get("block"));
            }
            Map<String, Object> anchored = anchor;
            CommandOutput.of(global).print(json, () -> String.format(
                    "epoch %d: %s, %d accounts, total %s, root %s%n  tx %s (block %s)",
                    summary.epoch(), summary.status(), summary.accounts(), summary.total(), summary.root(),
                    summary.tx(), summary.block())
                    + (anchored == null ? "" : String.format("%n  inferences root %s over %d inferences anchored: tx %s (block %s)",
                    anchored.get("merkle_root"), anchored.get("contributions"), anchored.get("tx"), anchored.get("block"))));
            return "pending".equals(summary.status()) ? 3 : 0;
        }
    }
}
