package io.tributary.ingestion.lake;

import static org.apache.spark.sql.types.DataTypes.BinaryType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import org.apache.spark.sql.types.StructType;

/** The Spark schemas of the tables the ingestion module owns (documented in docs/ARCHITECTURE.md). */
public final class LakeSchemas {
    private LakeSchemas() {}

    public static final StructType DATANETS = new StructType()
            .add("datanet", StringType, false)
            .add("name", StringType, false)
            .add("topic", StringType, false)
            .add("owner", StringType, false)
            .add("protocol_bps", IntegerType, false)
            .add("creator_bps", IntegerType, false)
            .add("contributors_bps", IntegerType, false)
            .add("created_at", TimestampType, false);

    public static final StructType CONTRIBUTIONS = new StructType()
            .add("contribution_id", StringType, false)
            .add("datanet", StringType, false)
            .add("contributor", StringType, false)
            .add("signature", StringType, false)
            .add("license", StringType, false)
            .add("source", StringType, true)
            .add("submitted_at", TimestampType, true)
            .add("ingested_at", TimestampType, false)
            .add("batch_id", StringType, false)
            .add("ingest_order", LongType, false)
            .add("text_bytes", IntegerType, false)
            .add("text", StringType, false);

    public static final StructType QUARANTINE = new StructType()
            .add("quarantine_id", StringType, false)
            .add("datanet", StringType, false)
            .add("batch_id", StringType, false)
            .add("source_file", StringType, false)
            .add("line", LongType, false)
            .add("reason", StringType, false)
            .add("detail", StringType, true)
            .add("raw", BinaryType, false)
            .add("quarantined_at", TimestampType, false);

    public static final StructType BATCHES = new StructType()
            .add("batch_id", StringType, false)
            .add("datanet", StringType, false)
            .add("created_at", TimestampType, false)
            .add("read", LongType, false)
            .add("accepted", LongType, false)
            .add("duplicates", LongType, false)
            .add("quarantined", LongType, false)
            .add("merkle_root", StringType, false)
            .add("contribution_ids", createArrayType(StringType, false), false)
            .add("inputs", createArrayType(StringType, false), false);
}
