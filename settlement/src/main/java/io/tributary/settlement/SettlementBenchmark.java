package io.tributary.settlement;

import io.tributary.core.crypto.Address;
import io.tributary.core.hash.Hashing;
import io.tributary.core.hash.Hex;
import io.tributary.settlement.chain.ChainConnection;
import io.tributary.settlement.chain.ChainSettings;
import io.tributary.settlement.chain.TransactionSender;
import io.tributary.settlement.epoch.EpochPayouts;
import io.tributary.settlement.epoch.EpochTree;
import io.tributary.settlement.epoch.Payout;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gas of paying N accounts through one epoch (approve + postEpoch, then N claims) against N direct ERC-20
 * transfers from the operator, on the same chain in one run. Fresh accounts each time, so every payment
 * writes a zero balance slot, as a first payout to a contributor does.
 */
public final class SettlementBenchmark {
    private final ChainConnection chain;

    public SettlementBenchmark(ChainConnection chain) {
        this.chain = chain;
    }

    public Map<String, Object> run(int accounts, long epoch) {
        List<Payout> payouts = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            byte[] seed = Hashing.keccak256(("bench/" + epoch + "/" + i).getBytes(StandardCharsets.UTF_8));
            Address account = Address.ofBytes(java.util.Arrays.copyOfRange(seed, 12, 32));
            BigInteger amount = new BigInteger(1, java.util.Arrays.copyOfRange(seed, 0, 8)).add(BigInteger.ONE);
            payouts.add(new Payout(account, amount));
        }
        payouts.sort(java.util.Comparator.comparing(Payout::account));
        EpochTree tree = EpochTree.of(new EpochPayouts(epoch, payouts));
        TransactionSender sender = chain.sender();
        String distributor = chain.deployment().distributor().value();
        String token = chain.deployment().token().value();
        BigInteger total = tree.payouts().total();

        long approveGas = sender.execute("approve", token, chain.token().approve(distributor, total).encodeFunctionCall())
                .getGasUsed().longValueExact();
        long postGas = sender.execute("post epoch", distributor, chain.distributor()
                .postEpoch(BigInteger.valueOf(epoch), tree.root(), total).encodeFunctionCall()).getGasUsed().longValueExact();
        List<TransactionSender.Sent> claims = new ArrayList<>();
        for (EpochTree.Claim claim : tree.claims()) {
            String data = chain.distributor().claim(BigInteger.valueOf(epoch), BigInteger.valueOf(claim.index()),
                    claim.account().value(), claim.amount(), claim.proofBytes()).encodeFunctionCall();
            claims.add(sender.submit("claim", distributor, data, sent -> {}));
        }
        long claimGas = gasOf(claims);
        List<TransactionSender.Sent> transfers = new ArrayList<>();
        for (Payout payout : payouts) {
            // Different recipients than the claims, so both pay the same first-write cost.
            Address fresh = Address.ofBytes(java.util.Arrays.copyOfRange(
                    Hashing.keccak256(payout.account().bytes()), 12, 32));
            transfers.add(sender.submit("transfer", token,
                    chain.token().transfer(fresh.value(), payout.amount()).encodeFunctionCall(), sent -> {}));
        }
        long transferGas = gasOf(transfers);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("accounts", accounts);
        row.put("proof_length_max", tree.claims().stream().mapToInt(c -> c.proof().size()).max().orElse(0));
        row.put("approve_gas", approveGas);
        row.put("post_epoch_gas", postGas);
        row.put("claims_gas", claimGas);
        row.put("claim_gas_mean", claimGas / accounts);
        row.put("merkle_total_gas", approveGas + postGas + claimGas);
        row.put("transfers_gas", transferGas);
        row.put("transfer_gas_mean", transferGas / accounts);
        row.put("operator_gas_merkle", approveGas + postGas);
        row.put("root", Hex.encodePrefixed(tree.root()));
        return row;
    }

    private long gasOf(List<TransactionSender.Sent> sent) {
        long gas = 0;
        for (TransactionSender.Sent transaction : sent) {
            gas += chain.sender().awaitReceipt(transaction).getGasUsed().longValueExact();
        }
        return gas;
    }
}
