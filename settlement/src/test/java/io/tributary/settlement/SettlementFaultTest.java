package io.tributary.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.core.hash.Hex;
import io.tributary.settlement.chain.ChainConnection;
import io.tributary.settlement.contracts.RewardDistributor;
import io.tributary.settlement.epoch.EpochPayouts;
import io.tributary.settlement.lake.SettlementLake;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;

/** Faults against a real Anvil: the node going away, mining paused, a nonce taken by someone else. */
class SettlementFaultTest {
    @TempDir
    Path dir;

    private SettlementLake lake() {
        return new SettlementLake(dir.resolve("lake").toUri().toString(), new Configuration());
    }

    @Test
    void node_stops_mid_settlement_and_comes_back_nothing_paid_twice() throws Exception {
        try (LocalAnvil chain = new LocalAnvil(dir, Duration.ofSeconds(60), Duration.ofSeconds(90));
             ChainConnection connection = chain.connect()) {
            EpochPayouts payouts = SettlementOnChainTest.randomEpoch(1, new Random(11), 4);
            // Mining paused: the run sends its first transaction (the allowance) and waits for it.
            chain.rpc("evm_setAutomine", false);
            CompletableFuture<EpochSettler.Summary> run =
                    CompletableFuture.supplyAsync(() -> new EpochSettler(connection, lake()).settle(payouts));
            await().atMost(Duration.ofSeconds(60)).until(() -> pendingCount(connection) > 0);
            // The node goes away with the transaction in its pool, and comes back from its state file.
            chain.stop();
            Thread.sleep(1500);
            chain.start();
            EpochSettler.Summary summary = run.get();
            assertThat(summary.status()).isEqualTo("posted");
            assertThat(Hex.encodePrefixed(connection.distributor().epochRoot(BigInteger.ONE).send())).isEqualTo(summary.root());
            assertThat(connection.token().balanceOf(connection.deployment().distributor().value()).send())
                    .isEqualTo(payouts.total());
            assertThat(postedEvents(connection)).isEqualTo(1);
            // A second run after the restart changes nothing.
            assertThat(new EpochSettler(connection, lake()).settle(payouts).status()).isEqualTo("already_posted");
            assertThat(postedEvents(connection)).isEqualTo(1);
        }
    }

    @Test
    void pending_transaction_is_waited_for_and_a_rerun_resumes_it() throws Exception {
        try (LocalAnvil chain = new LocalAnvil(dir, Duration.ofSeconds(2), Duration.ofSeconds(30));
             ChainConnection connection = chain.connect()) {
            EpochPayouts payouts = SettlementOnChainTest.randomEpoch(7, new Random(12), 3);
            String distributor = connection.deployment().distributor().value();
            connection.sender().execute("approve", connection.deployment().token().value(),
                    connection.token().approve(distributor, payouts.total()).encodeFunctionCall());
            chain.rpc("evm_setAutomine", false);
            EpochSettler.Summary first = new EpochSettler(connection, lake()).settle(payouts);
            assertThat(first.status()).isEqualTo("pending");
            assertThat(first.tx()).startsWith("0x");
            BigInteger nonceAfterFirst = nonce(connection, DefaultBlockParameterName.PENDING);

            // A rerun while still paused waits on the same transaction (it times out again, sends nothing).
            EpochSettler.Summary second = new EpochSettler(connection, lake()).settle(payouts);
            assertThat(second.status()).isEqualTo("pending");
            assertThat(second.tx()).isEqualTo(first.tx());
            assertThat(nonce(connection, DefaultBlockParameterName.PENDING)).isEqualTo(nonceAfterFirst);

            chain.rpc("evm_mine");
            EpochSettler.Summary third = new EpochSettler(connection, lake()).settle(payouts);
            assertThat(third.status()).isIn("posted", "already_posted");
            assertThat(third.tx()).isEqualTo(first.tx());
            assertThat(postedEvents(connection)).isEqualTo(1);
        }
    }

    @Test
    void waits_while_mining_is_paused_then_confirms() throws Exception {
        try (LocalAnvil chain = new LocalAnvil(dir, Duration.ofSeconds(120), Duration.ofSeconds(30));
             ChainConnection connection = chain.connect()) {
            EpochPayouts payouts = SettlementOnChainTest.randomEpoch(8, new Random(13), 3);
            chain.rpc("evm_setAutomine", false);
            CompletableFuture<EpochSettler.Summary> run =
                    CompletableFuture.supplyAsync(() -> new EpochSettler(connection, lake()).settle(payouts));
            for (int transaction = 0; transaction < 2; transaction++) { // the allowance, then the post
                await().atMost(Duration.ofSeconds(60)).until(() -> pendingCount(connection) > 0);
                assertThat(run).isNotDone();
                chain.rpc("evm_mine");
            }
            assertThat(run.get().status()).isEqualTo("posted");
        }
    }

    @Test
    void a_nonce_taken_by_another_transaction_from_the_same_key_is_recovered() throws Exception {
        try (LocalAnvil chain = new LocalAnvil(dir, Duration.ofSeconds(60), Duration.ofSeconds(30));
             ChainConnection connection = chain.connect();
             ChainConnection elsewhere = chain.connect()) {
            EpochSettler settler = new EpochSettler(connection, lake());
            assertThat(settler.settle(SettlementOnChainTest.randomEpoch(1, new Random(14), 2)).status()).isEqualTo("posted");
            // Another process with the same key uses the nonce this sender has cached as its next one.
            elsewhere.sender().execute("someone else's transfer", connection.deployment().token().value(),
                    connection.token().transfer("0x000000000000000000000000000000000000dEaD", BigInteger.TEN).encodeFunctionCall());
            assertThat(settler.settle(SettlementOnChainTest.randomEpoch(2, new Random(15), 2)).status()).isEqualTo("posted");
            assertThat(postedEvents(connection)).isEqualTo(2);
        }
    }

    private static long pendingCount(ChainConnection connection) throws Exception {
        return nonce(connection, DefaultBlockParameterName.PENDING)
                .subtract(nonce(connection, DefaultBlockParameterName.LATEST)).longValueExact();
    }

    private static BigInteger nonce(ChainConnection connection, DefaultBlockParameterName block) throws Exception {
        return connection.web3j().ethGetTransactionCount(connection.sender().from(), block).send().getTransactionCount();
    }

    private static int postedEvents(ChainConnection connection) throws Exception {
        EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST,
                connection.deployment().distributor().value());
        filter.addSingleTopic(EventEncoder.encode(RewardDistributor.EPOCHPOSTED_EVENT));
        return connection.web3j().ethGetLogs(filter).send().getLogs().size();
    }
}
