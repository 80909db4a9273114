package io.tributary.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.cli.UserError;
import io.tributary.core.crypto.Address;
import io.tributary.core.hash.Hex;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import io.tributary.core.merkle.BatchLeaves;
import io.tributary.lake.kernel.KernelTable;
import io.tributary.settlement.chain.ChainConnection;
import io.tributary.settlement.chain.ChainException;
import io.tributary.settlement.epoch.EpochPayouts;
import io.tributary.settlement.epoch.EpochTree;
import io.tributary.settlement.epoch.Payout;
import io.tributary.settlement.lake.SettlementLake;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java Merkle tree, the settle/claim/anchor flows and the contracts together, on a real Anvil. */
class SettlementOnChainTest {
    @TempDir
    static Path dir;

    static LocalAnvil chain;
    static ChainConnection connection;
    static SettlementLake lake;

    @BeforeAll
    static void startChain() {
        chain = new LocalAnvil(dir, Duration.ofSeconds(60), Duration.ofSeconds(30));
        connection = chain.connect();
        lake = new SettlementLake(dir.resolve("lake").toUri().toString(), new Configuration());
    }

    @AfterAll
    static void stopChain() {
        connection.close();
        chain.close();
    }

    static EpochPayouts randomEpoch(long epoch, Random random, int accounts) {
        List<Payout> payouts = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            byte[] bytes = new byte[20];
            random.nextBytes(bytes);
            bytes[0] |= 1;
            payouts.add(new Payout(Address.ofBytes(bytes), new BigInteger(80, random).add(BigInteger.ONE)));
        }
        payouts.sort(java.util.Comparator.comparing(Payout::account));
        return new EpochPayouts(epoch, payouts);
    }

    @Test
    void settles_claims_and_conserves_the_total() throws Exception {
        EpochPayouts payouts = randomEpoch(100, new Random(1), 5);
        EpochSettler.Summary summary = new EpochSettler(connection, lake).settle(payouts);
        assertThat(summary.status()).isEqualTo("posted");
        assertThat(summary.tx()).startsWith("0x");
        assertThat(Hex.encodePrefixed(connection.distributor().epochRoot(BigInteger.valueOf(100)).send())).isEqualTo(summary.root());

        EpochSettler.Summary again = new EpochSettler(connection, lake).settle(payouts);
        assertThat(again.status()).isEqualTo("already_posted");
        assertThat(again.tx()).isEqualTo(summary.tx());

        ClaimSubmitter claims = new ClaimSubmitter(connection, lake);
        for (Payout payout : payouts.payouts()) {
            Map<String, Object> result = claims.claim(100, payout.account());
            assertThat(result.get("status")).isEqualTo("claimed");
            assertThat(chain.balance(connection, payout.account().value())).isEqualTo(payout.amount());
        }
        assertThat(claims.claim(100, payouts.payouts().get(0).account()).get("status")).isEqualTo("already_claimed");
        assertThat(connection.distributor().epochClaimed(BigInteger.valueOf(100)).send()).isEqualTo(payouts.total());
        assertThat(lake.claims().readAll()).filteredOn(row -> Long.valueOf(100).equals(row.get("epoch"))).hasSize(5);
        assertThat(lake.epochHistory(100, connection.deployment().chainId(), connection.deployment().distributor().value()))
                .extracting(row -> row.get("status")).containsExactly("prepared", "sent", "posted");
    }

    /** A crash between a mined claim and its row, and a claim sent by someone else: both rows come back from events. */
    @Test
    void claims_mined_without_their_row_are_restored_from_the_contract_events() throws Exception {
        EpochPayouts payouts = randomEpoch(300, new Random(3), 3);
        assertThat(new EpochSettler(connection, lake).settle(payouts).status()).isEqualTo("posted");
        Payout crashed = payouts.payouts().get(0);
        ClaimSubmitter crashing = new ClaimSubmitter(connection, lake, () -> {
            throw new IllegalStateException("power cut after the receipt");
        });
        assertThatThrownBy(() -> crashing.claim(300, crashed.account())).hasMessageContaining("power cut");
        // Someone else claims index 1 straight on the contract; claims are permissionless.
        EpochTree.Claim other = new ClaimSubmitter(connection, lake).proof(300, payouts.payouts().get(1).account());
        connection.sender().execute("claim by someone else", connection.deployment().distributor().value(),
                connection.distributor().claim(BigInteger.valueOf(300), BigInteger.valueOf(other.index()),
                        other.account().value(), other.amount(), other.proofBytes()).encodeFunctionCall());
        assertThat(claimsOf(300)).isEmpty();

        Map<String, Object> again = new ClaimSubmitter(connection, lake).claim(300, crashed.account());
        assertThat(again.get("status")).isEqualTo("already_claimed");
        assertThat(again.get("restored_rows")).isEqualTo(2);
        assertThat(claimsOf(300)).extracting(row -> row.get("account"))
                .containsExactlyInAnyOrder(crashed.account().value(), other.account().value());
        BigInteger recorded = claimsOf(300).stream().map(row -> new BigInteger((String) row.get("amount")))
                .reduce(BigInteger.ZERO, BigInteger::add);
        assertThat(recorded).isEqualTo(connection.distributor().epochClaimed(BigInteger.valueOf(300)).send());
        assertThat(new ClaimSubmitter(connection, lake).reconcile(300)).isZero();
    }

    private static List<Map<String, Object>> claimsOf(long epoch) {
        return lake.claims().readAll().stream().filter(row -> Long.valueOf(epoch).equals(row.get("epoch"))).toList();
    }

    /** Random epochs: every Java proof verifies in the contract, and a wrong amount or proof never does. */
    @Test
    void java_proofs_verify_in_the_contract_for_random_epochs() throws Exception {
        Random random = new Random(20261124);
        for (int round = 0; round < 12; round++) {
            int accounts = 1 + random.nextInt(round < 6 ? 9 : 200);
            EpochPayouts payouts = randomEpoch(1000 + round, random, accounts);
            EpochTree tree = EpochTree.of(payouts);
            assertThat(new EpochSettler(connection, lake).settle(payouts).status()).isEqualTo("posted");
            for (EpochTree.Claim claim : tree.claims()) {
                byte[] leaf = EpochTree.leaf(claim.index(), claim.account(), claim.amount());
                assertThat(connection.distributor().verify(claim.proofBytes(), tree.root(), leaf).send())
                        .as("round %d index %d", round, claim.index()).isTrue();
            }
            EpochTree.Claim any = tree.claims().get(random.nextInt(accounts));
            byte[] wrong = EpochTree.leaf(any.index(), any.account(), any.amount().add(BigInteger.ONE));
            assertThat(connection.distributor().verify(any.proofBytes(), tree.root(), wrong).send()).isFalse();
            String badClaim = connection.distributor().claim(BigInteger.valueOf(payouts.epoch()), BigInteger.valueOf(any.index()),
                    any.account().value(), any.amount().add(BigInteger.ONE), any.proofBytes()).encodeFunctionCall();
            assertThatThrownBy(() -> connection.sender().execute("bad claim", connection.deployment().distributor().value(), badClaim))
                    .isInstanceOf(ChainException.class).hasMessageContaining("would fail");
            // Claim a random half on chain: each account receives exactly its amount.
            for (EpochTree.Claim claim : tree.claims()) {
                if (random.nextBoolean() && claim.index() < 20) {
                    new ClaimSubmitter(connection, lake).claim(payouts.epoch(), claim.account());
                    assertThat(chain.balance(connection, claim.account().value())).isEqualTo(claim.amount());
                }
            }
        }
    }

    @Test
    void a_reused_epoch_id_with_other_payouts_is_refused_before_sending() throws Exception {
        EpochPayouts first = randomEpoch(200, new Random(2), 3);
        new EpochSettler(connection, lake).settle(first);
        BigInteger nonce = nonce();
        EpochPayouts other = randomEpoch(200, new Random(3), 3);
        assertThatThrownBy(() -> new EpochSettler(connection, lake).settle(other))
                .isInstanceOf(UserError.class).hasMessageContaining("epoch 200").hasMessageContaining("nothing sent");
        // Also when the lake lost its rows: the contract's root is the judge.
        SettlementLake emptyLake = new SettlementLake(dir.resolve("other-lake").toUri().toString(), new Configuration());
        assertThatThrownBy(() -> new EpochSettler(connection, emptyLake).settle(other))
                .isInstanceOf(UserError.class).hasMessageContaining("already on chain");
        assertThat(nonce()).isEqualTo(nonce);
        // The same payouts against an empty lake are recognized as posted, with the tx found in the events.
        EpochSettler.Summary recovered = new EpochSettler(connection, emptyLake).settle(first);
        assertThat(recovered.status()).isEqualTo("posted");
        assertThat(recovered.tx()).startsWith("0x");
        assertThat(nonce()).isEqualTo(nonce);
    }

    @Test
    void anchors_each_batch_once_and_records_the_transaction() throws Exception {
        KernelTable batches = KernelTable.writing(KernelTable.engine(new Configuration()), dir.resolve("lake/batches").toUri().toString(),
                new io.delta.kernel.types.StructType()
                        .add("batch_id", io.delta.kernel.types.StringType.STRING)
                        .add("datanet", io.delta.kernel.types.StringType.STRING)
                        .add("created_at", io.delta.kernel.types.TimestampType.TIMESTAMP)
                        .add("read", io.delta.kernel.types.LongType.LONG)
                        .add("accepted", io.delta.kernel.types.LongType.LONG)
                        .add("duplicates", io.delta.kernel.types.LongType.LONG)
                        .add("quarantined", io.delta.kernel.types.LongType.LONG)
                        .add("merkle_root", io.delta.kernel.types.StringType.STRING)
                        .add("contribution_ids", new io.delta.kernel.types.ArrayType(io.delta.kernel.types.StringType.STRING, true))
                        .add("inputs", new io.delta.kernel.types.ArrayType(io.delta.kernel.types.StringType.STRING, true)));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i <= b; i++) {
                ids.add(ContributionId.ofText("text " + b + "/" + i).hex());
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("batch_id", "batch-" + b);
            row.put("datanet", b < 2 ? "legal" : "medical");
            row.put("created_at", Instant.parse("2026-11-24T10:00:00Z").plusSeconds(b));
            row.put("read", (long) ids.size());
            row.put("accepted", (long) ids.size());
            row.put("duplicates", 0L);
            row.put("quarantined", 0L);
            row.put("merkle_root", BatchLeaves.tree(ids.stream().map(ContributionId::new).toList()).rootHex());
            row.put("contribution_ids", ids);
            row.put("inputs", List.of("in.jsonl"));
            rows.add(row);
        }
        batches.append(rows);
        BatchAnchorer anchorer = new BatchAnchorer(connection, lake);
        Map<String, Object> first = anchorer.anchor(DatanetId.of("legal"));
        assertThat(first.get("anchored")).isEqualTo(2);
        var onChain = connection.registry().batch("batch-1").send();
        assertThat(Hex.encodePrefixed(onChain.component1())).isEqualTo(rows.get(1).get("merkle_root"));
        assertThat(onChain.component2()).isEqualTo(2);
        Map<String, Object> second = anchorer.anchor(DatanetId.of("legal"));
        assertThat(second.get("anchored")).isEqualTo(0);
        assertThat(second.get("already_anchored")).isEqualTo(2);
        assertThat(lake.batchAnchors().readAll()).hasSize(2).allSatisfy(row -> assertThat((String) row.get("tx")).startsWith("0x"));
        assertThat(Arrays.equals(connection.registry().batch("batch-2").send().component1(), new byte[32])).isTrue();
    }

    private BigInteger nonce() throws Exception {
        return connection.web3j().ethGetTransactionCount(connection.sender().from(),
                org.web3j.protocol.core.DefaultBlockParameterName.PENDING).send().getTransactionCount();
    }
}
