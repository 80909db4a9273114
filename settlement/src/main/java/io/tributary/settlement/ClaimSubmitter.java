package io.tributary.settlement;

import io.tributary.core.cli.UserError;
import io.tributary.core.crypto.Address;
import io.tributary.settlement.chain.ChainConnection;
import io.tributary.settlement.epoch.EpochTree;
import io.tributary.settlement.lake.SettlementLake;
import java.math.BigInteger;
import java.time.Instant;
import io.tributary.settlement.contracts.RewardDistributor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;
import java.util.List;
import java.util.Map;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Finds an account's proof in the {@code payouts} table and submits its claim (tokens go to the account). The
 * contract is the judge of what was paid: claims mined but missing from the {@code claims} table (a crash
 * between the receipt and the row, or a claim sent by someone else) are restored from its Claimed events.
 */
public final class ClaimSubmitter {
    private final ChainConnection chain;
    private final SettlementLake lake;
    private final Runnable hook;

    public ClaimSubmitter(ChainConnection chain, SettlementLake lake) {
        this(chain, lake, () -> { });
    }

    /** With {@code afterReceipt} run between a mined claim and its row (crash drills in tests). */
    ClaimSubmitter(ChainConnection chain, SettlementLake lake, Runnable afterReceipt) {
        this.chain = chain;
        this.lake = lake;
        this.hook = afterReceipt;
    }

    /**
     * Appends a {@code claims} row for every Claimed event of {@code epoch} on this distributor that has none
     * (matched on chain, distributor, epoch and index); returns how many were restored.
     */
    public int reconcile(long epoch) {
        String distributor = chain.deployment().distributor().value();
        long chainId = chain.deployment().chainId();
        Set<Long> recorded = new HashSet<>();
        for (Map<String, Object> row : lake.claims().readAll()) {
            if (Long.valueOf(epoch).equals(row.get("epoch")) && Long.valueOf(chainId).equals(row.get("chain_id"))
                    && distributor.equals(row.get("distributor"))) {
                recorded.add((Long) row.get("index"));
            }
        }
        EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, distributor);
        filter.addSingleTopic(EventEncoder.encode(RewardDistributor.CLAIMED_EVENT));
        filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(epoch), 64));
        List<EthLog.LogResult> logs = chain.read("read Claimed events of epoch " + epoch,
                () -> chain.web3j().ethGetLogs(filter).send().getLogs());
        List<Map<String, Object>> missing = new ArrayList<>();
        for (EthLog.LogResult<?> result : logs) {
            Log log = (Log) result.get();
            RewardDistributor.ClaimedEventResponse event = RewardDistributor.getClaimedEventFromLog(log);
            long index = event.index.longValueExact();
            if (!recorded.add(index)) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", epoch);
            row.put("chain_id", chainId);
            row.put("distributor", distributor);
            row.put("index", index);
            row.put("account", Address.of(event.account).value());
            row.put("amount", event.amount.toString());
            row.put("tx", log.getTransactionHash());
            row.put("block", log.getBlockNumber().longValueExact());
            row.put("claimed_at", Instant.now());
            missing.add(row);
        }
        if (!missing.isEmpty()) {
            lake.claims().append(missing);
        }
        return missing.size();
    }

    public EpochTree.Claim proof(long epoch, Address account) {
        List<Map<String, Object>> rows = lake.payoutsOf(epoch, chain.deployment().chainId(),
                chain.deployment().distributor().value());
        if (rows.isEmpty()) {
            throw new UserError("epoch " + epoch + " is not in the payouts table for distributor "
                    + chain.deployment().distributor() + "; settle it first");
        }
        return rows.stream().filter(row -> account.value().equals(row.get("account"))).findFirst()
                .map(row -> {
                    @SuppressWarnings("unchecked")
                    List<String> proof = (List<String>) row.get("proof");
                    return new EpochTree.Claim(epoch, (Long) row.get("index"), account,
                            new BigInteger((String) row.get("amount")), proof);
                })
                .orElseThrow(() -> new UserError("account " + account + " has no payout in epoch " + epoch));
    }

    public boolean isClaimed(EpochTree.Claim claim) {
        return chain.read("read claim state", () -> chain.distributor()
                .isClaimed(BigInteger.valueOf(claim.epoch()), BigInteger.valueOf(claim.index())).send());
    }

    public Map<String, Object> claim(long epoch, Address account) {
        EpochTree.Claim claim = proof(epoch, account);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("epoch", epoch);
        json.put("index", claim.index());
        json.put("account", account.value());
        json.put("amount", claim.amount().toString());
        if (isClaimed(claim)) {
            json.put("status", "already_claimed");
            json.put("restored_rows", reconcile(epoch));
            return json;
        }
        String data = chain.distributor().claim(BigInteger.valueOf(epoch), BigInteger.valueOf(claim.index()),
                account.value(), claim.amount(), claim.proofBytes()).encodeFunctionCall();
        TransactionReceipt receipt = chain.sender().execute("claim epoch " + epoch + " for " + account,
                chain.deployment().distributor().value(), data);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch);
        row.put("chain_id", chain.deployment().chainId());
        row.put("distributor", chain.deployment().distributor().value());
        row.put("index", claim.index());
        row.put("account", account.value());
        row.put("amount", claim.amount().toString());
        row.put("tx", receipt.getTransactionHash());
        row.put("block", receipt.getBlockNumber().longValueExact());
        row.put("claimed_at", Instant.now());
        // A crash here leaves the claim on chain without its row: reconcile() restores it from the event.
        hook.run();
        lake.claims().append(List.of(row));
        json.put("tx", receipt.getTransactionHash());
        json.put("block", receipt.getBlockNumber().longValueExact());
        json.put("gas", receipt.getGasUsed().longValueExact());
        json.put("status", "claimed");
        return json;
    }
}
