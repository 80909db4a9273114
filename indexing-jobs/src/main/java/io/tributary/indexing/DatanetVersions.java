package io.tributary.indexing;

import io.delta.tables.DeltaTable;
import io.tributary.core.cli.UserError;
import io.tributary.core.lake.LakeTable;
import java.util.OptionalLong;
import org.apache.spark.sql.SparkSession;

/** Pins a Datanet version: a version of the {@code contributions} Delta table, checked to exist. */
public final class DatanetVersions {
    private DatanetVersions() {}

    /** {@code requested} when the contributions table has it, else the table's latest version when empty. */
    public static long pin(SparkSession spark, String lakeRoot, OptionalLong requested) {
        String path = LakeTable.CONTRIBUTIONS.path(lakeRoot);
        if (!DeltaTable.isDeltaTable(spark, path)) {
            throw new UserError("no contributions table at " + path + ": ingest contributions first (tributary ingest)");
        }
        long latest = DeltaTable.forPath(spark, path).history(1).select("version").head().getLong(0);
        if (requested.isEmpty()) {
            return latest;
        }
        long version = requested.getAsLong();
        if (version < 0 || version > latest) {
            throw new UserError("--version " + version + " does not exist: the contributions table has versions 0 to "
                    + latest);
        }
        return version;
    }
}
