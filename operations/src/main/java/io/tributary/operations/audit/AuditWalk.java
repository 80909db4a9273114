package io.tributary.operations.audit;

import io.tributary.operations.audit.CompletionSpans.Segment;
import java.time.Instant;
import java.util.List;

/**
 * One payout walked back to its sources: payout -> epoch and Merkle proof -> the inferences that paid it -> the
 * traced spans in their completions -> the contributions, contributors and signatures -> their batches and the
 * batches' anchor transactions. Every check it reports ({@code proofValid}, {@code signatureValid}, ...) was
 * recomputed from the lake's rows, not copied from them. Wei are decimal strings.
 */
public record AuditWalk(String account, long epoch, Payout payout, EpochState epochState, List<PaidInference> inferences,
                        List<ContributionTrail> contributions, List<String> notes) {

    /** The settled payout (null until the epoch is posted) beside what the stream computed for the account. */
    public record Payout(long index, String amountWei, String streamWei, boolean matchesStream, String root, List<String> proof,
                         boolean proofValid, long chainId, String distributor, Claim claim) {}

    public record Claim(String tx, Long block, Instant claimedAt) {}

    /** The account's wei in the epoch for one role (contributor, creator, protocol), from {@code epoch_payouts}. */
    public record RoleWei(String role, String wei) {}

    /**
     * The epoch as the stream closed it (bounds, inferences, fees, inference root; null while open) and as settlement
     * posted it (status {@code prepared|sent|posted}, root, transaction; null before).
     */
    public record EpochState(String status, Instant start, Instant end, Long inferences, String feesWei, String inferencesRoot,
                             String settlementStatus, String root, String tx, Long block, Integer accounts, String totalWei,
                             List<RoleWei> roles) {}

    /**
     * An inference whose fee paid the account, with the attributions rows that did, and its completion cut for display;
     * {@code recordHash} is its leaf in the epoch's inference root ({@code epochState.inferencesRoot}).
     */
    public record PaidInference(String inferenceId, Instant servedAt, String adapterId, String datanet, String feeWei,
                                String weiToAccount, String recordHash, String tokenizer, List<SpanCredit> credits,
                                List<Segment> segments) {}

    /** One attributions row of the account: a span (offsets in tokens and characters, and the text), a prior, or a role share. */
    public record SpanCredit(String kind, Integer spanStart, Integer spanEnd, Integer charStart, Integer charEnd, String text,
                             String contributionId, String wei, double creditedTokens) {}

    /** A credited contribution: who signed it (checked), the batch that holds it (root recomputed) and its anchor. */
    public record ContributionTrail(String contributionId, String datanet, String contributor, String signature,
                                    boolean signatureValid, boolean idMatchesText, String license, Instant ingestedAt,
                                    String excerpt, Batch batch) {}

    /** The ingestion batch and its on-chain anchor (null when not anchored yet). */
    public record Batch(String batchId, String merkleRoot, boolean rootRecomputed, boolean containsContribution,
                        List<String> proof, Anchor anchor) {}

    public record Anchor(String tx, Long block, Long chainId, String registry, boolean rootMatches, Instant anchoredAt) {}
}
