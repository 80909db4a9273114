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
import io.tributary.lake.kernel.KernelTable;
import io.tributary.settlement.EpochRootAnchorer;
import io.tributary.settlement.epoch.StreamEpochs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tributary proof --epoch N --account 0x..}: what an account needs to claim, from the payouts table; or
 * {@code --inference ID}: the proof that an inference was counted in its attribution epoch.
 */
@Command(name = "proof", mixinStandardHelpOptions = true,
        description = "Print an account's payout and Merkle proof for an epoch (and whether it is claimed).")
public final class ProofCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Option(names = "--epoch", paramLabel = "N")
    Long epoch;

    @Option(names = "--account", paramLabel = "0x..")
    String account;

    @Option(names = "--inference", paramLabel = "ID",
            description = "Instead: the Merkle proof that this inference was counted in its attribution epoch, checked"
                    + " against the epoch's root and the registry's anchor.")
    String inference;

    @Override
    public Integer call() {
        if (inference != null) {
            return inferenceProof();
        }
        if (epoch == null || account == null) {
            throw new UserError("give --epoch N and --account 0x.. (an account's payout), or --inference ID");
        }
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

    private Integer inferenceProof() {
        StreamEpochs.InferenceProof proof = new StreamEpochs(KernelTable.engine(global.config().map("tributary.hadoop.conf")),
                global.config().lakeRoot()).proof(inference);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("inference_id", proof.inferenceId());
        json.put("epoch", proof.epoch());
        json.put("record_hash", proof.recordHash());
        json.put("inferences_root", proof.root());
        json.put("proof", proof.proof());
        String anchored;
        try (ChainConnection chain = ChainConnection.open(ChainSettings.from(global.config()))) {
            String id = EpochRootAnchorer.anchorId(proof.epoch());
            byte[] onChain = chain.read("read anchor " + id, () -> chain.registry().batch(id).send()).component1();
            anchored = java.util.Arrays.equals(onChain, new byte[32]) ? "not anchored yet"
                    : io.tributary.core.hash.Hex.encodePrefixed(onChain).equalsIgnoreCase(proof.root())
                    ? "anchored as " + id : "anchored with a DIFFERENT root " + io.tributary.core.hash.Hex.encodePrefixed(onChain);
        }
        json.put("anchor", anchored);
        CommandOutput.of(global).print(json, () -> String.format(
                "inference %s: epoch %d, record hash %s%n  root %s (%s)%n  proof %s", proof.inferenceId(), proof.epoch(),
                proof.recordHash(), proof.root(), anchored, proof.proof()));
        return 0;
    }
}
