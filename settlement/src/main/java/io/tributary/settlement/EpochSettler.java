package io.tributary.settlement;

import io.tributary.core.cli.UserError;
import io.tributary.core.hash.Hex;
import io.tributary.settlement.chain.ChainConnection;
import io.tributary.settlement.chain.TransactionSender;
import io.tributary.settlement.chain.TransactionSender.PendingTransaction;
import io.tributary.settlement.contracts.RewardDistributor;
import io.tributary.settlement.epoch.EpochPayouts;
import io.tributary.settlement.epoch.EpochTree;
import io.tributary.settlement.lake.SettlementLake;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Posts one epoch, at most once whatever crashes and retries happen. The contract is the judge: before
 * sending, the epoch's root is read from the chain; a transaction recorded as sent by an earlier run is
 * followed up instead of sending a new one; and the lake keeps the epoch's rows (prepared, sent, posted).
 */
public final class EpochSettler {
    private final ChainConnection chain;
    private final SettlementLake lake;

    public EpochSettler(ChainConnection chain, SettlementLake lake) {
        this.chain = chain;
        this.lake = lake;
    }

    /** The JSON summary of a settle run. */
    public record Summary(long epoch, String root, int accounts, BigInteger total, String tx, Long block, String status) {
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("epoch", epoch);
            json.put("root", root);
            json.put("accounts", accounts);
            json.put("total", total.toString());
            json.put("tx", tx);
            json.put("block", block);
            json.put("status", status);
            return json;
        }
    }

    public Summary settle(EpochPayouts payouts) {
        EpochTree tree = EpochTree.of(payouts);
        long epoch = payouts.epoch();
        String root = tree.rootHex();
        long chainId = chain.deployment().chainId();
        String distributor = chain.deployment().distributor().value();
        List<Map<String, Object>> history = lake.epochHistory(epoch, chainId, distributor);
        if (!history.isEmpty() && !root.equals(history.get(0).get("root"))) {
            throw new UserError("epoch " + epoch + " was already settled with root " + history.get(0).get("root")
                    + " (different payouts); an epoch id is used once, nothing sent");
        }
        byte[] onChain = chain.read("read epoch " + epoch + " root",
                () -> chain.distributor().epochRoot(BigInteger.valueOf(epoch)).send());
        boolean posted = !Arrays.equals(onChain, new byte[32]);
        if (posted && !Arrays.equals(onChain, tree.root())) {
            throw new UserError("epoch " + epoch + " is already on chain with root " + Hex.encodePrefixed(onChain)
                    + ", not " + root + "; an epoch id is used once, nothing sent");
        }
        if (history.isEmpty()) {
            record(tree, chainId, distributor);
        }
        if (posted) {
            return alreadyPosted(tree, history);
        }
        Optional<Summary> resumed = followUpSentTransaction(tree, history);
        if (resumed.isPresent()) {
            return resumed.get();
        }
        return post(tree);
    }

    private void record(EpochTree tree, long chainId, String distributor) {
        Instant now = Instant.now();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (EpochTree.Claim claim : tree.claims()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", claim.epoch());
            row.put("chain_id", chainId);
            row.put("distributor", distributor);
            row.put("root", tree.rootHex());
            row.put("index", claim.index());
            row.put("account", claim.account().value());
            row.put("amount", claim.amount().toString());
            row.put("proof", claim.proof());
            row.put("status", "unclaimed");
            row.put("recorded_at", now);
            rows.add(row);
        }
        // Payouts first: an epochs row then always has its payouts beside it.
        lake.payouts().append(rows);
        appendEpochRow(tree, "prepared", null, null);
    }

    private Summary alreadyPosted(EpochTree tree, List<Map<String, Object>> history) {
        Optional<Map<String, Object>> postedRow = history.stream()
                .filter(row -> "posted".equals(row.get("status"))).reduce((a, b) -> b);
        if (postedRow.isPresent()) {
            return summary(tree, (String) postedRow.get().get("tx"), (Long) postedRow.get().get("block"), "already_posted");
        }
        // Posted by a run that died before recording it: find the transaction in the contract's events.
        Optional<Log> event = postedEvent(tree.payouts().epoch());
        String tx = event.map(Log::getTransactionHash).orElse(null);
        Long block = event.map(log -> log.getBlockNumber().longValueExact()).orElse(null);
        appendEpochRow(tree, "posted", tx, block);
        return summary(tree, tx, block, "posted");
    }

    private Optional<Summary> followUpSentTransaction(EpochTree tree, List<Map<String, Object>> history) {
        Optional<String> sent = history.stream().filter(row -> "sent".equals(row.get("status")))
                .map(row -> (String) row.get("tx")).reduce((a, b) -> b);
        if (sent.isEmpty()) {
            return Optional.empty();
        }
        TransactionSender sender = chain.sender();
        String label = "post epoch " + tree.payouts().epoch();
        if (!sender.known(label, sent.get())) {
            System.err.println(label + ": transaction " + sent.get() + " from an earlier run is unknown to the node; sending again");
            return Optional.empty();
        }
        System.err.println(label + ": following up transaction " + sent.get() + " from an earlier run");
        TransactionReceipt receipt = awaitOrPending(tree,
                () -> sender.awaitReceipt(new TransactionSender.Sent(label, sent.get(), BigInteger.ZERO)));
        if (receipt == null) {
            return Optional.of(summary(tree, sent.get(), null, "pending"));
        }
        return Optional.of(posted(tree, receipt));
    }

    private Summary post(EpochTree tree) {
        long epoch = tree.payouts().epoch();
        BigInteger total = tree.payouts().total();
        String operator = chain.sender().from();
        String distributor = chain.deployment().distributor().value();
        BigInteger balance = chain.read("read operator balance", () -> chain.token().balanceOf(operator).send());
        if (balance.compareTo(total) < 0) {
            throw new UserError("the operator " + operator + " holds " + balance + " of token "
                    + chain.deployment().token() + " but epoch " + epoch + " needs " + total + "; nothing sent");
        }
        BigInteger allowance = chain.read("read allowance", () -> chain.token().allowance(operator, distributor).send());
        if (allowance.compareTo(total) < 0) {
            String approve = chain.token().approve(distributor, total).encodeFunctionCall();
            chain.sender().execute("approve epoch " + epoch, chain.deployment().token().value(), approve);
        }
        String data = chain.distributor().postEpoch(BigInteger.valueOf(epoch), tree.root(), total).encodeFunctionCall();
        String[] lastHash = new String[1];
        TransactionReceipt receipt = awaitOrPending(tree, () -> chain.sender().execute("post epoch " + epoch,
                distributor, data, sent -> {
                    lastHash[0] = sent.hash();
                    appendEpochRow(tree, "sent", sent.hash(), null);
                }));
        if (receipt == null) {
            return summary(tree, lastHash[0], null, "pending");
        }
        return posted(tree, receipt);
    }

    private TransactionReceipt awaitOrPending(EpochTree tree, java.util.function.Supplier<TransactionReceipt> wait) {
        try {
            return wait.get();
        } catch (PendingTransaction pending) {
            System.err.println(pending.getMessage());
            return null;
        }
    }

    private Summary posted(EpochTree tree, TransactionReceipt receipt) {
        long block = receipt.getBlockNumber().longValueExact();
        appendEpochRow(tree, "posted", receipt.getTransactionHash(), block);
        return summary(tree, receipt.getTransactionHash(), block, "posted");
    }

    private Optional<Log> postedEvent(long epoch) {
        EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST,
                chain.deployment().distributor().value());
        filter.addSingleTopic(EventEncoder.encode(RewardDistributor.EPOCHPOSTED_EVENT));
        filter.addSingleTopic("0x" + TypeEncoder.encode(new Uint256(epoch)));
        List<?> logs = chain.read("read EpochPosted events", () -> chain.web3j().ethGetLogs(filter).send().getLogs());
        return logs.stream().map(result -> (Log) ((org.web3j.protocol.core.methods.response.EthLog.LogResult<?>) result).get())
                .findFirst();
    }

    private void appendEpochRow(EpochTree tree, String status, String tx, Long block) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", tree.payouts().epoch());
        row.put("chain_id", chain.deployment().chainId());
        row.put("distributor", chain.deployment().distributor().value());
        row.put("root", tree.rootHex());
        row.put("accounts", tree.payouts().payouts().size());
        row.put("total", tree.payouts().total().toString());
        row.put("status", status);
        row.put("tx", tx);
        row.put("block", block);
        row.put("recorded_at", Instant.now());
        lake.epochs().append(List.of(row));
    }

    private Summary summary(EpochTree tree, String tx, Long block, String status) {
        return new Summary(tree.payouts().epoch(), tree.rootHex(), tree.payouts().payouts().size(),
                tree.payouts().total(), tx, block, status);
    }
}
