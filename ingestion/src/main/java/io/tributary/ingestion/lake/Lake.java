package io.tributary.ingestion.lake;

import io.delta.tables.DeltaTable;
import io.tributary.core.config.TributaryConfig;
import io.tributary.core.lake.LakeTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Delta lake under one root, seen from Spark: table paths, table creation, versions, and the
 * registration of every table as a SQL view. Opening it finishes or rolls back any interrupted batch.
 */
public final class Lake {
    private static final Pattern TABLE_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private final SparkSession spark;
    private final String root;
    private final TributaryConfig config;

    private Lake(SparkSession spark, String root, TributaryConfig config) {
        this.spark = spark;
        this.root = root;
        this.config = config;
    }

    public static Lake open(SparkSession spark, TributaryConfig config) {
        Lake lake = new Lake(spark, config.lakeRoot(), config);
        BatchJournal.of(lake).recover();
        return lake;
    }

    public SparkSession spark() {
        return spark;
    }

    public String root() {
        return root;
    }

    public TributaryConfig config() {
        return config;
    }

    public String path(LakeTable table) {
        return table.path(root);
    }

    public Configuration hadoopConfiguration() {
        return spark.sparkContext().hadoopConfiguration();
    }

    public FileSystem fileSystem() {
        try {
            return FileSystem.get(URI.create(root), hadoopConfiguration());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the lake at " + root + ": " + e.getMessage(), e);
        }
    }

    /** True when the table has a Delta log; a file-system check, cheaper than loading a snapshot. */
    public boolean exists(LakeTable table) {
        try {
            return fileSystem().exists(new Path(path(table), "_delta_log"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the lake at " + root + ": " + e.getMessage(), e);
        }
    }

    /** Creates the table with its schema and partitioning from core if it is not there yet; concurrent creators agree. */
    public void ensure(LakeTable table) {
        if (exists(table)) {
            return;
        }
        var builder = DeltaTable.createIfNotExists(spark).location(path(table)).addColumns(LakeSchemas.of(table));
        List<String> partitionColumns = table.schema().partitionColumns();
        if (!partitionColumns.isEmpty()) {
            builder = builder.partitionedBy(partitionColumns.toArray(String[]::new));
        }
        try {
            builder.execute();
        } catch (java.util.ConcurrentModificationException lostTheRace) {
            // Another command created it at the same moment; the table is there, with the same schema.
            if (!exists(table)) {
                throw lostTheRace;
            }
        }
    }

    public void ensureIngestionTables() {
        ensure(LakeTable.DATANETS);
        ensure(LakeTable.CONTRIBUTIONS);
        ensure(LakeTable.QUARANTINE);
        ensure(LakeTable.BATCHES);
    }

    public Dataset<Row> read(LakeTable table) {
        return spark.read().format("delta").load(path(table));
    }

    public Dataset<Row> readAsOf(LakeTable table, long version) {
        return spark.read().format("delta").option("versionAsOf", version).load(path(table));
    }

    public DeltaTable delta(LakeTable table) {
        return DeltaTable.forPath(spark, path(table));
    }

    /** The table's latest Delta version, or -1 when it does not exist. */
    public long version(LakeTable table) {
        if (!exists(table)) {
            return -1;
        }
        return delta(table).history(1).select("version").head().getLong(0);
    }

    /** Every Delta table directly under the root, by directory name: the names `sql` registers. */
    public List<String> tableNames() {
        List<String> names = new ArrayList<>();
        try {
            FileSystem fs = fileSystem();
            Path rootPath = new Path(root);
            if (!fs.exists(rootPath)) {
                return names;
            }
            for (FileStatus status : fs.listStatus(rootPath)) {
                String name = status.getPath().getName();
                if (status.isDirectory() && TABLE_NAME.matcher(name).matches()
                        && fs.exists(new Path(status.getPath(), "_delta_log"))) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the lake at " + root + ": " + e.getMessage(), e);
        }
        names.sort(String::compareTo);
        return names;
    }

    public List<String> registerViews() {
        List<String> names = tableNames();
        for (String name : names) {
            spark.read().format("delta").load(root + "/" + name).createOrReplaceTempView(name);
        }
        return names;
    }
}
