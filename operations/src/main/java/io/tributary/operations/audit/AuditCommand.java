package io.tributary.operations.audit;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.operations.audit.AuditWalk.ContributionTrail;
import io.tributary.operations.audit.AuditWalk.PaidInference;
import io.tributary.operations.audit.AuditWalk.SpanCredit;
import io.tributary.operations.lake.LakeReader;
import io.tributary.operations.lake.OperationsJson;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code audit --account 0x... --epoch N}: a payout walked back to the contributions and chain anchors behind it. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Walk a payout back: epoch and Merkle proof, the inferences that paid it, the traced spans, "
                + "the contributions and their signatures, their batches and anchor transactions.")
public final class AuditCommand implements Callable<Integer> {
    /** Inferences printed in full in the human output; --json has all of them. */
    private static final int PRINTED_INFERENCES = 5;

    @Mixin
    GlobalOptions global;

    @Option(names = "--account", required = true, paramLabel = "0x...", description = "The paid account (contributor, creator or treasury).")
    String account;

    @Option(names = "--epoch", required = true, paramLabel = "N", description = "The epoch id (as the stream and settle name it).")
    long epoch;

    @Override
    public Integer call() {
        AuditWalk walk = new Auditor(LakeReader.of(global.config())).walk(Auditor.account(account), epoch);
        CommandOutput.of(global).print(OperationsJson.tree(walk), () -> text(walk));
        return 0;
    }

    /** The walk as a person reads it, one step per paragraph. */
    public static String text(AuditWalk walk) {
        StringBuilder out = new StringBuilder();
        out.append("audit of ").append(walk.account()).append(" in epoch ").append(walk.epoch()).append('\n');
        AuditWalk.EpochState epoch = walk.epochState();
        out.append("epoch ").append(walk.epoch()).append(": ").append(epoch.status());
        if (epoch.start() != null) {
            out.append(", ").append(epoch.start()).append(" .. ").append(epoch.end()).append(", ").append(epoch.inferences())
                    .append(" inferences, fees ").append(epoch.feesWei()).append(" wei, inference root ").append(epoch.inferencesRoot());
        }
        if (epoch.tx() != null) {
            out.append(", posted in tx ").append(epoch.tx()).append(" (block ").append(epoch.block()).append(")");
        }
        out.append('\n');
        epoch.roles().forEach(role -> out.append("  stream owes as ").append(role.role()).append(": ").append(role.wei()).append(" wei\n"));
        if (walk.payout() != null) {
            AuditWalk.Payout payout = walk.payout();
            out.append("payout #").append(payout.index()).append(": ").append(payout.amountWei()).append(" wei")
                    .append(payout.matchesStream() ? " (= stream's epoch_payouts)" : "")
                    .append("; Merkle proof of ").append(payout.proof().size()).append(" hashes against root ").append(payout.root())
                    .append(payout.proofValid() ? ": VALID" : ": INVALID").append('\n');
            if (payout.claim() != null) {
                out.append("  claimed in tx ").append(payout.claim().tx()).append(" (block ").append(payout.claim().block()).append(")\n");
            }
        }
        out.append(walk.inferences().size()).append(" inferences paid this account");
        out.append(walk.inferences().size() > PRINTED_INFERENCES ? " (largest " + PRINTED_INFERENCES + " shown; --json has all)\n" : "\n");
        for (PaidInference inference : walk.inferences().subList(0, Math.min(PRINTED_INFERENCES, walk.inferences().size()))) {
            out.append("  inference ").append(inference.inferenceId()).append(" (").append(inference.servedAt()).append(", adapter ")
                    .append(shortId(inference.adapterId())).append(", fee ").append(inference.feeWei()).append(" wei): ")
                    .append(inference.weiToAccount()).append(" wei to the account; record hash ").append(inference.recordHash())
                    .append('\n');
            for (SpanCredit credit : inference.credits()) {
                out.append("    ").append(credit.kind());
                if (credit.spanStart() != null) {
                    out.append(" tokens [").append(credit.spanStart()).append(", ").append(credit.spanEnd()).append(")");
                }
                if (credit.contributionId() != null) {
                    out.append(" of contribution ").append(shortId(credit.contributionId()));
                }
                out.append(": ").append(credit.wei()).append(" wei");
                if (credit.text() != null) {
                    out.append("\n      \u00bb").append(oneLine(credit.text())).append("\u00ab");
                }
                out.append('\n');
            }
        }
        out.append(walk.contributions().size()).append(" contributions credited\n");
        for (ContributionTrail trail : walk.contributions()) {
            out.append("  contribution ").append(trail.contributionId()).append(" (Datanet ").append(trail.datanet()).append(")\n")
                    .append("    contributor ").append(trail.contributor()).append(", signature ")
                    .append(trail.signatureValid() ? "VALID" : "INVALID").append(", id = sha256(text): ").append(trail.idMatchesText() ? "yes" : "NO")
                    .append('\n');
            if (trail.batch() != null) {
                AuditWalk.Batch batch = trail.batch();
                out.append("    batch ").append(batch.batchId()).append(", root ").append(batch.merkleRoot())
                        .append(batch.rootRecomputed() ? " (recomputed)" : " (MISMATCH)").append('\n');
                out.append("    anchor: ").append(batch.anchor() == null ? "not anchored yet"
                        : "tx " + batch.anchor().tx() + " (block " + batch.anchor().block() + ", chain " + batch.anchor().chainId() + ")"
                        + (batch.anchor().rootMatches() ? "" : " ROOT MISMATCH")).append('\n');
            }
        }
        walk.notes().forEach(note -> out.append("note: ").append(note).append('\n'));
        return out.toString().stripTrailing();
    }

    private static String shortId(String id) {
        return id == null || id.isEmpty() ? "(base model)" : id.length() > 16 ? id.substring(0, 16) : id;
    }

    private static String oneLine(String text) {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() > 160 ? flat.substring(0, 157) + "..." : flat;
    }
}
