package io.tributary.settlement;

import io.tributary.core.cli.UserError;
import io.tributary.core.hash.Hex;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import io.tributary.core.merkle.BatchLeaves;
import io.tributary.settlement.chain.ChainConnection;
import io.tributary.settlement.contracts.DatanetRegistry;
import io.tributary.settlement.lake.SettlementLake;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tuples.generated.Tuple3;

/**
 * Anchors a Datanet's ingestion batches in the DatanetRegistry: each batch's Merkle root (recomputed from
 * its contribution ids and checked against the {@code batches} table first) goes on chain once, and the
 * transaction is recorded in {@code batch_anchors}.
 */
public final class BatchAnchorer {
    private final ChainConnection chain;
    private final SettlementLake lake;

    public BatchAnchorer(ChainConnection chain, SettlementLake lake) {
        this.chain = chain;
        this.lake = lake;
    }

    public Map<String, Object> anchor(DatanetId datanet) {
        if (!lake.batches().exists()) {
            throw new UserError("no batches table at " + lake.batches().path() + "; ingest contributions first");
        }
        String registry = chain.deployment().registry().value();
        long chainId = chain.deployment().chainId();
        Set<String> recorded = lake.batchAnchors().readAll().stream()
                .filter(row -> registry.equals(row.get("registry")) && Long.valueOf(chainId).equals(row.get("chain_id")))
                .map(row -> (String) row.get("batch_id")).collect(Collectors.toSet());
        List<Map<String, Object>> batches = lake.batches().readAll().stream()
                .filter(row -> datanet.value().equals(row.get("datanet")))
                .sorted(Comparator.comparing((Map<String, Object> row) -> String.valueOf(row.get("created_at")))
                        .thenComparing(row -> (String) row.get("batch_id")))
                .toList();
        List<Map<String, Object>> anchoredNow = new ArrayList<>();
        int already = 0;
        int empty = 0;
        for (Map<String, Object> batch : batches) {
            String batchId = (String) batch.get("batch_id");
            if (recorded.contains(batchId)) {
                already++;
                continue;
            }
            @SuppressWarnings("unchecked")
            List<String> ids = (List<String>) batch.get("contribution_ids");
            if (ids == null || ids.isEmpty()) {
                empty++;
                continue;
            }
            byte[] root = BatchLeaves.tree(ids.stream().map(ContributionId::new).toList()).root();
            String stated = (String) batch.get("merkle_root");
            if (!Hex.encodePrefixed(root).equalsIgnoreCase(stated)) {
                throw new UserError("batch " + batchId + " of Datanet " + datanet + " states merkle_root " + stated
                        + " but its contribution ids give " + Hex.encodePrefixed(root) + "; not anchoring it");
            }
            Map<String, Object> row = anchorOne(datanet, batchId, root, ids.size());
            lake.batchAnchors().append(List.of(row));
            anchoredNow.add(row);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("datanet", datanet.value());
        json.put("registry", registry);
        json.put("batches", batches.size());
        json.put("anchored", anchoredNow.size());
        json.put("already_anchored", already);
        json.put("empty", empty);
        json.put("anchors", anchoredNow.stream().map(row -> Map.of(
                "batch_id", row.get("batch_id"), "merkle_root", row.get("merkle_root"),
                "tx", String.valueOf(row.get("tx")), "block", String.valueOf(row.get("block")))).toList());
        return json;
    }

    private Map<String, Object> anchorOne(DatanetId datanet, String batchId, byte[] root, int count) {
        Tuple3<byte[], BigInteger, BigInteger> onChain = chain.read("read anchor of batch " + batchId,
                () -> chain.registry().batch(batchId).send());
        String tx;
        long block;
        if (!Arrays.equals(onChain.component1(), new byte[32])) {
            if (!Arrays.equals(onChain.component1(), root)) {
                throw new UserError("batch " + batchId + " is anchored on chain with root "
                        + Hex.encodePrefixed(onChain.component1()) + ", not " + Hex.encodePrefixed(root));
            }
            // Anchored by a run that stopped before recording it: take the transaction from the event.
            Log event = anchoredEvent(batchId);
            tx = event == null ? null : event.getTransactionHash();
            block = onChain.component3().longValueExact();
        } else {
            String data = chain.registry().anchorBatch(datanet.value(), batchId, root, BigInteger.valueOf(count))
                    .encodeFunctionCall();
            TransactionReceipt receipt = chain.sender().execute("anchor batch " + batchId, chain.deployment().registry().value(), data);
            tx = receipt.getTransactionHash();
            block = receipt.getBlockNumber().longValueExact();
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("batch_id", batchId);
        row.put("datanet", datanet.value());
        row.put("merkle_root", Hex.encodePrefixed(root));
        row.put("contributions", (long) count);
        row.put("chain_id", chain.deployment().chainId());
        row.put("registry", chain.deployment().registry().value());
        row.put("tx", tx);
        row.put("block", block);
        row.put("anchored_at", Instant.now());
        return row;
    }

    private Log anchoredEvent(String batchId) {
        EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST,
                chain.deployment().registry().value());
        filter.addSingleTopic(EventEncoder.encode(DatanetRegistry.BATCHANCHORED_EVENT));
        filter.addNullTopic();
        filter.addSingleTopic(Hash.sha3String(batchId));
        List<EthLog.LogResult> logs = chain.read("read BatchAnchored events", () -> chain.web3j().ethGetLogs(filter).send().getLogs());
        return logs.isEmpty() ? null : (Log) logs.get(0).get();
    }
}
