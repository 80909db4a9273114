package io.tributary.indexing.dedup;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.indexing.SparkLake;
import io.tributary.core.hash.Hashing;
import io.tributary.core.id.DatanetId;
import io.tributary.core.lake.LakeTable;
import io.tributary.lake.spark.DriverResultMeter;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dedup clusters its verified pairs in Spark: what tasks send back to the driver stays bounded however many
 * pairs there are, and the corpus rows are the ones the driver-side clustering wrote.
 */
class DedupDriverResultsTest {
    /**
     * Far below one row per verified pair: the corpus below verifies 32,500 pairs (16 bytes
     * of ingest orders each before row overhead), while a stage of this test's few tasks returns a few KB.
     */
    static final long DRIVER_BYTES_BOUND = 96 * 1024;
    /**
     * The corpus rows of the fixed input below as the driver-side clustering (commit f3e2636) wrote them; both rules
     * agree on this input.
     */
    static final String CORPUS_DIGEST = "7a5c828cc38aff07431d7fb34d56168bc54b4a0f359d9683668041ac5942490f";

    @RegisterExtension
    static final SparkLake LAKE = new SparkLake("dedup-driver-results-test");

    @Test
    void manyVerifiedPairsSendOnlyABoundedSummaryToTheDriver() {
        DatanetId datanet = DatanetId.of("many-pairs");
        // 100 clusters of 26 texts that differ only in their last word: every pair in a cluster is verified.
        Random random = new Random(11);
        List<String> texts = new ArrayList<>();
        for (int source = 0; source < 100; source++) {
            String text = SampleText.words(random, 30);
            for (int copy = 0; copy <= 25; copy++) {
                texts.add(text + " closing" + copy);
            }
        }
        SyntheticContributions.append(LAKE.spark(), LAKE.lakeRoot(), datanet, texts);

        DedupSummary summary;
        long largest;
        try (DriverResultMeter meter = DriverResultMeter.attach(LAKE.spark())) {
            summary = new Deduplicator(LAKE.spark(), LAKE.lakeRoot(), DedupSettings.from(LAKE.config())).run(datanet, OptionalLong.empty());
            largest = meter.largestStageBytes();
        }

        assertThat(summary.verifiedPairs()).isEqualTo(100 * 26 * 25 / 2);
        assertThat(summary.nearDuplicates()).isEqualTo(100 * 25);
        assertThat(largest).as("bytes one stage's tasks returned to the driver").isLessThan(DRIVER_BYTES_BOUND);
    }

    /**
     * Both clustering rules give the corpus rows the driver-side clustering gave on this input (digests recorded
     * from it at commit f3e2636): the clusters are computed per connected component now, by the same rules.
     */
    @Test
    void theCorpusIsTheOneTheDriverSideClusteringWrote() {
        List<String> texts = planted(new Random(5), 40, 5, 50);
        DedupSettings defaults = DedupSettings.from(LAKE.config());
        DatanetId earliest = DatanetId.of("earliest-canonical");
        SyntheticContributions.append(LAKE.spark(), LAKE.lakeRoot(), earliest, texts);
        DedupSummary first = new Deduplicator(LAKE.spark(), LAKE.lakeRoot(), withClustering(defaults, Clustering.EARLIEST_CANONICAL))
                .run(earliest, OptionalLong.empty());
        DatanetId components = DatanetId.of("connected-components");
        SyntheticContributions.append(LAKE.spark(), LAKE.lakeRoot(), components, texts);
        DedupSummary second = new Deduplicator(LAKE.spark(), LAKE.lakeRoot(), withClustering(defaults, Clustering.CONNECTED_COMPONENTS))
                .run(components, OptionalLong.empty());

        assertThat(List.of(first.verifiedPairs(), second.verifiedPairs(), digest(earliest), digest(components)))
                .containsExactly(46L, 46L, CORPUS_DIGEST, CORPUS_DIGEST);
    }

    /** {@code sources} random texts of about {@code words} words, each with {@code copies} edited copies. */
    private static List<String> planted(Random random, int sources, int copies, int words) {
        List<String> originals = new ArrayList<>();
        for (int i = 0; i < sources; i++) {
            originals.add(SampleText.words(random, words + random.nextInt(words)));
        }
        return PlantedCorpus.generate(originals, copies, random.nextLong()).texts();
    }

    private static DedupSettings withClustering(DedupSettings settings, Clustering clustering) {
        return new DedupSettings(settings.shingleSize(), settings.hashes(), settings.bands(), settings.rows(),
                settings.threshold(), settings.seed(), settings.maxBucketSize(), clustering);
    }

    private static String digest(DatanetId datanet) {
        StringBuilder text = new StringBuilder();
        for (Row row : LAKE.spark().read().format("delta").load(LakeTable.CORPUS.path(LAKE.lakeRoot()))
                .where(col("datanet").equalTo(datanet.value()))
                .select("contribution_id", "canonical_id", "duplicate_kind", "similarity", "cluster_id")
                .orderBy("contribution_id").collectAsList()) {
            text.append(row.mkString("|")).append('\n');
        }
        return Hashing.sha256Hex(text.toString());
    }
}
