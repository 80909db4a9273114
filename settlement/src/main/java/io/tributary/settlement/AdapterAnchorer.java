package io.tributary.settlement;

import io.tributary.core.cli.UserError;
import io.tributary.core.hash.Hex;
import io.tributary.core.id.ContributionId;
import io.tributary.core.lake.LakeTable;
import io.tributary.core.merkle.BatchLeaves;
import io.tributary.lake.kernel.KernelTable;
import io.tributary.settlement.chain.ChainConnection;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tuples.generated.Tuple3;

/**
 * Anchors a trained adapter in the DatanetRegistry, once: the sha256 of its files ({@code adapter_sha256}) and the
 * root it was trained from, the Merkle root (batch leaves, as ingestion batches use) over its training contribution
 * ids at the pinned Datanet version, so anyone can check which contributions an adapter's payouts rest on.
 */
public final class AdapterAnchorer {
    private final ChainConnection chain;
    private final KernelTable adapters;

    public AdapterAnchorer(ChainConnection chain, KernelTable adapters) {
        this.chain = chain;
        this.adapters = adapters;
    }

    public static AdapterAnchorer of(ChainConnection chain, io.delta.kernel.engine.Engine engine, String lakeRoot) {
        return new AdapterAnchorer(chain, KernelTable.reading(engine, lakeRoot, LakeTable.ADAPTERS));
    }

    public Map<String, Object> anchor(String adapterId) {
        if (!adapters.exists()) {
            throw new UserError("no adapters table at " + adapters.path() + ": train an adapter first");
        }
        Map<String, Object> row = adapters.read(OptionalLong.empty(), List.of("adapter_id", "adapter_sha256",
                "train_contribution_ids", "datanet", "datanet_version")).rows().stream()
                .filter(r -> adapterId.equals(r.get("adapter_id"))).findFirst()
                .orElseThrow(() -> new UserError("adapter " + adapterId + " is not in the adapters table"));
        String sha256 = (String) row.get("adapter_sha256");
        String train = (String) row.get("train_contribution_ids");
        if (sha256 == null || sha256.isBlank() || train == null || train.isBlank()) {
            throw new UserError("adapter " + adapterId + " has no adapter_sha256 or no training contributions to anchor");
        }
        List<ContributionId> ids = Arrays.stream(train.split(",")).map(String::trim).filter(id -> !id.isEmpty())
                .sorted().map(ContributionId::new).toList();
        byte[] files = Hex.decode(sha256);
        byte[] root = BatchLeaves.tree(ids).root();
        Tuple3<byte[], byte[], java.math.BigInteger> onChain = chain.read("read anchor of adapter " + adapterId,
                () -> chain.registry().adapter(adapterId).send());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("adapter_id", adapterId);
        result.put("datanet", row.get("datanet"));
        result.put("datanet_version", row.get("datanet_version"));
        result.put("adapter_sha256", Hex.encodePrefixed(files));
        result.put("training_root", Hex.encodePrefixed(root));
        result.put("training_contributions", ids.size());
        if (!Arrays.equals(onChain.component1(), new byte[32])) {
            if (!Arrays.equals(onChain.component1(), files) || !Arrays.equals(onChain.component2(), root)) {
                throw new UserError("adapter " + adapterId + " is anchored on chain with other hashes ("
                        + Hex.encodePrefixed(onChain.component1()) + ", " + Hex.encodePrefixed(onChain.component2()) + ")");
            }
            result.put("status", "already_anchored");
            result.put("block", onChain.component3().longValueExact());
            return result;
        }
        String data = chain.registry().anchorAdapter(adapterId, files, root).encodeFunctionCall();
        TransactionReceipt receipt = chain.sender().execute("anchor adapter " + adapterId,
                chain.deployment().registry().value(), data);
        result.put("status", "anchored");
        result.put("tx", receipt.getTransactionHash());
        result.put("block", receipt.getBlockNumber().longValueExact());
        return result;
    }
}
