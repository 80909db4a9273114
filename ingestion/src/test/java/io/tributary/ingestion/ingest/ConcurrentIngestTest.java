package io.tributary.ingestion.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.crypto.Address;
import io.tributary.core.crypto.KeyPair;
import io.tributary.core.id.ContributionId;
import io.tributary.core.lake.LakeTable;
import io.tributary.core.merkle.BatchLeaves;
import io.tributary.ingestion.datanet.DatanetCatalog;
import io.tributary.core.money.RewardPolicy;
import io.tributary.ingestion.lake.BatchJournal;
import io.tributary.ingestion.lake.Lake;
import io.tributary.ingestion.lake.TestLakes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands racing on one Datanet: ingests with overlapping inputs at once, queries opening the lake meanwhile,
 * and a reader of the lake in the middle of a batch. Nothing is lost, duplicated or credited to the wrong signer.
 */
class ConcurrentIngestTest {
    private static final KeyPair[] SIGNERS = {IngestJobTest.ALICE, IngestJobTest.BOB, IngestJobTest.CAROL};

    @TempDir
    Path directory;

    @Test
    void threeOverlappingIngestsAtOnceKeepEveryTextOnceWithUniqueOrders() throws Exception {
        Lake lake = createDatanet();
        // Texts 0-5, 3-8 and 0, 6, 9: every pair of inputs overlaps, each signed by its own contributor.
        int[][] texts = {{0, 1, 2, 3, 4, 5}, {3, 4, 5, 6, 7, 8}, {0, 6, 9}};
        List<String> inputs = new ArrayList<>();
        for (int signer = 0; signer < 3; signer++) {
            ContributionFiles file = new ContributionFiles(IngestJobTest.LEGAL);
            for (int text : texts[signer]) {
                file.signed(SIGNERS[signer], "Concurrent text number " + text + ".");
            }
            inputs.add(file.write(directory.resolve("in/" + signer + ".jsonl")).toString());
        }
        // All three have computed their rows from the same snapshot before any commits: the race the issue describes.
        CyclicBarrier allComputed = new CyclicBarrier(3);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicBoolean ingesting = new AtomicBoolean(true);
        AtomicInteger queries = new AtomicInteger();
        try {
            List<Future<IngestSummary>> ingests = new ArrayList<>();
            for (String input : inputs) {
                AtomicBoolean first = new AtomicBoolean(true);
                IngestJob.CommitHook hook = point -> {
                    if (point == IngestJob.CommitPoint.AFTER_JOURNAL && first.getAndSet(false)) {
                        try {
                            allComputed.await(2, TimeUnit.MINUTES);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                };
                ingests.add(pool.submit(() -> new IngestJob(lake, hook).run(IngestJobTest.LEGAL, List.of(input))));
            }
            Future<?> reader = pool.submit(() -> {
                while (ingesting.get()) {
                    // What `sql` does: open the lake (journal recovery included), then query.
                    Lake.open(lake.spark(), lake.config()).read(LakeTable.CONTRIBUTIONS).count();
                    queries.incrementAndGet();
                    Thread.sleep(500);
                }
                return null;
            });
            long accepted = 0;
            for (Future<IngestSummary> ingest : ingests) {
                accepted += ingest.get(5, TimeUnit.MINUTES).accepted();
            }
            ingesting.set(false);
            reader.get(2, TimeUnit.MINUTES);
            assertThat(accepted).isEqualTo(10);
        } finally {
            ingesting.set(false);
            pool.shutdownNow();
        }

        List<Row> rows = lake.read(LakeTable.CONTRIBUTIONS).select("contribution_id", "contributor", "ingest_order", "batch_id")
                .collectAsList();
        assertThat(rows).hasSize(10);
        assertThat(rows.stream().map(row -> row.getString(0)).distinct()).hasSize(10);
        assertThat(rows.stream().map(row -> row.getLong(2)).sorted().toList())
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(BatchJournal.of(lake).pending()).isEmpty();
        assertThat(queries.get()).isPositive();

        // Every row is credited to the signer of the input its batch read, and each batch's root covers its rows.
        Map<String, Row> batches = new HashMap<>();
        for (Row batch : lake.read(LakeTable.BATCHES).collectAsList()) {
            batches.put(batch.getString(batch.fieldIndex("batch_id")), batch);
        }
        Set<String> listed = new HashSet<>();
        for (Row batch : batches.values()) {
            List<String> ids = batch.getList(batch.fieldIndex("contribution_ids"));
            listed.addAll(ids);
            assertThat(batch.getString(batch.fieldIndex("merkle_root")))
                    .isEqualTo(BatchLeaves.tree(ids.stream().map(ContributionId::new).toList()).rootHex());
        }
        assertThat(listed).hasSize(10);
        for (Row row : rows) {
            Row batch = batches.get(row.getString(3));
            assertThat(batch).as("batch of %s", row.getString(0)).isNotNull();
            assertThat(batch.<String>getList(batch.fieldIndex("contribution_ids"))).contains(row.getString(0));
            String input = batch.<String>getList(batch.fieldIndex("inputs")).get(0);
            int signer = -1;
            for (int i = 0; i < inputs.size(); i++) {
                signer = input.endsWith(inputs.get(i)) ? i : signer;
            }
            assertThat(signer).as("input %s", input).isNotNegative();
            assertThat(row.getString(1)).as("contributor of %s", row.getString(0))
                    .isEqualTo(SIGNERS[signer].address().value());
        }
    }

    @Test
    void openingTheLakeDuringALiveBatchLeavesItAlone() {
        Lake lake = createDatanet();
        Path input = new ContributionFiles(IngestJobTest.LEGAL)
                .signed(IngestJobTest.ALICE, "Live batch text one.")
                .signed(IngestJobTest.BOB, "Live batch text two.")
                .write(directory.resolve("live.jsonl"));
        AtomicInteger pendingSeen = new AtomicInteger(-1);
        IngestJob.CommitHook openInTheMiddle = point -> {
            if (point == IngestJob.CommitPoint.AFTER_CONTRIBUTIONS) {
                // What `tributary sql` does first, from another command: open the lake (recovery runs).
                Lake other = Lake.open(lake.spark(), lake.config());
                pendingSeen.set(BatchJournal.of(other).pending().size());
            }
        };
        IngestSummary summary = new IngestJob(lake, openInTheMiddle).run(IngestJobTest.LEGAL, List.of(input.toString()));

        assertThat(pendingSeen.get()).isEqualTo(1);
        assertThat(summary.accepted()).isEqualTo(2);
        List<String> ids = lake.read(LakeTable.CONTRIBUTIONS).orderBy("ingest_order")
                .select("contribution_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        assertThat(ids).hasSize(2);
        Row batch = lake.read(LakeTable.BATCHES).head();
        assertThat(batch.getString(batch.fieldIndex("merkle_root")))
                .isEqualTo(BatchLeaves.tree(ids.stream().map(ContributionId::new).toList()).rootHex());
        assertThat(BatchJournal.of(lake).pending()).isEmpty();
    }

    private Lake createDatanet() {
        Lake lake = TestLakes.open(directory);
        new DatanetCatalog(lake).create(IngestJobTest.LEGAL, "Legal", "legal",
                Address.of("0x00000000000000000000000000000000000000aa"), new RewardPolicy(500, 1500, 8000));
        return lake;
    }
}
