package io.tributary.ingestion.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.crypto.Address;
import io.tributary.core.crypto.KeyPair;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import io.tributary.core.merkle.BatchLeaves;
import io.tributary.core.lake.LakeTable;
import io.tributary.core.money.RewardPolicy;
import io.tributary.ingestion.datanet.DatanetCatalog;
import io.tributary.ingestion.lake.Lake;
import io.tributary.ingestion.lake.TestLakes;
import io.tributary.lake.spark.DriverResultMeter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ingest's ordering, id checks and batch record are computed in Spark: what tasks send back to the driver
 * stays bounded however many lines a batch has, and the batch is the same one the driver-side code wrote.
 */
class IngestDriverResultsTest {
    static final DatanetId LEGAL = DatanetId.of("legal");
    static final KeyPair[] CONTRIBUTORS = {KeyPair.fromSeed("alice"), KeyPair.fromSeed("bob"), KeyPair.fromSeed("carol")};
    /**
     * Far below what one row per line costs: 3,000 new ids (64 hex digits each) and 3,000 quarantine ids are
     * over 380 KB before any row overhead, while a stage of this test's few tasks returns a few KB of counts.
     */
    static final long DRIVER_BYTES_BOUND = 96 * 1024;

    @TempDir
    Path directory;

    Lake lake;

    @BeforeEach
    void createDatanet() {
        lake = TestLakes.open(directory);
        new DatanetCatalog(lake).create(LEGAL, "Legal", "legal", Address.of("0x00000000000000000000000000000000000000aa"),
                new RewardPolicy(500, 1500, 8000));
    }

    @Test
    void aLargeBatchSendsOnlyABoundedSummaryToTheDriver() {
        List<String> inputs = new ArrayList<>();
        for (int file = 0; file < 3; file++) {
            ContributionFiles lines = new ContributionFiles(LEGAL);
            for (int line = 0; line < 1_000; line++) {
                // A text twice in one file (a duplicate within the batch) and a broken line per contribution.
                lines.signed(CONTRIBUTORS[line % 3], "Contribution " + line + " of file " + file + ".");
                if (line % 100 == 0) {
                    lines.signed(CONTRIBUTORS[(line + 1) % 3], "Contribution " + line + " of file " + file + ".");
                }
                lines.raw("{\"broken\": " + file + "-" + line);
            }
            inputs.add(lines.write(directory.resolve("in/part-" + file + ".jsonl")).toString());
        }

        IngestSummary summary;
        long largest;
        try (DriverResultMeter meter = DriverResultMeter.attach(lake.spark())) {
            summary = new IngestJob(lake).run(LEGAL, inputs);
            largest = meter.largestStageBytes();
        }

        assertThat(summary.accepted()).isEqualTo(3_000);
        assertThat(summary.duplicates()).isEqualTo(30);
        assertThat(summary.newlyQuarantined()).isEqualTo(3_000);
        assertThat(largest).as("bytes one stage's tasks returned to the driver").isLessThan(DRIVER_BYTES_BOUND);
        List<Row> orders = lake.read(LakeTable.CONTRIBUTIONS).select("ingest_order").orderBy("ingest_order").collectAsList();
        for (int i = 0; i < orders.size(); i++) {
            assertThat(orders.get(i).getLong(0)).isEqualTo(i);
        }
    }

    /**
     * Ingest orders follow the batch order (files as given, then lines), the first submitter of a text keeps it,
     * and the batch record's id, Merkle root and id list follow from the rows it commits: checked against a
     * plain walk over the input lines.
     */
    @Test
    void ingestOrdersAndTheBatchRecordFollowTheInput() {
        ContributionFiles first = new ContributionFiles(LEGAL);
        ContributionFiles second = new ContributionFiles(LEGAL);
        Map<String, String> firstSubmitter = new LinkedHashMap<>();
        List<String[]> secondLines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String text = "Text " + (i * 7 % 40) + " about licences.";
            first.signed(CONTRIBUTORS[i % 3], text);
            firstSubmitter.putIfAbsent(text, CONTRIBUTORS[i % 3].address().value());
            secondLines.add(new String[] {"Text " + (i * 3 % 50) + " about licences.", CONTRIBUTORS[(i + 1) % 3].address().value()});
            second.signed(CONTRIBUTORS[(i + 1) % 3], secondLines.get(i)[0]);
            if (i % 9 == 0) {
                first.raw("{not json " + i);
            }
        }
        secondLines.forEach(line -> firstSubmitter.putIfAbsent(line[0], line[1]));
        List<String> inputs = List.of(first.write(directory.resolve("in/b.jsonl")).toString(),
                second.write(directory.resolve("in/a.jsonl")).toString());

        IngestSummary summary = new IngestJob(lake).run(LEGAL, inputs);

        assertThat(summary.accepted()).isEqualTo(firstSubmitter.size()).isEqualTo(47);
        assertThat(summary.newlyQuarantined()).isEqualTo(5);
        List<Row> contributions = lake.read(LakeTable.CONTRIBUTIONS).select("contribution_id", "ingest_order", "contributor")
                .orderBy("ingest_order").collectAsList();
        List<String> expected = new ArrayList<>();
        firstSubmitter.forEach((text, contributor) ->
                expected.add(ContributionId.ofText(text).hex() + "|" + expected.size() + "|" + contributor));
        assertThat(contributions).extracting(row -> row.mkString("|")).containsExactlyElementsOf(expected);
        List<ContributionId> ids = contributions.stream().map(row -> new ContributionId(row.getString(0))).toList();
        List<String> quarantineIds = lake.read(LakeTable.QUARANTINE).select("quarantine_id").orderBy("quarantine_id")
                .collectAsList().stream().map(row -> row.getString(0)).toList();
        assertThat(summary.batchId()).isEqualTo(IngestJob.batchId(LEGAL, ids, quarantineIds));
        assertThat(summary.merkleRoot()).isEqualTo(BatchLeaves.tree(ids).rootHex());
        assertThat(lake.read(LakeTable.CONTRIBUTIONS).select("batch_id").distinct().collectAsList())
                .extracting(row -> row.getString(0)).containsExactly(summary.batchId());
        assertThat(lake.read(LakeTable.QUARANTINE).select("batch_id").distinct().collectAsList())
                .extracting(row -> row.getString(0)).containsExactly(summary.batchId());
        Row batch = lake.read(LakeTable.BATCHES).head();
        assertThat(batch.<String>getAs("batch_id")).isEqualTo(summary.batchId());
        assertThat(batch.<String>getAs("merkle_root")).isEqualTo(summary.merkleRoot());
        assertThat(batch.getList(batch.fieldIndex("contribution_ids"))).containsExactlyElementsOf(
                ids.stream().map(ContributionId::hex).toList());
        assertThat(List.of(batch.<Long>getAs("read"), batch.<Long>getAs("accepted"), batch.<Long>getAs("duplicates"),
                batch.<Long>getAs("quarantined"))).containsExactly(85L, 47L, 33L, 5L);
        // Inputs are recorded as qualified URIs (file:/...), in the order given.
        assertThat(batch.<String>getList(batch.fieldIndex("inputs"))).hasSize(2)
                .satisfies(recorded -> assertThat(recorded.get(0)).endsWith(inputs.get(0)))
                .satisfies(recorded -> assertThat(recorded.get(1)).endsWith(inputs.get(1)));
    }
}
