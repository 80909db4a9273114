package io.tributary.operations.audit;

import static io.tributary.operations.AttributionLakeFixture.ALICE;
import static io.tributary.operations.AttributionLakeFixture.BOB;
import static io.tributary.operations.AttributionLakeFixture.CLOSED;
import static io.tributary.operations.AttributionLakeFixture.OPEN;
import static io.tributary.operations.AttributionLakeFixture.SETTLED;
import static io.tributary.operations.AttributionLakeFixture.TEXT_A1;
import static io.tributary.operations.AttributionLakeFixture.TEXT_B1;
import static io.tributary.operations.AttributionLakeFixture.contributionId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.operations.AttributionLakeFixture;
import io.tributary.operations.OperationsMain;
import io.tributary.operations.audit.AuditWalk.ContributionTrail;
import io.tributary.operations.audit.AuditWalk.PaidInference;
import io.tributary.operations.lake.AttributionFigures;
import io.tributary.operations.lake.AttributionFigures.DatanetFigures;
import io.tributary.operations.lake.AttributionFigures.EpochFigures;
import io.tributary.operations.lake.AttributionFigures.Overview;
import io.tributary.operations.lake.LakeReader;
import io.tributary.lake.kernel.KernelTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The audit walk and the dashboard's figures over a lake with known epochs (real Delta tables, real signatures and proofs). */
class AuditorTest {
    @TempDir
    static Path directory;
    static AttributionLakeFixture fixture;
    static AttributionLakeFixture.Written written;
    static LakeReader lake;

    @BeforeAll
    static void writeLake() {
        fixture = new AttributionLakeFixture(directory.resolve("lake"));
        written = fixture.write();
        lake = new LakeReader(KernelTable.engine(Map.of()), fixture.lake());
    }

    @Test
    void walksASettledPayoutBackToItsSpansContributionsAndAnchors() {
        AuditWalk walk = new Auditor(lake).walk(ALICE.address(), SETTLED);

        assertThat(walk.payout().amountWei()).isEqualTo("1600000"); // 800,000 (fixture-1) + 800,000 (half of fixture-2's pool)
        assertThat(walk.payout().streamWei()).isEqualTo("1600000");
        assertThat(walk.payout().proofValid()).isTrue();
        assertThat(walk.payout().claim().tx()).isEqualTo(written.claimTx());
        assertThat(walk.epochState().status()).isEqualTo("settled");
        assertThat(walk.epochState().tx()).isEqualTo(written.settlementTx());
        assertThat(walk.epochState().roles()).extracting(AuditWalk.RoleWei::role, AuditWalk.RoleWei::wei)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("contributor", "1600000"));

        assertThat(walk.inferences()).extracting(PaidInference::inferenceId).containsExactlyInAnyOrder("fixture-1", "fixture-2");
        PaidInference shared = walk.inferences().stream().filter(inference -> inference.inferenceId().equals("fixture-2")).findFirst().orElseThrow();
        assertThat(shared.credits()).singleElement().satisfies(credit -> {
            assertThat(credit.text()).isEqualTo(TEXT_A1.substring(10, 50));
            assertThat(credit.contributionId()).isEqualTo(contributionId(TEXT_A1));
        });
        // The completion shows the account's span marked and bob's span as another's.
        assertThat(shared.segments()).filteredOn(segment -> "account".equals(segment.mark()))
                .extracting(CompletionSpans.Segment::text).containsExactly(TEXT_A1.substring(10, 50));
        assertThat(shared.segments()).filteredOn(segment -> "other".equals(segment.mark()))
                .extracting(CompletionSpans.Segment::text).containsExactly(TEXT_B1.substring(0, 40));

        ContributionTrail trail = walk.contributions().get(0);
        assertThat(trail.contributionId()).isEqualTo(contributionId(TEXT_A1));
        assertThat(trail.contributor()).isEqualTo(ALICE.address().value());
        assertThat(trail.signatureValid()).isTrue();
        assertThat(trail.idMatchesText()).isTrue();
        assertThat(trail.batch().rootRecomputed()).isTrue();
        assertThat(trail.batch().containsContribution()).isTrue();
        assertThat(trail.batch().anchor().tx()).isEqualTo(written.anchorTxByBatch().get(trail.batch().batchId()));
        assertThat(trail.batch().anchor().rootMatches()).isTrue();
    }

    @Test
    void anOpenEpochShowsTheRunningAttributionsWithoutAPayout() {
        AuditWalk walk = new Auditor(lake).walk(ALICE.address(), OPEN);

        assertThat(walk.payout()).isNull();
        assertThat(walk.epochState().status()).isEqualTo("open");
        assertThat(walk.inferences()).extracting(PaidInference::inferenceId).contains("fixture-7");
        assertThat(walk.notes()).anySatisfy(note -> assertThat(note).contains("not settled on chain yet"));
    }

    @Test
    void anAccountWithoutPayoutIsRefusedWithTheEpochsItWasPaidIn() {
        assertThatThrownBy(() -> new Auditor(lake).walk(BOB.address(), SETTLED - 1))
                .isInstanceOf(AuditException.class)
                .hasMessageContaining("no payout in epoch " + (SETTLED - 1))
                .hasMessageContaining("[" + SETTLED + ", " + CLOSED + "]");
        assertThatThrownBy(() -> Auditor.account("0x12")).isInstanceOf(AuditException.class).hasMessageContaining("not a 0x address");
    }

    @Test
    void aTamperedAmountFailsTheProof(@TempDir Path other) {
        AttributionLakeFixture tampered = new AttributionLakeFixture(other.resolve("lake"));
        tampered.write();
        tampered.tamperPayout(SETTLED, BOB.address());

        AuditWalk walk = new Auditor(new LakeReader(KernelTable.engine(Map.of()), tampered.lake())).walk(BOB.address(), SETTLED);

        assertThat(walk.payout().amountWei()).isEqualTo("800001");
        assertThat(walk.payout().proofValid()).isFalse();
        assertThat(walk.payout().matchesStream()).isFalse();
        assertThat(walk.notes()).anySatisfy(note -> assertThat(note).contains("does NOT verify"));
    }

    @Test
    void figuresSumFeesAndEarningsPerDatanetEpochAndAdapterToTheWei() {
        AttributionFigures figures = new AttributionFigures(lake);
        Overview overview = figures.overview(figures.versions());

        DatanetFigures legal = overview.datanets().stream().filter(datanet -> datanet.datanet().equals("legal")).findFirst().orElseThrow();
        assertThat(legal.name()).isEqualTo("Legal texts");
        EpochFigures legalSettled = legal.epochs().stream().filter(epoch -> epoch.epoch() == SETTLED).findFirst().orElseThrow();
        assertThat(legalSettled.feesWei()).isEqualTo("3000000");
        assertThat(legalSettled.contributorsWei()).isEqualTo("2400000");
        assertThat(legalSettled.creatorWei()).isEqualTo("450000");
        assertThat(legalSettled.protocolWei()).isEqualTo("150000");
        assertThat(legalSettled.conserved()).isTrue();
        assertThat(legalSettled.status()).isEqualTo("settled");
        assertThat(legalSettled.contributors()).extracting(AttributionFigures.AccountWei::account, AttributionFigures.AccountWei::wei)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ALICE.address().value(), "1600000"),
                        org.assertj.core.groups.Tuple.tuple(BOB.address().value(), "800000"));
        assertThat(overview.epochs()).extracting(AttributionFigures.EpochSummary::epoch, AttributionFigures.EpochSummary::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(OPEN, "open"), org.assertj.core.groups.Tuple.tuple(CLOSED, "closed"),
                        org.assertj.core.groups.Tuple.tuple(SETTLED, "settled"));
        // Every epoch's fees are the sum of what the fixture owed to every account in it.
        for (AttributionFigures.EpochSummary epoch : overview.epochs()) {
            BigInteger owed = written.owedByEpoch().get(epoch.epoch()).values().stream().reduce(BigInteger.ZERO, BigInteger::add);
            assertThat(epoch.feesWei()).isEqualTo(owed.toString());
        }
        assertThat(overview.adapters()).filteredOn(adapter -> adapter.datanet().equals("legal")).singleElement()
                .satisfies(adapter -> {
                    assertThat(adapter.inferences()).isEqualTo(4);
                    assertThat(adapter.feesWei()).isEqualTo("7000000");
                    assertThat(adapter.name()).isEqualTo("legal-v1");
                });
        assertThat(overview.rejections().total()).isEqualTo(2);
        assertThat(overview.contributors().get(0).account()).isEqualTo(ALICE.address().value());
        assertThat(overview.contributors().get(0).totalWei()).isEqualTo("3200000"); // 1.6M (settled) + 0.8M (closed) + 0.8M (open)

        AttributionFigures.ContributorDetail bob = figures.contributor(BOB.address().value());
        assertThat(bob.figures().epochs()).extracting(AttributionFigures.EpochWei::epoch, AttributionFigures.EpochWei::wei)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SETTLED, "800000"), org.assertj.core.groups.Tuple.tuple(CLOSED, "2400000"));
        assertThat(bob.spans()).extracting(AttributionFigures.EarnedSpan::text).contains(TEXT_B1.substring(5, 45));
    }

    @Test
    void theAuditCommandPrintsTheWalkAsJsonAndText() {
        String json = run("audit", "--lake", fixture.lake(), "--account", ALICE.address().value().toUpperCase().replace("0X", "0x"),
                "--epoch", Long.toString(SETTLED), "--json");
        assertThat(json).contains("\"proof_valid\" : true").contains("\"amount_wei\" : \"1600000\"")
                .contains(written.anchorTxByBatch().values().iterator().next());
        String text = run("audit", "--lake", fixture.lake(), "--account", ALICE.address().value(), "--epoch", Long.toString(SETTLED));
        assertThat(text).contains("payout #").contains(": VALID").contains("signature VALID").contains("\u00bb" + TEXT_A1.substring(0, 40) + "\u00ab");
    }

    private static String run(String... arguments) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new OperationsMain()).execute(arguments);
            assertThat(exit).isZero();
        } finally {
            System.setOut(previous);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

}
