package io.tributary.indexing.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.indexing.SparkLake;
import io.tributary.core.hash.Hashing;
import io.tributary.core.id.DatanetId;
import io.tributary.core.index.IndexLocation;
import io.tributary.core.index.IndexManifest;
import io.tributary.core.lake.LakeTable;
import io.tributary.indexing.dedup.SyntheticContributions;
import io.tributary.lake.spark.DriverResultMeter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An index build cuts its shards in Spark: what tasks send back to the driver is bounded by the number of
 * shards, not of contributions, and the shards are byte for byte the ones the driver-side cutting built.
 */
class IndexDriverResultsTest {
    /**
     * Far below one row per contribution: 20,000 contributions' (ingest order, size) pairs are over 300 KB before
     * row overhead, while a stage of this test's few tasks returns a few KB and the build's result is one row per shard.
     */
    static final long DRIVER_BYTES_BOUND = 96 * 1024;
    static final String[] WORDS = ("licence grant permission copy modify merge publish distribute sublicense sell "
            + "software warranty liability notice condition source binary form redistribution retain").split(" ");

    @RegisterExtension
    static final SparkLake LAKE = new SparkLake("index-driver-results-test");

    @Test
    void manyContributionsSendOnlyOneRowPerShardToTheDriver() {
        DatanetId datanet = DatanetId.of("many");
        SyntheticContributions.append(LAKE.spark(), LAKE.lakeRoot(), datanet, texts(new Random(3), 20_000, 12));

        IndexBuilder.Summary summary;
        long largest;
        try (DriverResultMeter meter = DriverResultMeter.attach(LAKE.spark())) {
            summary = builder(400_000).build(datanet, OptionalLong.empty(), Optional.empty());
            largest = meter.largestStageBytes();
        }

        assertThat(summary.contributions()).isEqualTo(20_000);
        assertThat(summary.shardsAdded()).isGreaterThan(3);
        assertThat(largest).as("bytes one stage's tasks returned to the driver").isLessThan(DRIVER_BYTES_BOUND);
    }

    /**
     * Shards (their bytes, via sha256), their boundaries and counts are those the driver-side cutting built on this
     * input (digest recorded from it at commit f3e2636), over two builds, the second of them from the corpus table.
     */
    @Test
    void theShardsAreTheOnesTheDriverSideCuttingBuilt() {
        DatanetId datanet = DatanetId.of("fixed");
        Random random = new Random(9);
        SyntheticContributions.append(LAKE.spark(), LAKE.lakeRoot(), datanet, texts(random, 300, 40));
        builder(5_000).build(datanet, OptionalLong.empty(), Optional.empty());
        List<String> later = texts(random, 200, 40);
        SyntheticContributions.append(LAKE.spark(), LAKE.lakeRoot(), datanet, later);
        // A corpus covering every contribution: every fifth text is a duplicate of the one before it.
        List<Row> corpus = new ArrayList<>();
        for (Row row : LAKE.spark().read().format("delta").load(LakeTable.CONTRIBUTIONS.path(LAKE.lakeRoot()))
                .where("datanet = 'fixed'").select("contribution_id", "ingest_order").orderBy("ingest_order").collectAsList()) {
            corpus.add(row);
        }
        List<Row> corpusRows = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i++) {
            String id = corpus.get(i).getString(0);
            String canonical = i % 5 == 4 ? corpus.get(i - 1).getString(0) : id;
            corpusRows.add(RowFactory.create(datanet.value(), 0L, id, canonical, canonical.equals(id) ? "none" : "near",
                    1.0, corpus.get(i).getLong(1)));
        }
        StructType corpusSchema = new StructType().add("datanet", DataTypes.StringType).add("version", DataTypes.LongType)
                .add("contribution_id", DataTypes.StringType).add("canonical_id", DataTypes.StringType)
                .add("duplicate_kind", DataTypes.StringType).add("similarity", DataTypes.DoubleType)
                .add("cluster_id", DataTypes.LongType);
        LAKE.spark().createDataFrame(corpusRows, corpusSchema).write().format("delta").mode(SaveMode.Append)
                .save(LakeTable.CORPUS.path(LAKE.lakeRoot()));

        IndexBuilder.Summary second = builder(5_000).build(datanet, OptionalLong.empty(), Optional.empty());

        assertThat(second.source()).isEqualTo("corpus");
        IndexManifest manifest = IndexReader.manifest(new IndexLocation(LAKE.lakeRoot(), datanet), new LakeFiles(Map.of()));
        StringBuilder shards = new StringBuilder();
        for (IndexManifest.Entry entry : manifest.shards()) {
            shards.append(entry.shard()).append('|').append(entry.file()).append('|').append(entry.tokens()).append('|')
                    .append(entry.documents()).append('|').append(entry.bytes()).append('|').append(entry.sha256())
                    .append('|').append(entry.firstIngestOrder()).append('|').append(entry.lastIngestOrder()).append('\n');
        }
        assertThat(List.of((long) manifest.shards().size(), Hashing.sha256Hex(shards.toString()))).containsExactly(32L, "fc07301cebd42869bf5058329a0a0de55bcc4f150b3af702b4ab62ec6884de49");
    }

    /** {@code count} texts of random words, about {@code words} words each; distinct, since they are numbered. */
    private static List<String> texts(Random random, int count, int words) {
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder("No. ").append(i);
            for (int word = words / 2 + random.nextInt(words); word > 0; word--) {
                text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
            }
            texts.add(text.toString());
        }
        return texts;
    }

    private static IndexBuilder builder(long shardTokens) {
        IndexSettings defaults = IndexSettings.from(LAKE.config());
        return new IndexBuilder(LAKE.spark(), LAKE.lakeRoot(), new IndexSettings(shardTokens, "bytes", defaults.minTokens(),
                defaults.maxCount(), defaults.documentLimit(), "", 10, 8, 50), new LakeFiles(Map.of()));
    }
}
