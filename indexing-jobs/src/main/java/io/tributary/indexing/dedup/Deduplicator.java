package io.tributary.indexing.dedup;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.array_intersect;

import io.delta.tables.DeltaTable;
import io.tributary.core.cli.Progress;
import io.tributary.core.cli.UserError;
import io.tributary.core.id.DatanetId;
import io.tributary.core.lake.LakeTable;
import io.tributary.indexing.DatanetVersions;
import io.tributary.lake.spark.SparkSchemas;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The dedup job: clusters the contributions of one Datanet version into normalized and near duplicates
 * and adds the contributions not yet in the {@code corpus} table, each with its canonical contribution
 * (the earliest ingested member of its cluster). Rows already in the corpus never change, so the first
 * submitter keeps the credit and a re-run on the same version writes nothing.
 *
 * <p>Steps: features per contribution (normalized-text hash, word shingles, band keys); one representative
 * per normalized text (its earliest member); LSH buckets of representatives grouped by (band, key); candidate
 * pairs from buckets (large buckets capped); exact Jaccard verification; clustering of the verified pairs in
 * Spark, per connected component ({@link PairClusters}); assignment of canonical, kind, similarity. Only counts
 * reach the driver.
 */
public final class Deduplicator {
    static final String NONE = "none";
    static final String NORMALIZED = "normalized";
    static final String NEAR = "near";

    static final StructType FEATURES = new StructType()
            .add("contribution_id", DataTypes.StringType, false)
            .add("ingest_order", DataTypes.LongType, false)
            .add("normalized_key", DataTypes.StringType, false)
            .add("shingles", DataTypes.createArrayType(DataTypes.LongType, false), false)
            .add("band_keys", DataTypes.createArrayType(DataTypes.LongType, false), false);
    static final StructType PAIRS = new StructType()
            .add("left", DataTypes.LongType, false)
            .add("right", DataTypes.LongType, false);
    static final StructType CLUSTERS = new StructType()
            .add("representative", DataTypes.LongType, false)
            .add("cluster_canonical", DataTypes.LongType, false);
    /** The corpus table's columns, in order: core's declaration, adapted to Spark. */
    public static final StructType CORPUS = SparkSchemas.of(LakeTable.CORPUS);

    private final SparkSession spark;
    private final String lakeRoot;
    private final DedupSettings settings;

    public Deduplicator(SparkSession spark, String lakeRoot, DedupSettings settings) {
        this.spark = spark;
        this.lakeRoot = lakeRoot;
        this.settings = settings;
    }

    /** Dedups {@code datanet} at {@code version} (the contributions table's latest version when empty). */
    public DedupSummary run(DatanetId datanet, OptionalLong version) {
        long started = System.nanoTime();
        long pinned = DatanetVersions.pin(spark, lakeRoot, version);
        requireKnownDatanet(datanet);
        Dataset<Row> contributions = DatanetVersions.committedContributions(spark, lakeRoot, pinned, datanet.value())
                .select("contribution_id", "ingest_order", "text");
        Dataset<Row> stored = storedCorpus(datanet);
        Dataset<Row> fresh = contributions.select("contribution_id")
                .join(stored.select("contribution_id"), new String[] {"contribution_id"}, "left_anti");

        Counts counts = Counts.NOTHING_NEW;
        long freshCount = fresh.count();
        log(started, datanet + " at version " + pinned + ": " + freshCount + " contributions not yet in the corpus");
        if (freshCount > 0) {
            counts = addNewAssignments(datanet, pinned, contributions, stored);
        }
        return summarize(datanet, pinned, contributions, counts, (System.nanoTime() - started) / 1e9);
    }

    private Counts addNewAssignments(DatanetId datanet, long version, Dataset<Row> contributions,
            Dataset<Row> stored) {
        long started = System.nanoTime();
        DedupSettings parameters = settings;
        MinHasher hasher = settings.minHasher();
        Dataset<Row> features = contributions.map((MapFunction<Row, Row>) row -> {
            ContributionFeatures computed = ContributionFeatures.of(row.getString(2), parameters, hasher);
            return RowFactory.create(row.getString(0), row.getLong(1), computed.normalizedKey(),
                    computed.shingles(), computed.bandKeys());
        }, Encoders.row(FEATURES)).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> byText = features.groupBy("normalized_key")
                    .agg(min("ingest_order").as("representative"));
            Dataset<Row> representatives = features.join(
                    byText.select(col("representative").as("ingest_order")), new String[] {"ingest_order"}, "left_semi");

            Dataset<Row> buckets = representatives
                    .select(col("ingest_order"), posexplode(col("band_keys")).as(new String[] {"band", "band_key"}))
                    .groupBy("band", "band_key")
                    .agg(collect_list("ingest_order").as("members"))
                    .where(size(col("members")).gt(1))
                    .select("members")
                    .persist(StorageLevel.MEMORY_AND_DISK());
            long cappedBuckets = buckets.where(size(col("members")).gt(settings.maxBucketSize())).count();
            int maxBucketSize = settings.maxBucketSize();
            Dataset<Row> candidates = buckets.flatMap((FlatMapFunction<Row, Row>) row -> {
                List<Long> members = row.getList(0);
                long[] orders = members.stream().mapToLong(Long::longValue).toArray();
                List<Row> pairs = new ArrayList<>();
                for (long[] pair : BucketPairs.of(orders, maxBucketSize)) {
                    pairs.add(RowFactory.create(pair[0], pair[1]));
                }
                return pairs.iterator();
            }, Encoders.row(PAIRS)).distinct().persist(StorageLevel.MEMORY_AND_DISK());
            long candidatePairs = candidates.count();
            log(started, "LSH: " + candidatePairs + " candidate pairs, " + cappedBuckets + " capped buckets");

            Dataset<Row> left = representatives.select(col("ingest_order").as("left"), col("shingles").as("a"));
            Dataset<Row> right = representatives.select(col("ingest_order").as("right"), col("shingles").as("b"));
            Dataset<Row> verified = candidates.join(left, "left").join(right, "right")
                    .select(col("left"), col("right"), jaccard(col("a"), col("b")).as("similarity"))
                    .where(col("similarity").geq(settings.threshold()))
                    .select("left", "right")
                    .localCheckpoint();
            long verifiedPairs = verified.count();
            buckets.unpersist();
            candidates.unpersist();
            log(started, "verified " + verifiedPairs + " pairs with Jaccard >= " + settings.threshold());

            Dataset<Row> clusterOf = verifiedPairs == 0 ? spark.createDataFrame(List.of(), CLUSTERS)
                    : PairClusters.assign(verified, settings.clustering());

            Dataset<Row> members = features.select("contribution_id", "ingest_order", "normalized_key")
                    .join(byText, "normalized_key")
                    .join(clusterOf, new String[] {"representative"}, "left")
                    .withColumn("canonical_order", coalesce(col("cluster_canonical"), col("representative")))
                    .join(stored.select("contribution_id"), new String[] {"contribution_id"}, "left_anti");
            Dataset<Row> assigned = keepStoredCanonicals(members, features, stored);
            long added = write(datanet, version, assigned, features);
            log(started, "added " + added + " rows to the corpus table");
            return new Counts(added, candidatePairs, verifiedPairs, cappedBuckets);
        } finally {
            features.unpersist();
        }
    }

    /**
     * When a canonical chosen now is itself recorded as a duplicate (possible only when settings changed
     * between runs), new members follow the recorded canonical: existing assignments are never revisited.
     */
    private static Dataset<Row> keepStoredCanonicals(Dataset<Row> members, Dataset<Row> features,
            Dataset<Row> stored) {
        Dataset<Row> orders = features.select("contribution_id", "ingest_order");
        Dataset<Row> recorded = stored.select(col("contribution_id"), col("canonical_id"))
                .join(orders, "contribution_id")
                .withColumnRenamed("ingest_order", "recorded_member")
                .join(orders.select(col("contribution_id").as("canonical_id"),
                        col("ingest_order").as("recorded_canonical")), "canonical_id")
                .where(col("recorded_member").notEqual(col("recorded_canonical")))
                .select("recorded_member", "recorded_canonical");
        return members.join(recorded, members.col("canonical_order").equalTo(recorded.col("recorded_member")), "left")
                .withColumn("canonical_order", coalesce(col("recorded_canonical"), col("canonical_order")))
                .select("contribution_id", "ingest_order", "normalized_key", "canonical_order");
    }

    private long write(DatanetId datanet, long version, Dataset<Row> assigned, Dataset<Row> features) {
        Dataset<Row> canonicals = features.select(col("ingest_order").as("canonical_order"),
                col("contribution_id").as("canonical_id"), col("normalized_key").as("canonical_key"),
                col("shingles").as("canonical_shingles"));
        Dataset<Row> own = features.select(col("contribution_id"), col("shingles"));
        Column kind = when(col("canonical_order").equalTo(col("ingest_order")), lit(NONE))
                .when(col("normalized_key").equalTo(col("canonical_key")), lit(NORMALIZED))
                .otherwise(lit(NEAR));
        Dataset<Row> rows = assigned.join(canonicals, "canonical_order")
                .withColumn("duplicate_kind", kind)
                .join(own, "contribution_id")
                .withColumn("similarity", when(col("duplicate_kind").equalTo(NEAR),
                        jaccard(col("shingles"), col("canonical_shingles"))).otherwise(lit(1.0)))
                .select(lit(datanet.value()).as("datanet"), lit(version).as("version"), col("contribution_id"),
                        col("canonical_id"), col("duplicate_kind"), col("similarity"),
                        col("canonical_order").as("cluster_id"))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long added = rows.count();
            if (added == 0) {
                return 0;
            }
            Dataset<Row> typed = spark.createDataFrame(rows.rdd(), CORPUS);
            String path = LakeTable.CORPUS.path(lakeRoot);
            if (DeltaTable.isDeltaTable(spark, path)) {
                // A MERGE that inserts only unseen contributions: safe even if a concurrent run added some.
                DeltaTable.forPath(spark, path).as("corpus")
                        .merge(typed.as("fresh"), "corpus.datanet = fresh.datanet"
                                + " AND corpus.contribution_id = fresh.contribution_id")
                        .whenNotMatched().insertAll()
                        .execute();
            } else {
                typed.write().format("delta").partitionBy("datanet").mode(SaveMode.Append).save(path);
            }
            return added;
        } finally {
            rows.unpersist();
        }
    }

    /** Exact Jaccard of two shingle arrays (sorted, distinct) with Spark's built-in set functions. */
    static Column jaccard(Column a, Column b) {
        Column common = size(array_intersect(a, b));
        return when(size(a).equalTo(0).or(size(b).equalTo(0)), lit(0.0))
                .otherwise(common.cast("double").divide(size(a).plus(size(b)).minus(common)));
    }

    private DedupSummary summarize(DatanetId datanet, long version, Dataset<Row> contributions, Counts counts,
            double seconds) {
        Dataset<Row> corpus = storedCorpus(datanet)
                .join(contributions.select("contribution_id"), new String[] {"contribution_id"}, "left_semi");
        Row totals = corpus.agg(
                org.apache.spark.sql.functions.count(lit(1)),
                org.apache.spark.sql.functions.sum(when(col("duplicate_kind").equalTo(NONE), 1).otherwise(0)),
                org.apache.spark.sql.functions.sum(when(col("duplicate_kind").equalTo(NORMALIZED), 1).otherwise(0)),
                org.apache.spark.sql.functions.sum(when(col("duplicate_kind").equalTo(NEAR), 1).otherwise(0)),
                org.apache.spark.sql.functions.countDistinct(
                        when(col("duplicate_kind").notEqual(NONE), col("cluster_id"))))
                .head();
        return new DedupSummary(datanet.value(), version, totals.getLong(0), longOrZero(totals, 1),
                longOrZero(totals, 2), longOrZero(totals, 3), totals.getLong(4), counts.added(),
                counts.candidatePairs(), counts.verifiedPairs(), counts.cappedBuckets(), seconds);
    }

    private static void log(long startedNanos, String message) {
        Progress.step(String.format("dedup: %s (%.1f s)", message, (System.nanoTime() - startedNanos) / 1e9));
    }

    private static long longOrZero(Row row, int index) {
        return row.isNullAt(index) ? 0 : row.getLong(index);
    }

    private Dataset<Row> storedCorpus(DatanetId datanet) {
        String path = LakeTable.CORPUS.path(lakeRoot);
        if (!DeltaTable.isDeltaTable(spark, path)) {
            return spark.createDataFrame(List.of(), CORPUS);
        }
        return spark.read().format("delta").load(path).where(col("datanet").equalTo(datanet.value()));
    }

    private void requireKnownDatanet(DatanetId datanet) {
        String path = LakeTable.DATANETS.path(lakeRoot);
        if (DeltaTable.isDeltaTable(spark, path)
                && spark.read().format("delta").load(path).where(col("datanet").equalTo(datanet.value())).isEmpty()) {
            throw new UserError("unknown Datanet '" + datanet + "': create it with tributary datanet create");
        }
    }

    private record Counts(long added, long candidatePairs, long verifiedPairs, long cappedBuckets) {
        static final Counts NOTHING_NEW = new Counts(0, 0, 0, 0);
    }
}
