package io.tributary.settlement;

import io.tributary.core.cli.UserError;
import io.tributary.core.crypto.Address;
import io.tributary.settlement.chain.ChainConnection;
import io.tributary.settlement.epoch.EpochTree;
import io.tributary.settlement.lake.SettlementLake;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** Finds an account's proof in the {@code payouts} table and submits its claim (tokens go to the account). */
public final class ClaimSubmitter {
    private final ChainConnection chain;
    private final SettlementLake lake;

    public ClaimSubmitter(ChainConnection chain, SettlementLake lake) {
        this.chain = chain;
        this.lake = lake;
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
        lake.claims().append(List.of(row));
        json.put("tx", receipt.getTransactionHash());
        json.put("block", receipt.getBlockNumber().longValueExact());
        json.put("gas", receipt.getGasUsed().longValueExact());
        json.put("status", "claimed");
        return json;
    }
}
