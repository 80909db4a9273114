package io.tributary.settlement.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Signs and sends the operator's transactions: EIP-1559 fees from the latest base fee, a locally tracked
 * nonce that is re-read from the node when another transaction took it, receipt polling, and retries with
 * back-off while the node is unreachable. The hash of every signed transaction is handed to a listener
 * before it is sent, so a caller can record it and resume after a crash.
 */
public final class TransactionSender {
    private static final int SEND_ATTEMPTS = 6;
    private static final int DROPPED_CHECKS = 3;

    private final Web3j web3j;
    private final Credentials credentials;
    private final long chainId;
    private final ChainSettings settings;
    private BigInteger nextNonce;

    public TransactionSender(Web3j web3j, Credentials credentials, long chainId, ChainSettings settings) {
        this.web3j = web3j;
        this.credentials = credentials;
        this.chainId = chainId;
        this.settings = settings;
    }

    public String from() {
        return credentials.getAddress();
    }

    /** A signed transaction handed to the node. */
    public record Sent(String label, String hash, BigInteger nonce) {}

    /** The node no longer knows a transaction it was given (restarted without its mempool): send again. */
    public static final class DroppedTransaction extends ChainException {
        public DroppedTransaction(Sent sent) {
            super(sent.label() + ": transaction " + sent.hash() + " was dropped by the node");
        }
    }

    /** A transaction not mined within the receipt timeout: the run stops, and a rerun resumes from it. */
    public static final class PendingTransaction extends ChainException {
        private final String hash;

        public PendingTransaction(Sent sent, Duration waited) {
            super(sent.label() + ": transaction " + sent.hash() + " still pending after " + waited.toSeconds()
                    + " s; run the command again to resume (it will not be sent twice)");
            this.hash = sent.hash();
        }

        public String hash() {
            return hash;
        }
    }

    /** Sends and waits for the receipt, sending again if the node dropped the transaction. */
    public TransactionReceipt execute(String label, String to, String data, Consumer<Sent> beforeSend) {
        for (int attempt = 1; ; attempt++) {
            Sent sent = submit(label, to, data, beforeSend);
            try {
                return awaitReceipt(sent);
            } catch (DroppedTransaction dropped) {
                if (attempt >= SEND_ATTEMPTS) {
                    throw dropped;
                }
                System.err.println(dropped.getMessage() + "; sending again");
                nextNonce = null;
            }
        }
    }

    public TransactionReceipt execute(String label, String to, String data) {
        return execute(label, to, data, sent -> {});
    }

    /** Estimates, signs and submits; returns once the node accepted the transaction into its pool. */
    public Sent submit(String label, String to, String data, Consumer<Sent> beforeSend) {
        BigInteger gasLimit = estimateGas(label, to, data);
        Sent previous = null;
        for (int attempt = 1; attempt <= SEND_ATTEMPTS; attempt++) {
            if (nextNonce == null) {
                nextNonce = settings.retry().call(label + ": read nonce", () -> web3j
                        .ethGetTransactionCount(from(), DefaultBlockParameterName.PENDING).send()
                        .getTransactionCount());
            }
            BigInteger nonce = nextNonce;
            Fees fees = fees(label);
            RawTransaction raw = RawTransaction.createTransaction(chainId, nonce, gasLimit, to == null ? "" : to,
                    BigInteger.ZERO, data, fees.priority(), fees.max());
            byte[] signed = TransactionEncoder.signMessage(raw, credentials);
            String hex = Numeric.toHexString(signed);
            Sent sent = new Sent(label, Hash.sha3(hex), nonce);
            beforeSend.accept(sent);
            EthSendTransaction response = settings.retry().call(label + ": send",
                    () -> web3j.ethSendRawTransaction(hex).send());
            if (!response.hasError()) {
                nextNonce = nonce.add(BigInteger.ONE);
                return sent;
            }
            String message = response.getError().getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("already known") || message.contains("already imported")) {
                nextNonce = nonce.add(BigInteger.ONE);
                return sent;
            }
            if (message.contains("nonce") || message.contains("underpriced") || message.contains("replacement")) {
                // Our own earlier attempt may have been mined while we could not hear the answer.
                if (previous != null && receipt(previous).isPresent()) {
                    nextNonce = null;
                    return previous;
                }
                System.err.printf("%s: nonce %s is taken (%s); re-reading the nonce from the node%n",
                        label, nonce, response.getError().getMessage());
                nextNonce = null;
                previous = sent;
                continue;
            }
            throw new ChainException(label + ": the node refused the transaction: " + response.getError().getMessage());
        }
        throw new ChainException(label + ": could not find a free nonce after " + SEND_ATTEMPTS + " attempts");
    }

    /** Polls for the receipt until the receipt timeout; a reverted transaction is an error. */
    public TransactionReceipt awaitReceipt(Sent sent) {
        long start = System.nanoTime();
        int unknown = 0;
        long polls = 0;
        while (true) {
            Optional<TransactionReceipt> receipt = receipt(sent);
            if (receipt.isPresent()) {
                TransactionReceipt mined = receipt.get();
                if (!mined.isStatusOK()) {
                    throw new ChainException(sent.label() + ": transaction " + sent.hash() + " reverted in block "
                            + mined.getBlockNumber());
                }
                return mined;
            }
            if (++polls % 5 == 1) {
                boolean known = settings.retry().call(sent.label() + ": look up transaction",
                        () -> web3j.ethGetTransactionByHash(sent.hash()).send().getTransaction().isPresent());
                unknown = known ? 0 : unknown + 1;
                if (unknown >= DROPPED_CHECKS) {
                    throw new DroppedTransaction(sent);
                }
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            if (waited.compareTo(settings.receiptTimeout()) >= 0) {
                throw new PendingTransaction(sent, waited);
            }
            RetryPolicy.sleep(settings.pollInterval().toMillis());
        }
    }

    public Optional<TransactionReceipt> receipt(Sent sent) {
        return receipt(sent.label(), sent.hash());
    }

    public Optional<TransactionReceipt> receipt(String label, String hash) {
        return settings.retry().call(label + ": read receipt",
                () -> web3j.ethGetTransactionReceipt(hash).send().getTransactionReceipt());
    }

    /** Whether the node knows the transaction, mined or pending. */
    public boolean known(String label, String hash) {
        return settings.retry().call(label + ": look up transaction",
                () -> web3j.ethGetTransactionByHash(hash).send().getTransaction().isPresent());
    }

    private BigInteger estimateGas(String label, String to, String data) {
        Transaction call = to == null
                ? Transaction.createContractTransaction(from(), null, null, data)
                : Transaction.createEthCallTransaction(from(), to, data);
        EthEstimateGas estimate = settings.retry().call(label + ": estimate gas",
                () -> web3j.ethEstimateGas(call).send());
        if (estimate.hasError()) {
            throw new ChainException(label + ": the transaction would fail: " + describe(estimate.getError()));
        }
        // A fifth more than the estimate: estimates can fall short when storage is warm during estimation only.
        BigInteger amount = estimate.getAmountUsed();
        return amount.add(amount.divide(BigInteger.valueOf(5))).add(BigInteger.valueOf(10_000));
    }

    private record Fees(BigInteger priority, BigInteger max) {}

    private Fees fees(String label) {
        BigInteger baseFee = settings.retry().call(label + ": read base fee", () -> web3j
                .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getBaseFeePerGas());
        BigInteger suggested = settings.retry().call(label + ": read priority fee", () -> {
            var response = web3j.ethMaxPriorityFeePerGas().send();
            return response.hasError() ? BigInteger.ZERO : response.getMaxPriorityFeePerGas();
        });
        BigInteger priority = suggested.max(settings.minPriorityFeeWei());
        BigInteger max = baseFee.multiply(BigInteger.valueOf(settings.baseFeeMultiplier())).add(priority);
        return new Fees(priority, max);
    }

    static String describe(Response.Error error) {
        return error.getData() == null ? error.getMessage() : error.getMessage() + " (" + error.getData() + ")";
    }
}
