package io.tributary.settlement.cli;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.UserError;
import io.tributary.core.crypto.Address;
import io.tributary.settlement.ClaimSubmitter;
import io.tributary.settlement.chain.ChainConnection;
import io.tributary.settlement.chain.ChainSettings;
import io.tributary.settlement.epoch.EpochTree;
import io.tributary.settlement.lake.SettlementLake;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tributary proof --epoch N --account 0x..}: what an account needs to claim, from the payouts table. */
@Command(name = "proof", mixinStandardHelpOptions = true,
        description = "Print an account's payout and Merkle proof for an epoch (and whether it is claimed).")
public final class ProofCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Option(names = "--epoch", required = true, paramLabel = "N")
    long epoch;

    @Option(names = "--account", required = true, paramLabel = "0x..")
    String account;

    @Override
    public Integer call() {
        Address address = Address.parse(account).orElseThrow(() -> new UserError("--account is not an address: " + account));
        try (ChainConnection chain = ChainConnection.open(ChainSettings.from(global.config()))) {
            ClaimSubmitter claims = new ClaimSubmitter(chain, SettlementLake.open(global.config()));
            EpochTree.Claim claim = claims.proof(epoch, address);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("epoch", claim.epoch());
            json.put("index", claim.index());
            json.put("account", claim.account().value());
            json.put("amount", claim.amount().toString());
            json.put("proof", claim.proof());
            json.put("claimed", claims.isClaimed(claim));
            CommandOutput.of(global).print(json, () -> String.format("epoch %d index %d: %s is owed %s (%s)%n  proof %s",
                    claim.epoch(), claim.index(), claim.account(), claim.amount(),
                    Boolean.TRUE.equals(json.get("claimed")) ? "claimed" : "unclaimed", claim.proof()));
            return 0;
        }
    }
}
