package io.tributary.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.kernel.engine.Engine;
import io.tributary.core.cli.UserError;
import io.tributary.core.crypto.Address;
import io.tributary.core.hash.Hex;
import io.tributary.core.inference.InferenceRecord;
import io.tributary.core.lake.LakeTable;
import io.tributary.core.merkle.MerkleTree;
import io.tributary.lake.kernel.KernelTable;
import io.tributary.settlement.chain.ChainConnection;
import io.tributary.settlement.epoch.StreamEpochs;
import io.tributary.settlement.lake.SettlementLake;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code settle --epoch N} over tables as the attribution stream writes them, on a real Anvil: a closed epoch is
 * posted once with roles summed per account and its inference root anchored once; an open or unknown epoch is
 * refused before anything is sent; an inference's proof verifies against the anchored root.
 */
class StreamEpochSettleTest {
    private static final String ALICE = "0x1111111111111111111111111111111111111111";
    private static final String CREATOR = "0x2222222222222222222222222222222222222222";
    private static final String TREASURY = "0x000000000000000000000000000000000000dEaD";

    @TempDir
    Path dir;

    @Test
    void settlesAClosedStreamEpochOnceAndRefusesOpenOnes() throws Exception {
        String lakeRoot = "file:" + dir.resolve("lake").toAbsolutePath();
        Engine engine = KernelTable.engine(Map.of());
        List<Map<String, Object>> inferences = new ArrayList<>();
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            InferenceRecord record = new InferenceRecord("inf-" + i, Instant.parse("2026-12-01T00:00:01Z"), "", "",
                    OptionalLong.empty(), "e".repeat(64), "", Address.of(ALICE), "0123456789abcdef", 1, 1, "x", "stop",
                    BigInteger.TEN, "price-1");
            inferences.add(row("inference_id", record.inferenceId(), "served_at", record.servedAt(), "epoch", 7L, "late", false,
                    "adapter_id", "", "datanet", "", "base_model_sha256", "e".repeat(64), "adapter_sha256", "",
                    "payer", ALICE, "api_key_id", "0123456789abcdef", "prompt_tokens", 1L, "completion_tokens", 1L,
                    "completion", "x", "finish_reason", "stop", "fee_wei", "10", "price_version", "price-1",
                    "record_hash", record.hash(), "covered_tokens", 0L));
            leaves.add(Hex.decode(record.hash()));
        }
        inferences.add(row("inference_id", "inf-open", "served_at", Instant.parse("2026-12-01T00:00:11Z"), "epoch", 8L,
                "late", false, "adapter_id", "", "datanet", "", "base_model_sha256", "e".repeat(64), "adapter_sha256", "",
                "payer", ALICE, "api_key_id", "0123456789abcdef", "prompt_tokens", 1L, "completion_tokens", 1L,
                "completion", "x", "finish_reason", "stop", "fee_wei", "10", "price_version", "price-1",
                "record_hash", "0x" + "ab".repeat(32), "covered_tokens", 0L));
        KernelTable.writing(engine, lakeRoot, LakeTable.INFERENCES).append(inferences);
        String root = MerkleTree.ofLeaves(leaves).rootHex();
        KernelTable.writing(engine, lakeRoot, LakeTable.ATTRIBUTION_EPOCHS).append(List.of(row("epoch", 7L,
                "start", Instant.parse("2026-12-01T00:00:00Z"), "end", Instant.parse("2026-12-01T00:00:10Z"),
                "inferences", 3L, "late", 0L, "fees_wei", "30", "inferences_root", root, "closed_at", Instant.now())));
        KernelTable.writing(engine, lakeRoot, LakeTable.EPOCH_PAYOUTS).append(List.of(
                row("epoch", 7L, "account", ALICE, "role", "contributor", "wei", "20"),
                row("epoch", 7L, "account", ALICE, "role", "creator", "wei", "3"),
                row("epoch", 7L, "account", CREATOR, "role", "creator", "wei", "4"),
                row("epoch", 7L, "account", TREASURY, "role", "protocol", "wei", "3")));

        StreamEpochs epochs = new StreamEpochs(engine, lakeRoot);
        assertThatThrownBy(() -> epochs.closed(8)).isInstanceOf(UserError.class).hasMessageContaining("still open");
        assertThatThrownBy(() -> epochs.closed(9)).isInstanceOf(UserError.class).hasMessageContaining("unknown");
        StreamEpochs.Closed closed = epochs.closed(7);
        assertThat(closed.payouts().payouts()).extracting(p -> p.account().value().toLowerCase() + "=" + p.amount())
                .containsExactlyInAnyOrder(ALICE + "=23", CREATOR + "=4", TREASURY.toLowerCase() + "=3");
        assertThat(closed.payouts().total()).isEqualTo(30);

        try (LocalAnvil chain = new LocalAnvil(dir, Duration.ofSeconds(60), Duration.ofSeconds(30));
             ChainConnection connection = chain.connect()) {
            SettlementLake lake = new SettlementLake(lakeRoot, new Configuration());
            assertThat(new EpochSettler(connection, lake).settle(closed.payouts()).status()).isEqualTo("posted");
            assertThat(new EpochSettler(connection, lake).settle(closed.payouts()).status()).isEqualTo("already_posted");
            Map<String, Object> anchor = new EpochRootAnchorer(connection, lake).anchor(7, root, 3);
            assertThat((String) anchor.get("tx")).startsWith("0x");
            assertThat(Hex.encodePrefixed(connection.registry().batch(EpochRootAnchorer.anchorId(7)).send().component1()))
                    .isEqualTo(root);
            Map<String, Object> again = new EpochRootAnchorer(connection, lake).anchor(7, root, 3);
            assertThat(again.get("tx")).isEqualTo(anchor.get("tx"));

            // anchor --adapter: the adapter's files hash and its training root, once.
            String id1 = io.tributary.core.id.ContributionId.ofText("one").hex();
            String id2 = io.tributary.core.id.ContributionId.ofText("two").hex();
            KernelTable.writing(engine, lakeRoot, LakeTable.ADAPTERS).append(List.of(row("adapter_id", "a".repeat(64),
                    "adapter_sha256", "5".repeat(64), "train_contribution_ids", id2 + "," + id1, "datanet", "legal",
                    "datanet_version", 0L)));
            AdapterAnchorer adapters = AdapterAnchorer.of(connection, engine, lakeRoot);
            Map<String, Object> anchored = adapters.anchor("a".repeat(64));
            assertThat(anchored.get("status")).isEqualTo("anchored");
            var onChain = connection.registry().adapter("a".repeat(64)).send();
            assertThat(Hex.encodePrefixed(onChain.component2())).isEqualTo(io.tributary.core.merkle.BatchLeaves.tree(List.of(
                    new io.tributary.core.id.ContributionId(id1), new io.tributary.core.id.ContributionId(id2))).rootHex());
            assertThat(adapters.anchor("a".repeat(64)).get("status")).isEqualTo("already_anchored");

            StreamEpochs.InferenceProof proof = epochs.proof("inf-1");
            assertThat(proof.epoch()).isEqualTo(7);
            assertThat(MerkleTree.verify(proof.proof().stream().map(Hex::decode).toList(), Hex.decode(root),
                    Hex.decode(proof.recordHash()))).isTrue();
        }
    }

    private static Map<String, Object> row(Object... keyValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            row.put((String) keyValues[i], keyValues[i + 1]);
        }
        return row;
    }
}
