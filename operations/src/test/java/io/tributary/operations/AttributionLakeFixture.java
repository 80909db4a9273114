package io.tributary.operations;

import io.delta.kernel.engine.Engine;
import io.tributary.core.crypto.Address;
import io.tributary.core.crypto.ContributionSignature;
import io.tributary.core.crypto.KeyPair;
import io.tributary.core.hash.Hashing;
import io.tributary.core.hash.Hex;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import io.tributary.core.lake.LakeTable;
import io.tributary.core.merkle.BatchLeaves;
import io.tributary.core.merkle.MerkleTree;
import io.tributary.core.merkle.PayoutLeaves;
import io.tributary.lake.kernel.KernelTable;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A lake with known epochs, written through Delta Kernel with core's LakeTable schemas, as the stream and settlement
 * would write it: two Datanets, three contributors with really signed contributions in anchored batches, two
 * adapters, inferences quoting the contributions in epochs SETTLED (closed and settled on chain, one claim), CLOSED
 * and OPEN, rejected records. Fees split 5% protocol, 15% creator, 80% to the quoted contributions.
 */
public final class AttributionLakeFixture {
    public static final long EPOCH_LENGTH_SECONDS = 600;
    /** Epoch ids are start / length: SETTLED starts at 2026-11-26T10:00:00Z. */
    public static final long SETTLED = 2_992_812;
    public static final long CLOSED = SETTLED + 1;
    public static final long OPEN = SETTLED + 2;
    public static final KeyPair ALICE = KeyPair.fromSeed("fixture-alice");
    public static final KeyPair BOB = KeyPair.fromSeed("fixture-bob");
    public static final KeyPair CAROL = KeyPair.fromSeed("fixture-carol");
    public static final Address CREATOR = KeyPair.fromSeed("fixture-creator").address();
    public static final Address TREASURY = KeyPair.fromSeed("fixture-treasury").address();
    public static final String LEGAL = "legal";
    public static final String MEDICAL = "medical";
    public static final String TEXT_A1 = "The licensee may redistribute the work provided that this notice is kept intact in every copy.";
    public static final String TEXT_B1 = "Liability for incidental damages is excluded to the fullest extent permitted by applicable law.";
    public static final String TEXT_C1 = "Patients with persistent fever after five days should be re-examined for secondary infection.";
    public static final String TEXT_A2 = "Dosage for children is computed from body weight and never exceeds the adult maximum daily dose.";
    public static final long CHAIN_ID = 31337;
    public static final String DISTRIBUTOR = "0x5fbdb2315678afecb367f032d315f4c2f0d1b0a3";
    public static final String REGISTRY = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";

    /** One quoted span: the contribution's text from {@code from} for {@code length} characters. */
    record Quote(String text, Address contributor, String datanet, int from, int length) {}

    /** What was written, for assertions. */
    public record Written(Map<Long, Map<String, BigInteger>> owedByEpoch, Map<String, String> anchorTxByBatch,
                          Map<String, String> batchOf, String settlementTx, String claimTx, Map<String, String> adapterOf) {}

    private final Engine engine;
    private final String lake;
    private final Map<String, String> adapterOf = new LinkedHashMap<>();
    private final List<Map<String, Object>> inferences = new ArrayList<>();
    private final List<Map<String, Object>> attributions = new ArrayList<>();
    private final Map<Long, Map<String, BigInteger>> owed = new TreeMap<>();
    private final Map<Long, Map<String, Map<String, BigInteger>>> owedByRole = new TreeMap<>();

    public AttributionLakeFixture(Path directory) {
        this.engine = KernelTable.engine(Map.of());
        this.lake = directory.toAbsolutePath().toString();
        adapterOf.put(LEGAL, Hashing.sha256Hex("fixture-adapter-legal"));
        adapterOf.put(MEDICAL, Hashing.sha256Hex("fixture-adapter-medical"));
    }

    public String lake() {
        return lake;
    }

    public static String contributionId(String text) {
        return ContributionId.ofText(text).hex();
    }

    public static Instant epochStart(long epoch) {
        return Instant.ofEpochSecond(epoch * EPOCH_LENGTH_SECONDS);
    }

    public Written write() {
        append(LakeTable.DATANETS, List.of(datanet(LEGAL, "Legal texts"), datanet(MEDICAL, "Medical notes")));
        Map<String, String> batchOf = new HashMap<>();
        Map<String, String> anchors = new LinkedHashMap<>();
        contributions(LEGAL, List.of(TEXT_A1, TEXT_B1), List.of(ALICE, BOB), batchOf, anchors);
        contributions(MEDICAL, List.of(TEXT_C1, TEXT_A2), List.of(CAROL, ALICE), batchOf, anchors);
        adapters();
        indexManifest();
        Quote a1 = new Quote(TEXT_A1, ALICE.address(), LEGAL, 0, 40);
        Quote b1 = new Quote(TEXT_B1, BOB.address(), LEGAL, 0, 40);
        inference("fixture-1", SETTLED, 30, LEGAL, 1_000_000, List.of(a1));
        inference("fixture-2", SETTLED, 90, LEGAL, 2_000_000, List.of(new Quote(TEXT_A1, ALICE.address(), LEGAL, 10, 40), b1));
        inference("fixture-3", SETTLED, 200, MEDICAL, 1_000_000, List.of(new Quote(TEXT_C1, CAROL.address(), MEDICAL, 0, 40)));
        inference("fixture-4", SETTLED, 300, "", 500_000, List.of());
        inference("fixture-5", CLOSED, 20, LEGAL, 3_000_000, List.of(new Quote(TEXT_B1, BOB.address(), LEGAL, 5, 40)));
        inference("fixture-6", CLOSED, 400, MEDICAL, 1_000_000, List.of(new Quote(TEXT_A2, ALICE.address(), MEDICAL, 0, 40)));
        inference("fixture-7", OPEN, 10, LEGAL, 1_000_000, List.of(a1));
        append(LakeTable.INFERENCES, inferences);
        append(LakeTable.ATTRIBUTIONS, attributions);
        closeEpoch(SETTLED);
        closeEpoch(CLOSED);
        String[] settled = settle(SETTLED);
        append(LakeTable.REJECTED_INFERENCES, List.of(rejected("log-a.jsonl:3", "unknown_adapter"), rejected("log-a.jsonl:9", "bad_json")));
        return new Written(owed, anchors, batchOf, settled[0], settled[1], adapterOf);
    }

    /** Appends one more inference to the open epoch (the live test's lake commit). */
    public void appendOpenInference(String id, long fee) {
        inferences.clear();
        attributions.clear();
        inference(id, OPEN, 500, LEGAL, fee, List.of(new Quote(TEXT_B1, BOB.address(), LEGAL, 0, 40)));
        append(LakeTable.INFERENCES, inferences);
        append(LakeTable.ATTRIBUTIONS, attributions);
    }

    /** Records a later payouts row for the account with the amount raised by one wei (its proof no longer verifies). */
    public void tamperPayout(long epoch, Address account) {
        Map<String, Object> row = KernelTable.reading(engine, lake, LakeTable.PAYOUTS).readAll().stream()
                .filter(payout -> account.value().equals(payout.get("account")) && Long.valueOf(epoch).equals(payout.get("epoch")))
                .findFirst().orElseThrow();
        Map<String, Object> tampered = new HashMap<>(row);
        tampered.put("amount", new BigInteger((String) row.get("amount")).add(BigInteger.ONE).toString());
        tampered.put("recorded_at", ((Instant) row.get("recorded_at")).plusSeconds(1));
        append(LakeTable.PAYOUTS, List.of(tampered));
    }

    private Map<String, Object> datanet(String id, String name) {
        Map<String, Object> row = new HashMap<>();
        row.put("datanet", id);
        row.put("name", name);
        row.put("topic", id);
        row.put("owner", CREATOR.value());
        row.put("protocol_bps", 500);
        row.put("creator_bps", 1500);
        row.put("contributors_bps", 8000);
        row.put("created_at", Instant.parse("2026-11-01T00:00:00Z"));
        return row;
    }

    private void contributions(String datanet, List<String> texts, List<KeyPair> keys, Map<String, String> batchOf, Map<String, String> anchors) {
        List<ContributionId> ids = texts.stream().map(ContributionId::ofText).toList();
        String batchId = Hashing.sha256Hex("fixture-batch-" + datanet);
        String root = BatchLeaves.tree(ids).rootHex();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            Map<String, Object> row = new HashMap<>();
            row.put("contribution_id", ids.get(i).hex());
            row.put("datanet", datanet);
            row.put("contributor", keys.get(i).address().value());
            row.put("signature", ContributionSignature.sign(keys.get(i), DatanetId.of(datanet), ids.get(i), "CC-BY-4.0"));
            row.put("license", "CC-BY-4.0");
            row.put("ingested_at", Instant.parse("2026-11-02T00:00:00Z"));
            row.put("batch_id", batchId);
            row.put("ingest_order", (long) i);
            row.put("text_bytes", texts.get(i).getBytes(StandardCharsets.UTF_8).length);
            row.put("text", texts.get(i));
            rows.add(row);
            batchOf.put(ids.get(i).hex(), batchId);
        }
        append(LakeTable.CONTRIBUTIONS, rows);
        Map<String, Object> batch = new HashMap<>();
        batch.put("batch_id", batchId);
        batch.put("datanet", datanet);
        batch.put("created_at", Instant.parse("2026-11-02T00:00:00Z"));
        batch.put("read", (long) texts.size());
        batch.put("accepted", (long) texts.size());
        batch.put("duplicates", 0L);
        batch.put("quarantined", 0L);
        batch.put("merkle_root", root);
        batch.put("contribution_ids", ids.stream().map(ContributionId::hex).toList());
        batch.put("inputs", List.of("inbox/" + datanet + "/part-0.jsonl"));
        append(LakeTable.BATCHES, List.of(batch));
        String tx = "0x" + Hashing.sha256Hex("fixture-anchor-" + datanet);
        Map<String, Object> anchor = new HashMap<>();
        anchor.put("batch_id", batchId);
        anchor.put("datanet", datanet);
        anchor.put("merkle_root", root);
        anchor.put("contributions", (long) texts.size());
        anchor.put("chain_id", CHAIN_ID);
        anchor.put("registry", REGISTRY);
        anchor.put("tx", tx);
        anchor.put("block", 7L);
        anchor.put("anchored_at", Instant.parse("2026-11-02T00:01:00Z"));
        append(LakeTable.BATCH_ANCHORS, List.of(anchor));
        anchors.put(batchId, tx);
    }

    private void adapters() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<String, String> adapter : adapterOf.entrySet()) {
            Map<String, Object> row = new HashMap<>();
            row.put("adapter_id", adapter.getValue());
            row.put("datanet", adapter.getKey());
            row.put("datanet_version", 1L);
            row.put("creator", CREATOR.value());
            row.put("name", adapter.getKey() + "-v1");
            row.put("created_at", Instant.parse("2026-11-03T00:00:00Z"));
            rows.add(row);
        }
        append(LakeTable.ADAPTERS, rows);
    }

    private void indexManifest() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String datanet : List.of(LEGAL, MEDICAL)) {
            Map<String, Object> row = new HashMap<>();
            row.put("datanet", datanet);
            row.put("version", 1L);
            row.put("shard", 0);
            row.put("tokens", 200L);
            row.put("documents", 2L);
            row.put("bytes", 1000L);
            row.put("tokenizer", "bytes");
            row.put("checksum", "sha256:" + Hashing.sha256Hex(datanet));
            row.put("path", "indexes/" + datanet + "/shards/shard-000000.trib");
            row.put("first_ingest_order", 0L);
            row.put("last_ingest_order", 1L);
            row.put("built_at", Instant.parse("2026-11-02T12:00:00Z"));
            rows.add(row);
        }
        append(LakeTable.INDEX_MANIFEST, rows);
    }

    private void inference(String id, long epoch, long secondsIntoEpoch, String datanet, long fee, List<Quote> quotes) {
        StringBuilder completion = new StringBuilder("Q: ");
        List<int[]> offsets = new ArrayList<>();
        for (Quote quote : quotes) {
            if (!offsets.isEmpty()) {
                completion.append(" and ");
            }
            int start = completion.length(); // ASCII: characters are byte tokens
            completion.append(quote.text(), quote.from(), quote.from() + quote.length());
            offsets.add(new int[] {start, completion.length()});
        }
        completion.append(quotes.isEmpty() ? "a base-model answer." : ".");
        boolean base = datanet.isEmpty();
        String adapter = base ? "" : adapterOf.get(datanet);
        Map<String, Object> row = new HashMap<>();
        row.put("inference_id", id);
        row.put("served_at", epochStart(epoch).plusSeconds(secondsIntoEpoch));
        row.put("epoch", epoch);
        row.put("late", false);
        row.put("adapter_id", adapter);
        row.put("datanet", datanet);
        row.put("datanet_version", base ? null : 1L);
        row.put("base_model_sha256", Hashing.sha256Hex("fixture-base"));
        row.put("adapter_sha256", base ? "" : Hashing.sha256Hex("sha-" + adapter));
        row.put("payer", KeyPair.fromSeed("fixture-payer").address().value());
        row.put("api_key_id", "0123456789abcdef");
        row.put("prompt_tokens", 12L);
        row.put("completion_tokens", (long) completion.length());
        row.put("completion", completion.toString());
        row.put("finish_reason", "stop");
        row.put("fee_wei", Long.toString(fee));
        row.put("price_version", "p-0123456789abcdef");
        row.put("record_hash", "0x" + Hashing.sha256Hex(id));
        row.put("covered_tokens", offsets.stream().mapToLong(range -> range[1] - range[0]).sum());
        inferences.add(row);
        BigInteger total = BigInteger.valueOf(fee);
        BigInteger protocol = base ? total : total.multiply(BigInteger.valueOf(500)).divide(BigInteger.valueOf(10_000));
        BigInteger creator = base ? BigInteger.ZERO : total.multiply(BigInteger.valueOf(1500)).divide(BigInteger.valueOf(10_000));
        BigInteger pool = total.subtract(protocol).subtract(creator);
        attribution(id, epoch, datanet, "protocol", null, null, TREASURY, protocol, 0);
        if (!base) {
            attribution(id, epoch, datanet, "creator", null, null, CREATOR, creator, 0);
        }
        BigInteger[] share = quotes.isEmpty() ? new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO}
                : pool.divideAndRemainder(BigInteger.valueOf(quotes.size()));
        for (int i = 0; i < quotes.size(); i++) {
            Quote quote = quotes.get(i);
            attribution(id, epoch, datanet, "span", offsets.get(i), contributionId(quote.text()), quote.contributor(),
                    i == 0 ? share[0].add(share[1]) : share[0], quote.length());
        }
    }

    private void attribution(String id, long epoch, String datanet, String kind, int[] span, String contribution, Address account,
                             BigInteger wei, double tokens) {
        Map<String, Object> row = new HashMap<>();
        row.put("inference_id", id);
        row.put("epoch", epoch);
        row.put("datanet", datanet);
        row.put("kind", kind);
        row.put("span_start", span == null ? null : span[0]);
        row.put("span_end", span == null ? null : span[1]);
        row.put("contribution_id", contribution);
        row.put("account", account.value());
        row.put("credit", span == null ? "0/1" : "1/1");
        row.put("credited_tokens", tokens);
        row.put("wei", wei.toString());
        attributions.add(row);
        owed.computeIfAbsent(epoch, e -> new TreeMap<>()).merge(account.value(), wei, BigInteger::add);
        String role = kind.equals("span") || kind.equals("prior") ? "contributor" : kind;
        owedByRole.computeIfAbsent(epoch, e -> new TreeMap<>()).computeIfAbsent(account.value(), a -> new TreeMap<>())
                .merge(role, wei, BigInteger::add);
    }

    private void closeEpoch(long epoch) {
        List<Map<String, Object>> payouts = new ArrayList<>();
        owedByRole.get(epoch).forEach((account, roles) -> roles.forEach((role, wei) -> {
            Map<String, Object> row = new HashMap<>();
            row.put("epoch", epoch);
            row.put("account", account);
            row.put("role", role);
            row.put("wei", wei.toString());
            payouts.add(row);
        }));
        append(LakeTable.EPOCH_PAYOUTS, payouts);
        long count = 0;
        BigInteger fees = BigInteger.ZERO;
        for (Map<String, Object> row : KernelTable.reading(engine, lake, LakeTable.INFERENCES).readAll()) {
            if (Long.valueOf(epoch).equals(row.get("epoch"))) {
                count++;
                fees = fees.add(new BigInteger((String) row.get("fee_wei")));
            }
        }
        Map<String, Object> row = new HashMap<>();
        row.put("epoch", epoch);
        row.put("start", epochStart(epoch));
        row.put("end", epochStart(epoch + 1));
        row.put("inferences", count);
        row.put("late", 0L);
        row.put("fees_wei", fees.toString());
        row.put("inferences_root", "0x" + Hashing.sha256Hex("fixture-inferences-" + epoch));
        row.put("closed_at", epochStart(epoch + 1).plusSeconds(5));
        append(LakeTable.ATTRIBUTION_EPOCHS, List.of(row));
    }

    /** Posts the epoch as settlement does (leaf = keccak(index, account, amount), accounts in order); returns its tx and a claim tx. */
    private String[] settle(long epoch) {
        List<Map.Entry<String, BigInteger>> accounts = new ArrayList<>(owed.get(epoch).entrySet()); // TreeMap: address order
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < accounts.size(); i++) {
            leaves.add(PayoutLeaves.leaf(i, Address.of(accounts.get(i).getKey()), accounts.get(i).getValue()));
        }
        MerkleTree tree = MerkleTree.ofLeaves(leaves);
        String tx = "0x" + Hashing.sha256Hex("fixture-settle-" + epoch);
        Instant recorded = epochStart(epoch + 1).plusSeconds(60);
        List<Map<String, Object>> payouts = new ArrayList<>();
        BigInteger total = BigInteger.ZERO;
        for (int i = 0; i < accounts.size(); i++) {
            Map<String, Object> row = new HashMap<>();
            row.put("epoch", epoch);
            row.put("chain_id", CHAIN_ID);
            row.put("distributor", DISTRIBUTOR);
            row.put("root", tree.rootHex());
            row.put("index", (long) i);
            row.put("account", accounts.get(i).getKey());
            row.put("amount", accounts.get(i).getValue().toString());
            row.put("proof", tree.proof(leaves.get(i)).stream().map(Hex::encodePrefixed).toList());
            row.put("status", "unclaimed");
            row.put("recorded_at", recorded);
            payouts.add(row);
            total = total.add(accounts.get(i).getValue());
        }
        append(LakeTable.PAYOUTS, payouts);
        Map<String, Object> posted = new HashMap<>();
        posted.put("epoch", epoch);
        posted.put("chain_id", CHAIN_ID);
        posted.put("distributor", DISTRIBUTOR);
        posted.put("root", tree.rootHex());
        posted.put("accounts", accounts.size());
        posted.put("total", total.toString());
        posted.put("status", "posted");
        posted.put("tx", tx);
        posted.put("block", 21L);
        posted.put("recorded_at", recorded);
        append(LakeTable.EPOCHS, List.of(posted));
        String claimTx = "0x" + Hashing.sha256Hex("fixture-claim-" + epoch);
        Map<String, Object> claim = new HashMap<>();
        claim.put("epoch", epoch);
        claim.put("chain_id", CHAIN_ID);
        claim.put("distributor", DISTRIBUTOR);
        int alice = accounts.stream().map(Map.Entry::getKey).toList().indexOf(ALICE.address().value());
        claim.put("index", (long) alice);
        claim.put("account", ALICE.address().value());
        claim.put("amount", owed.get(epoch).get(ALICE.address().value()).toString());
        claim.put("tx", claimTx);
        claim.put("block", 22L);
        claim.put("claimed_at", recorded.plusSeconds(30));
        append(LakeTable.CLAIMS, List.of(claim));
        return new String[] {tx, claimTx};
    }

    private Map<String, Object> rejected(String source, String reason) {
        Map<String, Object> row = new HashMap<>();
        row.put("rejection_id", Hashing.sha256Hex(source));
        row.put("source", source);
        row.put("reason", reason);
        row.put("detail", "fixture");
        row.put("raw", "{not json".getBytes(StandardCharsets.UTF_8));
        row.put("rejected_at", Instant.parse("2026-11-05T00:00:00Z"));
        return row;
    }

    private void append(LakeTable table, List<Map<String, Object>> rows) {
        KernelTable.writing(engine, lake, table).append(rows);
    }
}
