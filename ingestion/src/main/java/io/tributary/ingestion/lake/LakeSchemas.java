package io.tributary.ingestion.lake;

import io.tributary.core.lake.LakeTable;
import io.tributary.lake.spark.SparkSchemas;
import org.apache.spark.sql.types.StructType;

/**
 * Spark's view of the tables this module writes: each adapted from its one declaration in core's
 * {@link LakeTable} (columns, types, nullability), never restated here.
 */
public final class LakeSchemas {
    public static final StructType DATANETS = of(LakeTable.DATANETS);
    public static final StructType CONTRIBUTIONS = of(LakeTable.CONTRIBUTIONS);
    public static final StructType QUARANTINE = of(LakeTable.QUARANTINE);
    public static final StructType BATCHES = of(LakeTable.BATCHES);

    private LakeSchemas() {}

    /** Spark's view of a core table: {@link SparkSchemas#of}, the one adapter. */
    public static StructType of(LakeTable table) {
        return SparkSchemas.of(table);
    }
}
