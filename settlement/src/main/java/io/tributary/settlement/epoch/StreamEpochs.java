package io.tributary.settlement.epoch;

import io.delta.kernel.engine.Engine;
import io.tributary.core.cli.UserError;
import io.tributary.core.crypto.Address;
import io.tributary.core.hash.Hex;
import io.tributary.core.lake.LakeTable;
import io.tributary.core.merkle.MerkleTree;
import io.tributary.lake.kernel.KernelTable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Epochs as the attribution stream closed them: {@code attribution_epochs} says an epoch is closed (and its
 * inference Merkle root), {@code epoch_payouts} what each account is owed in it, roles summed per account. An epoch
 * the stream has not closed is refused, never settled early.
 */
public final class StreamEpochs {
    private final KernelTable epochs;
    private final KernelTable payouts;
    private final KernelTable inferences;

    /** A closed epoch: its payouts and the root over its inference records' hashes. */
    public record Closed(EpochPayouts payouts, String inferencesRoot, long inferenceCount) {}

    /** An inference's place in its epoch's Merkle tree. */
    public record InferenceProof(String inferenceId, long epoch, String recordHash, String root, List<String> proof) {}

    public StreamEpochs(Engine engine, String lakeRoot) {
        this.epochs = KernelTable.reading(engine, lakeRoot, LakeTable.ATTRIBUTION_EPOCHS);
        this.payouts = KernelTable.reading(engine, lakeRoot, LakeTable.EPOCH_PAYOUTS);
        this.inferences = KernelTable.reading(engine, lakeRoot, LakeTable.INFERENCES);
    }

    public Closed closed(long epoch) {
        Map<String, Object> row = epochRow(epoch);
        Map<Address, BigInteger> sums = new TreeMap<>();
        for (Map<String, Object> payout : payouts.read(OptionalLong.empty(), List.of("epoch", "account", "wei")).rows()) {
            if (Long.valueOf(epoch).equals(payout.get("epoch"))) {
                sums.merge(Address.of((String) payout.get("account")), new BigInteger((String) payout.get("wei")), BigInteger::add);
            }
        }
        List<Payout> list = new ArrayList<>();
        sums.forEach((account, wei) -> {
            if (wei.signum() > 0) {
                list.add(new Payout(account, wei));
            }
        });
        if (list.isEmpty()) {
            throw new UserError("epoch " + epoch + " is closed but pays nobody (all its fees were zero): nothing to settle");
        }
        return new Closed(new EpochPayouts(epoch, list), (String) row.get("inferences_root"), (Long) row.get("inferences"));
    }

    /** The Merkle proof that inference {@code id} was counted in its epoch, checked against the epoch's root. */
    public InferenceProof proof(String inferenceId) {
        if (!inferences.exists()) {
            throw new UserError("no inferences table at " + inferences.path() + ": run tributary attribute first");
        }
        List<Map<String, Object>> all = inferences.read(OptionalLong.empty(), List.of("inference_id", "epoch", "record_hash")).rows();
        Map<String, Object> mine = all.stream().filter(row -> inferenceId.equals(row.get("inference_id"))).findFirst()
                .orElseThrow(() -> new UserError("inference " + inferenceId + " is not in the inferences table"));
        long epoch = (Long) mine.get("epoch");
        String root = (String) epochRow(epoch).get("inferences_root");
        TreeMap<String, String> leaves = new TreeMap<>();
        for (Map<String, Object> row : all) {
            if (Long.valueOf(epoch).equals(row.get("epoch"))) {
                leaves.put((String) row.get("inference_id"), (String) row.get("record_hash"));
            }
        }
        List<byte[]> bytes = leaves.values().stream().map(Hex::decode).toList();
        MerkleTree tree = MerkleTree.ofLeaves(bytes);
        if (!tree.rootHex().equalsIgnoreCase(root)) {
            throw new UserError("the inferences of epoch " + epoch + " give root " + tree.rootHex() + " but the epoch"
                    + " recorded " + root + ": the table was changed after the epoch closed");
        }
        byte[] leaf = Hex.decode((String) mine.get("record_hash"));
        List<String> proof = tree.proof(leaf).stream().map(Hex::encodePrefixed).toList();
        return new InferenceProof(inferenceId, epoch, (String) mine.get("record_hash"), root, proof);
    }

    private Map<String, Object> epochRow(long epoch) {
        if (epochs.exists()) {
            for (Map<String, Object> row : epochs.readAll()) {
                if (Long.valueOf(epoch).equals(row.get("epoch"))) {
                    return row;
                }
            }
        }
        long open = inferences.exists() ? inferences.read(OptionalLong.empty(), List.of("epoch")).rows().stream()
                .filter(row -> Long.valueOf(epoch).equals(row.get("epoch"))).count() : 0;
        if (open > 0) {
            throw new UserError("epoch " + epoch + " is still open in the attribution stream (" + open + " inferences so"
                    + " far): it closes when the stream's watermark passes its end plus the allowed lateness (or run"
                    + " tributary attribute --until-end); nothing sent");
        }
        throw new UserError("epoch " + epoch + " is unknown: the attribution stream has no inference in it; nothing sent");
    }
}
