package io.tributary.settlement;

import io.tributary.core.cli.UserError;
import io.tributary.core.hash.Hex;
import io.tributary.settlement.chain.ChainConnection;
import io.tributary.settlement.lake.SettlementLake;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tuples.generated.Tuple3;

/**
 * Anchors a closed attribution epoch's Merkle root over its inference records in the DatanetRegistry, once, so
 * anyone holding a record can prove it was counted ({@code tributary proof --inference ID}). The registry's
 * one-time anchor slot is used under the id {@code attribution-epoch-<N>} (Datanet label {@code attribution}),
 * and the transaction is recorded in {@code batch_anchors} like a batch's.
 */
public final class EpochRootAnchorer {
    /** The registry label under which epoch roots are anchored. */
    public static final String LABEL = "attribution";

    private final ChainConnection chain;
    private final SettlementLake lake;

    public EpochRootAnchorer(ChainConnection chain, SettlementLake lake) {
        this.chain = chain;
        this.lake = lake;
    }

    public static String anchorId(long epoch) {
        return "attribution-epoch-" + epoch;
    }

    public Map<String, Object> anchor(long epoch, String rootHex, long inferences) {
        String id = anchorId(epoch);
        byte[] root = Hex.decode(rootHex);
        for (Map<String, Object> row : lake.batchAnchors().readAll()) {
            if (id.equals(row.get("batch_id")) && Long.valueOf(chain.deployment().chainId()).equals(row.get("chain_id"))
                    && chain.deployment().registry().value().equals(row.get("registry"))) {
                return row; // recorded by an earlier run
            }
        }
        Tuple3<byte[], BigInteger, BigInteger> onChain = chain.read("read anchor " + id, () -> chain.registry().batch(id).send());
        String tx = null;
        long block;
        if (!Arrays.equals(onChain.component1(), new byte[32])) {
            if (!Arrays.equals(onChain.component1(), root)) {
                throw new UserError(id + " is anchored on chain with root " + Hex.encodePrefixed(onChain.component1())
                        + ", not " + rootHex);
            }
            block = onChain.component3().longValueExact();
        } else {
            String data = chain.registry().anchorBatch(LABEL, id, root, BigInteger.valueOf(inferences)).encodeFunctionCall();
            TransactionReceipt receipt = chain.sender().execute("anchor " + id, chain.deployment().registry().value(), data);
            tx = receipt.getTransactionHash();
            block = receipt.getBlockNumber().longValueExact();
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("batch_id", id);
        row.put("datanet", LABEL);
        row.put("merkle_root", rootHex);
        row.put("contributions", inferences);
        row.put("chain_id", chain.deployment().chainId());
        row.put("registry", chain.deployment().registry().value());
        row.put("tx", tx);
        row.put("block", block);
        row.put("anchored_at", Instant.now());
        lake.batchAnchors().append(List.of(row));
        return row;
    }
}
