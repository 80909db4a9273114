package io.tributary.operations.audit;

import io.tributary.core.crypto.Address;
import io.tributary.core.crypto.ContributionSignature;
import io.tributary.core.hash.Hex;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import io.tributary.core.lake.LakeTable;
import io.tributary.core.merkle.BatchLeaves;
import io.tributary.core.merkle.MerkleTree;
import io.tributary.core.merkle.PayoutLeaves;
import io.tributary.operations.audit.AuditWalk.Anchor;
import io.tributary.operations.audit.AuditWalk.Batch;
import io.tributary.operations.audit.AuditWalk.Claim;
import io.tributary.operations.audit.AuditWalk.ContributionTrail;
import io.tributary.operations.audit.AuditWalk.EpochState;
import io.tributary.operations.audit.AuditWalk.PaidInference;
import io.tributary.operations.audit.AuditWalk.Payout;
import io.tributary.operations.audit.AuditWalk.RoleWei;
import io.tributary.operations.audit.AuditWalk.SpanCredit;
import io.tributary.operations.audit.CompletionSpans.CharacterRange;
import io.tributary.operations.lake.EpochStates;
import io.tributary.operations.lake.LakeReader;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/** Builds the {@link AuditWalk} of an account's payout in an epoch from the lake (the CLI and the dashboard both call it). */
public final class Auditor {
    private static final int EXCERPT_CHARACTERS = 280;
    private static final Comparator<Map<String, Object>> LATEST_RECORDED = Comparator.comparing(
            (Map<String, Object> row) -> Optional.ofNullable((Instant) row.get("recorded_at")).orElse(Instant.EPOCH));

    private final LakeReader lake;
    private final CompletionSpans spans;

    public Auditor(LakeReader lake) {
        this.lake = lake;
        this.spans = new CompletionSpans(lake);
    }

    /** Parses a user-given account: any case, 0x and 20 bytes. */
    public static Address account(String text) {
        return Address.parse(text).orElseThrow(() -> new AuditException("--account '" + text + "' is not a 0x address of 20 bytes"));
    }

    public AuditWalk walk(Address account, long epoch) {
        String who = account.value();
        List<Map<String, Object>> roleRows = lake.rows(LakeTable.EPOCH_PAYOUTS, "epoch", epoch).stream()
                .filter(row -> who.equals(row.get("account"))).toList();
        Optional<Map<String, Object>> payoutRow = lake.rows(LakeTable.PAYOUTS, "epoch", epoch).stream()
                .filter(row -> who.equals(row.get("account"))).max(LATEST_RECORDED);
        List<Map<String, Object>> credited = lake.rows(LakeTable.ATTRIBUTIONS, "epoch", epoch).stream()
                .filter(row -> who.equals(row.get("account"))).toList();
        if (roleRows.isEmpty() && payoutRow.isEmpty() && credited.isEmpty()) {
            throw new AuditException("account " + who + " has no payout in epoch " + epoch + paidEpochsHint(who));
        }
        EpochStates states = new EpochStates(lake);
        List<String> notes = new ArrayList<>();
        BigInteger streamWei = roleRows.stream().map(row -> new BigInteger((String) row.get("wei"))).reduce(BigInteger.ZERO, BigInteger::add);
        Payout payout = payoutRow.map(row -> payout(row, account, streamWei, roleRows.isEmpty(), states, epoch)).orElse(null);
        if (payout == null) {
            notes.add("epoch " + epoch + " is not settled on chain yet (no payouts row): the walk shows what the stream computed");
        } else if (!payout.proofValid()) {
            notes.add("the recorded Merkle proof does NOT verify against the epoch root");
        } else if (!roleRows.isEmpty() && !payout.matchesStream()) {
            notes.add("the settled amount differs from the stream's epoch_payouts for this account");
        }
        if (roleRows.isEmpty() && !credited.isEmpty()) {
            notes.add("epoch " + epoch + " is " + states.status(epoch) + ": no epoch_payouts rows yet, only running attributions");
        }
        List<PaidInference> inferences = inferences(credited, epoch);
        List<ContributionTrail> contributions = contributions(credited);
        return new AuditWalk(who, epoch, payout, epochState(states, epoch, roleRows), inferences, contributions, List.copyOf(notes));
    }

    private String paidEpochsHint(String account) {
        TreeSet<Long> epochs = new TreeSet<>();
        for (Map<String, Object> row : lake.rows(LakeTable.EPOCH_PAYOUTS)) {
            if (account.equals(row.get("account"))) {
                epochs.add((Long) row.get("epoch"));
            }
        }
        for (LakeTable table : List.of(LakeTable.PAYOUTS, LakeTable.ATTRIBUTIONS)) {
            for (Map<String, Object> row : lake.rows(table)) {
                if (account.equals(row.get("account")) && row.get("epoch") != null) {
                    epochs.add((Long) row.get("epoch"));
                }
            }
        }
        return epochs.isEmpty() ? " (it has no payout in any epoch)" : " (it is paid or credited in epochs " + epochs + ")";
    }

    private Payout payout(Map<String, Object> row, Address account, BigInteger streamWei, boolean noStreamRows, EpochStates states, long epoch) {
        long index = (Long) row.get("index");
        BigInteger amount = new BigInteger((String) row.get("amount"));
        @SuppressWarnings("unchecked")
        List<String> proof = row.get("proof") == null ? List.of() : (List<String>) row.get("proof");
        // The root the contract holds is the posted epoch's; the payouts row's own root must agree with it.
        String root = states.settlementRow(epoch).map(settled -> (String) settled.get("root")).orElse((String) row.get("root"));
        boolean valid = root != null && Objects.equals(root, row.get("root"))
                && MerkleTree.verify(proof.stream().map(Hex::decode).toList(), Hex.decode(root), PayoutLeaves.leaf(index, account, amount));
        Claim claim = lake.rows(LakeTable.CLAIMS, "epoch", epoch).stream()
                .filter(claimed -> account.value().equals(claimed.get("account")))
                .findFirst()
                .map(claimed -> new Claim((String) claimed.get("tx"), (Long) claimed.get("block"), (Instant) claimed.get("claimed_at")))
                .orElse(null);
        return new Payout(index, amount.toString(), noStreamRows ? null : streamWei.toString(), !noStreamRows && amount.equals(streamWei),
                root, List.copyOf(proof), valid, Optional.ofNullable((Long) row.get("chain_id")).orElse(0L),
                (String) row.get("distributor"), claim);
    }

    private EpochState epochState(EpochStates states, long epoch, List<Map<String, Object>> roleRows) {
        Map<String, Object> closed = states.closedRow(epoch).orElse(Map.of());
        Map<String, Object> settled = states.settlementRow(epoch).orElse(Map.of());
        TreeMap<String, BigInteger> roles = new TreeMap<>();
        for (Map<String, Object> row : roleRows) {
            roles.merge((String) row.get("role"), new BigInteger((String) row.get("wei")), BigInteger::add);
        }
        return new EpochState(states.status(epoch), (Instant) closed.get("start"), (Instant) closed.get("end"),
                (Long) closed.get("inferences"), (String) closed.get("fees_wei"), (String) closed.get("inferences_root"),
                (String) settled.get("status"), (String) settled.get("root"), (String) settled.get("tx"), (Long) settled.get("block"),
                (Integer) settled.get("accounts"), (String) settled.get("total"),
                roles.entrySet().stream().map(entry -> new RoleWei(entry.getKey(), entry.getValue().toString())).toList());
    }

    private List<PaidInference> inferences(List<Map<String, Object>> credited, long epoch) {
        Map<String, List<Map<String, Object>>> byInference = new LinkedHashMap<>();
        for (Map<String, Object> row : credited) {
            byInference.computeIfAbsent((String) row.get("inference_id"), id -> new ArrayList<>()).add(row);
        }
        Map<String, Map<String, Object>> records = new HashMap<>();
        for (Map<String, Object> row : lake.rows(LakeTable.INFERENCES, "epoch", epoch)) {
            if (byInference.containsKey((String) row.get("inference_id"))) {
                records.put((String) row.get("inference_id"), row);
            }
        }
        // Every span of the inference, whoever it paid, so the completion shows the account's among the others.
        Map<String, List<Map<String, Object>>> allSpans = new HashMap<>();
        for (Map<String, Object> row : lake.rows(LakeTable.ATTRIBUTIONS, "epoch", epoch)) {
            if (byInference.containsKey((String) row.get("inference_id")) && row.get("span_start") != null) {
                allSpans.computeIfAbsent((String) row.get("inference_id"), id -> new ArrayList<>()).add(row);
            }
        }
        Map<String, String> tokenizers = new HashMap<>();
        List<PaidInference> inferences = new ArrayList<>();
        for (Map.Entry<String, List<Map<String, Object>>> entry : byInference.entrySet()) {
            Map<String, Object> record = records.getOrDefault(entry.getKey(), Map.of());
            String completion = Optional.ofNullable((String) record.get("completion")).orElse("");
            String datanet = Optional.ofNullable((String) record.get("datanet")).orElse((String) entry.getValue().get(0).get("datanet"));
            String tokenizer = tokenizers.computeIfAbsent(datanet, spans::tokenizerOf);
            List<SpanCredit> credits = new ArrayList<>();
            List<CharacterRange> mine = new ArrayList<>();
            BigInteger wei = BigInteger.ZERO;
            for (Map<String, Object> row : entry.getValue()) {
                wei = wei.add(new BigInteger((String) row.get("wei")));
                CharacterRange range = range(tokenizer, completion, row);
                if (range != null) {
                    mine.add(range);
                }
                credits.add(new SpanCredit((String) row.get("kind"), (Integer) row.get("span_start"), (Integer) row.get("span_end"),
                        range == null || !range.mapped() ? null : range.charStart(), range == null || !range.mapped() ? null : range.charEnd(),
                        range == null || !range.mapped() ? null : completion.substring(range.charStart(), range.charEnd()),
                        (String) row.get("contribution_id"), (String) row.get("wei"), ((Number) row.get("credited_tokens")).doubleValue()));
            }
            List<CharacterRange> others = new ArrayList<>();
            for (Map<String, Object> row : allSpans.getOrDefault(entry.getKey(), List.of())) {
                CharacterRange range = range(tokenizer, completion, row);
                if (range != null) {
                    others.add(range);
                }
            }
            inferences.add(new PaidInference(entry.getKey(), (Instant) record.get("served_at"), (String) record.get("adapter_id"), datanet,
                    (String) record.get("fee_wei"), wei.toString(), (String) record.get("record_hash"), tokenizer, credits, CompletionSpans.segments(completion, mine, others)));
        }
        inferences.sort(Comparator.comparing((PaidInference inference) -> new BigInteger(inference.weiToAccount())).reversed()
                .thenComparing(PaidInference::inferenceId));
        return inferences;
    }

    private static CharacterRange range(String tokenizer, String completion, Map<String, Object> row) {
        if (row.get("span_start") == null || row.get("span_end") == null || completion.isEmpty()) {
            return null;
        }
        return CompletionSpans.characters(tokenizer, completion, (Integer) row.get("span_start"), (Integer) row.get("span_end"));
    }

    private List<ContributionTrail> contributions(List<Map<String, Object>> credited) {
        Map<String, String> datanetOf = new TreeMap<>();
        for (Map<String, Object> row : credited) {
            if (row.get("contribution_id") != null) {
                datanetOf.putIfAbsent((String) row.get("contribution_id"), (String) row.get("datanet"));
            }
        }
        Map<String, Map<String, Object>> found = new HashMap<>();
        for (String datanet : new TreeSet<>(datanetOf.values())) {
            for (Map<String, Object> row : lake.rows(LakeTable.CONTRIBUTIONS, "datanet", datanet)) {
                if (datanetOf.containsKey((String) row.get("contribution_id"))) {
                    found.putIfAbsent((String) row.get("contribution_id"), row);
                }
            }
        }
        List<ContributionTrail> trails = new ArrayList<>();
        for (Map.Entry<String, String> entry : datanetOf.entrySet()) {
            Map<String, Object> row = found.get(entry.getKey());
            if (row == null) {
                trails.add(new ContributionTrail(entry.getKey(), entry.getValue(), null, null, false, false, null, null,
                        "(not in the contributions table)", null));
                continue;
            }
            trails.add(trail(row));
        }
        return trails;
    }

    private ContributionTrail trail(Map<String, Object> row) {
        String id = (String) row.get("contribution_id");
        String datanet = (String) row.get("datanet");
        String contributor = (String) row.get("contributor");
        String signature = (String) row.get("signature");
        String text = (String) row.get("text");
        boolean idMatches = ContributionId.ofText(text).hex().equals(id);
        String license = (String) row.get("license");
        boolean signatureValid = idMatches && Address.isValid(contributor) && DatanetId.isValid(datanet) && license != null
                && ContributionSignature.verify(Address.of(contributor), DatanetId.of(datanet), new ContributionId(id), license,
                        signature);
        String excerpt = text.length() <= EXCERPT_CHARACTERS ? text : text.substring(0, EXCERPT_CHARACTERS) + "...";
        return new ContributionTrail(id, datanet, contributor, signature, signatureValid, idMatches, (String) row.get("license"),
                (Instant) row.get("ingested_at"), excerpt, batch((String) row.get("batch_id"), id));
    }

    private Batch batch(String batchId, String contributionId) {
        Optional<Map<String, Object>> row = lake.rows(LakeTable.BATCHES).stream().filter(batch -> batchId.equals(batch.get("batch_id"))).findFirst();
        if (row.isEmpty()) {
            return new Batch(batchId, null, false, false, List.of(), null);
        }
        String root = (String) row.get().get("merkle_root");
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) row.get().get("contribution_ids");
        MerkleTree tree = BatchLeaves.tree(ids.stream().map(ContributionId::new).toList());
        boolean contains = ids.contains(contributionId);
        List<String> proof = contains ? tree.proof(BatchLeaves.leaf(new ContributionId(contributionId))).stream().map(Hex::encodePrefixed).toList()
                : List.of();
        Anchor anchor = lake.rows(LakeTable.BATCH_ANCHORS).stream()
                .filter(anchored -> batchId.equals(anchored.get("batch_id")))
                .max(Comparator.comparing((Map<String, Object> anchored) ->
                        Optional.ofNullable((Instant) anchored.get("anchored_at")).orElse(Instant.EPOCH)))
                .map(anchored -> new Anchor((String) anchored.get("tx"), (Long) anchored.get("block"), (Long) anchored.get("chain_id"),
                        (String) anchored.get("registry"), Objects.equals(root, anchored.get("merkle_root")),
                        (Instant) anchored.get("anchored_at")))
                .orElse(null);
        return new Batch(batchId, root, tree.rootHex().equals(root), contains, proof, anchor);
    }
}
