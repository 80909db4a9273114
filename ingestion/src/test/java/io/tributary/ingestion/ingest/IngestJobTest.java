package io.tributary.ingestion.ingest;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.crypto.Address;
import io.tributary.core.crypto.KeyPair;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import io.tributary.core.lake.LakeTable;
import io.tributary.core.merkle.BatchLeaves;
import io.tributary.ingestion.datanet.DatanetCatalog;
import io.tributary.core.money.RewardPolicy;
import io.tributary.ingestion.lake.BatchJournal;
import io.tributary.ingestion.lake.Lake;
import io.tributary.ingestion.lake.TestLakes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IngestJobTest {
    static final DatanetId LEGAL = DatanetId.of("legal");
    static final KeyPair ALICE = KeyPair.fromSeed("alice");
    static final KeyPair BOB = KeyPair.fromSeed("bob");
    static final KeyPair CAROL = KeyPair.fromSeed("carol");

    @TempDir
    Path directory;

    Lake lake;

    @BeforeEach
    void createDatanet() {
        lake = TestLakes.open(directory);
        new DatanetCatalog(lake).create(LEGAL, "Legal", "legal", Address.of("0x00000000000000000000000000000000000000aa"),
                new RewardPolicy(500, 1500, 8000));
    }

    private IngestSummary ingest(Path... inputs) {
        return new IngestJob(lake).run(LEGAL, List.of(inputs).stream().map(Path::toString).toList());
    }

    static ContributionFiles badLines() {
        byte[] invalidUtf8 = ("{\"contributor\":\"" + ALICE.address() + "\",\"text\":\"caf\u00c3(\",\"license\":\"MIT\",\"signature\":\"0x00\"}")
                .getBytes(StandardCharsets.ISO_8859_1);
        return new ContributionFiles(LEGAL)
                .raw("{\"contributor\": \"" + ALICE.address() + "\", \"text\": ")
                .raw("{\"contributor\": \"" + ALICE.address() + "\", \"license\": \"MIT\", \"signature\": \"0x00\"}")
                .json(Map.of("contributor", "0xabc", "text", "t", "license", "MIT", "signature", "0x00"))
                .json(Map.of("contributor", ALICE.address().value(), "text", "forged", "license", "MIT",
                        "signature", io.tributary.core.crypto.ContributionSignature.sign(BOB, LEGAL, ContributionId.ofText("forged"), "MIT")))
                .json(Map.of("contributor", ALICE.address().value(), "text", "", "license", "MIT", "signature", "0x00"))
                .json(Map.of("contributor", ALICE.address().value(), "text", "y".repeat(4097), "license", "MIT",
                        "signature", io.tributary.core.crypto.ContributionSignature.sign(ALICE, LEGAL, ContributionId.ofText("y".repeat(4097)), "MIT")))
                .raw(invalidUtf8)
                .json(Map.of("contributor", ALICE.address().value(), "text", "licensed oddly", "license", "Not-SPDX",
                        "signature", io.tributary.core.crypto.ContributionSignature.sign(ALICE, LEGAL, ContributionId.ofText("licensed oddly"), "Not-SPDX")));
    }

    @Test
    void acceptsDeduplicatesAndQuarantinesWithExactAccounting() {
        Path first = new ContributionFiles(LEGAL)
                .signed(ALICE, "The first text.")
                .signed(BOB, "The second text.")
                .signed(CAROL, "The first text.")
                .write(directory.resolve("in/a.jsonl"));
        Path bad = badLines().write(directory.resolve("in/bad.jsonl"));
        Path nested = new ContributionFiles(LEGAL).signed(BOB, "A third text, compressed.")
                .write(directory.resolve("in/more/b.jsonl.gz"));

        IngestSummary summary = ingest(first, bad, nested.getParent());

        assertThat(summary.read()).isEqualTo(12);
        assertThat(summary.accepted()).isEqualTo(3);
        assertThat(summary.duplicates()).isEqualTo(1);
        assertThat(summary.quarantined()).isEqualTo(8);
        assertThat(summary.read()).isEqualTo(summary.accepted() + summary.duplicates() + summary.quarantined());
        assertThat(summary.reasons()).containsEntry("malformed_json", 1L).containsEntry("missing_field", 1L)
                .containsEntry("bad_address", 1L).containsEntry("bad_signature", 1L).containsEntry("empty_text", 1L)
                .containsEntry("text_too_large", 1L).containsEntry("invalid_utf8", 1L).containsEntry("bad_license", 1L)
                .containsEntry("unknown_datanet", 0L);

        List<Row> contributions = lake.read(LakeTable.CONTRIBUTIONS).orderBy("ingest_order").collectAsList();
        assertThat(contributions).extracting(row -> row.<String>getAs("text"))
                .containsExactly("The first text.", "The second text.", "A third text, compressed.");
        assertThat(contributions.get(0).<String>getAs("contributor")).isEqualTo(ALICE.address().value());
        assertThat(contributions).extracting(row -> row.<Long>getAs("ingest_order")).containsExactly(0L, 1L, 2L);
        assertThat(contributions.get(0).<String>getAs("contribution_id"))
                .isEqualTo(ContributionId.ofText("The first text.").hex());

        List<Row> quarantine = lake.read(LakeTable.QUARANTINE).orderBy("line").collectAsList();
        assertThat(quarantine).hasSize(8);
        assertThat(quarantine).allSatisfy(row -> assertThat(row.<String>getAs("source_file")).endsWith("bad.jsonl"));
        Row invalid = quarantine.stream().filter(row -> row.<String>getAs("reason").equals("invalid_utf8")).findFirst().orElseThrow();
        assertThat(invalid.<Long>getAs("line")).isEqualTo(7L);
        assertThat((byte[]) invalid.getAs("raw")).containsSubsequence((byte) 0xC3, (byte) '(');

        Row batch = lake.read(LakeTable.BATCHES).head();
        assertThat(batch.<String>getAs("batch_id")).isEqualTo(summary.batchId());
        assertThat(batch.<Long>getAs("accepted")).isEqualTo(3L);
        assertThat(batch.getList(batch.fieldIndex("contribution_ids"))).containsExactlyElementsOf(contributions.stream()
                .map(row -> row.<String>getAs("contribution_id")).toList());
        assertThat(batch.<String>getAs("merkle_root")).isEqualTo(BatchLeaves.tree(contributions.stream()
                .map(row -> new ContributionId(row.getAs("contribution_id"))).toList()).rootHex());
    }

    @Test
    void aLaterBatchCannotTakeTheCreditOfAnEarlierOne() {
        ingest(new ContributionFiles(LEGAL).signed(ALICE, "Shared knowledge.").write(directory.resolve("one.jsonl")));
        IngestSummary second = ingest(new ContributionFiles(LEGAL)
                .signed(BOB, "Shared knowledge.")
                .signed(BOB, "Bob's own text.")
                .write(directory.resolve("two.jsonl")));

        assertThat(second.accepted()).isEqualTo(1);
        assertThat(second.duplicates()).isEqualTo(1);
        Row shared = lake.read(LakeTable.CONTRIBUTIONS).filter(col("text").equalTo("Shared knowledge.")).head();
        assertThat(shared.<String>getAs("contributor")).isEqualTo(ALICE.address().value());
        Row own = lake.read(LakeTable.CONTRIBUTIONS).filter(col("text").equalTo("Bob's own text.")).head();
        assertThat(own.<Long>getAs("ingest_order")).isEqualTo(1L);
        assertThat(lake.read(LakeTable.BATCHES).count()).isEqualTo(2);
    }

    @Test
    void reingestingTheSameInputChangesNothing() {
        Path input = new ContributionFiles(LEGAL).signed(ALICE, "Once.").signed(BOB, "Twice.").write(directory.resolve("x.jsonl"));
        Path bad = badLines().write(directory.resolve("bad.jsonl"));
        IngestSummary first = ingest(input, bad);
        long[] versions = versions();

        IngestSummary again = ingest(input, bad);

        assertThat(again.accepted()).isZero();
        assertThat(again.duplicates()).isEqualTo(first.accepted());
        assertThat(again.quarantined()).isEqualTo(first.quarantined());
        assertThat(again.newlyQuarantined()).isZero();
        assertThat(again.batchId()).isNull();
        assertThat(versions()).containsExactly(versions);
        assertThat(lake.read(LakeTable.QUARANTINE).count()).isEqualTo(8);
    }

    @Test
    void linesForAnUnknownDatanetAreAllQuarantined() {
        Path input = new ContributionFiles(DatanetId.of("medical")).signed(ALICE, "Dose.").raw("{oops")
                .write(directory.resolve("m.jsonl"));
        IngestSummary summary = new IngestJob(lake).run(DatanetId.of("medical"), List.of(input.toString()));
        assertThat(summary.quarantined()).isEqualTo(2);
        assertThat(summary.reasons()).containsEntry("unknown_datanet", 2L);
        assertThat(lake.read(LakeTable.CONTRIBUTIONS).count()).isZero();
        assertThat(lake.read(LakeTable.QUARANTINE).filter(col("datanet").equalTo("medical")).count()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(IngestJob.CommitPoint.class)
    void aFailureMidBatchLeavesEveryTableAsItWas(IngestJob.CommitPoint failAt) {
        ingest(new ContributionFiles(LEGAL).signed(ALICE, "Before.").write(directory.resolve("before.jsonl")));
        List<String> before = contents();
        Path input = new ContributionFiles(LEGAL).signed(BOB, "During.").raw("{bad").write(directory.resolve("during.jsonl"));

        IngestJob failing = new IngestJob(lake, point -> {
            if (point == failAt) {
                throw new IllegalStateException("injected failure at " + point);
            }
        });
        assertThatThrownBy(() -> failing.run(LEGAL, List.of(input.toString()))).hasMessageContaining("injected failure");

        assertThat(contents()).isEqualTo(before);
        assertThat(BatchJournal.of(lake).pending()).isEmpty();
        IngestSummary retried = ingest(input);
        assertThat(retried.accepted()).isEqualTo(1);
        assertThat(retried.newlyQuarantined()).isEqualTo(1);
    }

    long[] versions() {
        return new long[] {lake.version(LakeTable.CONTRIBUTIONS), lake.version(LakeTable.QUARANTINE), lake.version(LakeTable.BATCHES)};
    }

    List<String> contents() {
        return List.of(
                lake.read(LakeTable.CONTRIBUTIONS).drop("ingested_at").orderBy("contribution_id").collectAsList().toString(),
                lake.read(LakeTable.QUARANTINE).drop("raw", "quarantined_at").orderBy("quarantine_id").collectAsList().toString(),
                lake.read(LakeTable.BATCHES).drop("created_at").orderBy("batch_id").collectAsList().toString());
    }
}
