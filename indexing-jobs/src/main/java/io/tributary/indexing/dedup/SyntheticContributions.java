package io.tributary.indexing.dedup;

import io.delta.tables.DeltaTable;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import io.tributary.core.lake.LakeTable;
import io.tributary.lake.spark.SparkSchemas;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Appends unsigned texts to a scratch lake's {@code contributions} table in the ingestion module's
 * schema, one Delta commit per call, continuing the Datanet's ingest order. For the dedup benchmark and
 * tests only: real contributions are signed and arrive through {@code tributary ingest}.
 */
public final class SyntheticContributions {
    static final StructType SCHEMA = SparkSchemas.of(LakeTable.CONTRIBUTIONS);
    private static final String CONTRIBUTOR = "0x" + "00".repeat(19) + "01";

    private SyntheticContributions() {}

    /** Appends {@code texts} in order and returns the contributions table's new Delta version. */
    public static long append(SparkSession spark, String lakeRoot, DatanetId datanet, List<String> texts) {
        String path = LakeTable.CONTRIBUTIONS.path(lakeRoot);
        long next = nextOrder(spark, path, datanet);
        Timestamp now = Timestamp.from(Instant.now());
        String batch = "synthetic-" + next;
        List<Row> rows = new ArrayList<>();
        for (String text : texts) {
            rows.add(RowFactory.create(ContributionId.ofText(text).toString(), datanet.value(), CONTRIBUTOR, "0x",
                    "CC0-1.0", "synthetic", now, now, batch, next++,
                    text.getBytes(StandardCharsets.UTF_8).length, text));
        }
        spark.createDataFrame(rows, SCHEMA).write().format("delta").partitionBy("datanet")
                .mode(SaveMode.Append).save(path);
        return DeltaTable.forPath(spark, path).history(1).select("version").head().getLong(0);
    }

    private static long nextOrder(SparkSession spark, String path, DatanetId datanet) {
        if (!DeltaTable.isDeltaTable(spark, path)) {
            return 0;
        }
        Row max = spark.read().format("delta").load(path).where(
                org.apache.spark.sql.functions.col("datanet").equalTo(datanet.value()))
                .agg(org.apache.spark.sql.functions.max("ingest_order")).head();
        return max.isNullAt(0) ? 0 : max.getLong(0) + 1;
    }
}
