package io.tributary.indexing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import io.delta.tables.DeltaTable;
import io.tributary.core.cli.UserError;
import io.tributary.core.lake.BatchJournalLayout;
import io.tributary.core.lake.LakeTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Pins a Datanet version: a version of the {@code contributions} Delta table, checked to exist; and reads
 * a Datanet's contributions at that version as jobs must see them, with the rows of uncommitted batches left out.
 */
public final class DatanetVersions {
    private DatanetVersions() {}

    /**
     * The contributions of {@code datanet} at {@code version} whose batches committed: a batch still in the
     * ingestion journal without its {@code batches} record is being written (or was cut off by a crash and
     * will be rolled back), so its rows are not part of the Datanet yet.
     */
    public static Dataset<Row> committedContributions(SparkSession spark, String lakeRoot, long version, String datanet) {
        Dataset<Row> rows = spark.read().format("delta").option("versionAsOf", version)
                .load(LakeTable.CONTRIBUTIONS.path(lakeRoot))
                .where(col("datanet").equalTo(datanet));
        List<String> uncommitted = uncommittedBatches(spark, lakeRoot);
        return uncommitted.isEmpty() ? rows : rows.where(not(col("batch_id").isin(uncommitted.toArray())));
    }

    /** Batch ids with a journal entry and no {@code batches} record. */
    public static List<String> uncommittedBatches(SparkSession spark, String lakeRoot) {
        List<String> pending = new ArrayList<>();
        try {
            Path directory = new Path(BatchJournalLayout.directory(lakeRoot));
            FileSystem fs = directory.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(directory)) {
                for (FileStatus status : fs.listStatus(directory)) {
                    BatchJournalLayout.batchId(status.getPath().getName()).ifPresent(pending::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the batch journal of " + lakeRoot + ": " + e.getMessage(), e);
        }
        if (pending.isEmpty() || !DeltaTable.isDeltaTable(spark, LakeTable.BATCHES.path(lakeRoot))) {
            return pending;
        }
        List<String> committed = spark.read().format("delta").load(LakeTable.BATCHES.path(lakeRoot))
                .where(col("batch_id").isin(pending.toArray())).select("batch_id")
                .as(Encoders.STRING()).collectAsList();
        pending.removeAll(committed);
        return pending;
    }

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
