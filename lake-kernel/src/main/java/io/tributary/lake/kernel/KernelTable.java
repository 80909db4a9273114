package io.tributary.lake.kernel;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionBuilder;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.tributary.core.lake.PutIfAbsentLogStore;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.TableAlreadyExistsException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;

/**
 * One Delta table read and appended to through Delta Kernel, for modules that must not carry Spark: reads at
 * the latest or a pinned version, optionally only the rows whose column equals a value (pruning partitions),
 * and appends that create the table with its schema and partition columns on first use. Rows are maps of
 * Java values as {@link KernelRows} describes.
 */
public final class KernelTable {
    private static final System.Logger LOG = System.getLogger(KernelTable.class.getName());
    private static final java.util.regex.Pattern COMMIT_FILE = java.util.regex.Pattern.compile("\\d{20}\\.json");
    private final Engine engine;
    private final String path;
    private final StructType schema;
    private final List<String> partitionColumns;

    private KernelTable(Engine engine, String path, StructType schema, List<String> partitionColumns) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.path = Objects.requireNonNull(path, "path");
        this.schema = schema;
        this.partitionColumns = List.copyOf(partitionColumns);
        if (schema != null) {
            for (String column : partitionColumns) {
                if (schema.indexOf(column) < 0) {
                    throw new IllegalArgumentException("partition column '" + column + "' is not in the schema of " + path);
                }
            }
        }
    }

    /** An engine over the Hadoop file systems that {@code hadoopSettings} configure (the lake's {@code tributary.hadoop.conf}). */
    public static Engine engine(Map<String, String> hadoopSettings) {
        Configuration configuration = new Configuration();
        hadoopSettings.forEach(configuration::set);
        return engine(configuration);
    }

    /** An engine over {@code hadoop}; local commits are put-if-absent across processes unless a store is configured. */
    public static Engine engine(Configuration hadoop) {
        if (hadoop.get(PutIfAbsentLogStore.KERNEL_SETTING) == null) {
            hadoop.set(PutIfAbsentLogStore.KERNEL_SETTING, PutIfAbsentLogStore.class.getName());
        }
        return DefaultEngine.create(hadoop);
    }

    /** A table this code only reads (written by another module); appending to it fails unless it exists. */
    public static KernelTable reading(Engine engine, String path) {
        return new KernelTable(engine, path, null, List.of());
    }

    /** A lake table this code writes, created with its schema and partitioning from core by its first append. */
    public static KernelTable writing(Engine engine, String lakeRoot, io.tributary.core.lake.LakeTable table) {
        return new KernelTable(engine, table.path(lakeRoot), KernelSchemas.of(table.schema()),
                table.schema().partitionColumns());
    }

    /** A lake table this code only reads. */
    public static KernelTable reading(Engine engine, String lakeRoot, io.tributary.core.lake.LakeTable table) {
        return reading(engine, table.path(lakeRoot));
    }

    /** A table this code writes, created with {@code schema} (and these partition columns) by its first append. */
    public static KernelTable writing(Engine engine, String path, StructType schema, String... partitionColumns) {
        return new KernelTable(engine, path, Objects.requireNonNull(schema, "schema"), List.of(partitionColumns));
    }

    /** The rows of one version of the table, as column name to value. */
    public record Rows(long version, List<Map<String, Object>> rows) {}

    public String path() {
        return path;
    }

    public boolean exists() {
        try {
            Table.forPath(engine, path).getLatestSnapshot(engine);
            return true;
        } catch (TableNotFoundException e) {
            return false;
        }
    }

    public long latestVersion() {
        return snapshot(OptionalLong.empty()).getVersion();
    }

    /**
     * The version of the table's newest commit, read from the names in its {@code _delta_log} directory (one listing,
     * no snapshot loaded): cheap enough to poll for changes. Empty when the table does not exist.
     */
    public OptionalLong newestCommit() {
        String log;
        try {
            log = engine.getFileSystemClient().resolvePath(path).replaceAll("/$", "") + "/_delta_log/";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve Delta table path " + path + ": " + e.getMessage(), e);
        }
        long newest = -1;
        try (CloseableIterator<io.delta.kernel.utils.FileStatus> files = engine.getFileSystemClient().listFrom(log + "0".repeat(20))) {
            while (files.hasNext()) {
                String name = files.next().getPath();
                name = name.substring(name.lastIndexOf('/') + 1);
                if (COMMIT_FILE.matcher(name).matches()) {
                    newest = Math.max(newest, Long.parseLong(name.substring(0, 20)));
                }
            }
        } catch (java.io.FileNotFoundException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the log of Delta table " + path + ": " + e.getMessage(), e);
        }
        return newest < 0 ? OptionalLong.empty() : OptionalLong.of(newest);
    }

    /** The columns the table has at {@code version} (latest when empty). */
    public List<String> columns(OptionalLong version) {
        return snapshot(version).getSchema().fieldNames();
    }

    /** Every row and column of the latest version, or none when the table does not exist yet. */
    public List<Map<String, Object>> readAll() {
        return exists() ? read(OptionalLong.empty(), List.of()).rows() : List.of();
    }

    /** {@code columns} (all when empty) of every row at {@code version} (latest when empty). */
    public Rows read(OptionalLong version, List<String> columns) {
        return scan(version, columns, null, null);
    }

    /**
     * {@code columns} (all when empty) of the rows at {@code version} (latest when empty) whose {@code column}
     * equals {@code value}; files of other partitions are not opened.
     */
    public Rows read(OptionalLong version, List<String> columns, String column, Object value) {
        return scan(version, columns, Objects.requireNonNull(column, "column"), value);
    }

    private Rows scan(OptionalLong version, List<String> columns, String column, Object value) {
        Snapshot snapshot = snapshot(version);
        StructType readSchema = readSchema(snapshot, columns);
        if (column != null && readSchema.indexOf(column) < 0) {
            throw new IllegalArgumentException("filter column '" + column + "' is not among the columns read " + readSchema.fieldNames());
        }
        Scan scan = snapshot.getScanBuilder().withReadSchema(readSchema).build();
        Row scanState = scan.getScanState(engine);
        StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(scanState);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine)) {
            while (scanFiles.hasNext()) {
                try (CloseableIterator<Row> files = scanFiles.next().getRows()) {
                    while (files.hasNext()) {
                        Row scanFile = files.next();
                        if (column == null || partitionMayMatch(scanFile, column, value)) {
                            readFile(scanState, scanFile, physicalSchema, readSchema, column, value, rows);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Delta table " + path + ": " + e.getMessage(), e);
        }
        return new Rows(snapshot.getVersion(), rows);
    }

    private StructType readSchema(Snapshot snapshot, List<String> columns) {
        StructType tableSchema = snapshot.getSchema();
        if (columns.isEmpty()) {
            return tableSchema;
        }
        StructType readSchema = new StructType();
        for (String name : columns) {
            int index = tableSchema.indexOf(name);
            if (index < 0) {
                throw new LakeException("Delta table " + path + " (version " + snapshot.getVersion() + ") has no column '" + name
                        + "'; it has " + tableSchema.fieldNames());
            }
            readSchema = readSchema.add(tableSchema.at(index));
        }
        return readSchema;
    }

    private static boolean partitionMayMatch(Row scanFile, String column, Object value) {
        Map<String, String> partition = InternalScanFileUtils.getPartitionValues(scanFile);
        return !partition.containsKey(column) || Objects.equals(partition.get(column), value == null ? null : String.valueOf(value));
    }

    private void readFile(Row scanState, Row scanFile, StructType physicalSchema, StructType readSchema, String column,
                          Object value, List<Map<String, Object>> rows) throws IOException {
        CloseableIterator<ColumnarBatch> physical = engine.getParquetHandler()
                .readParquetFiles(Utils.singletonCloseableIterator(InternalScanFileUtils.getAddFileStatus(scanFile)),
                        physicalSchema, Optional.empty())
                .map(FileReadResult::getData);
        try (CloseableIterator<FilteredColumnarBatch> logical = Scan.transformPhysicalData(engine, scanState, scanFile, physical)) {
            while (logical.hasNext()) {
                try (CloseableIterator<Row> batchRows = logical.next().getRows()) {
                    while (batchRows.hasNext()) {
                        Map<String, Object> row = KernelRows.toMap(batchRows.next(), readSchema, path);
                        if (column == null || Objects.equals(value, row.get(column))) {
                            rows.add(row);
                        }
                    }
                }
            }
        }
    }

    private Snapshot snapshot(OptionalLong version) {
        Table table = Table.forPath(engine, path);
        try {
            return version.isPresent() ? table.getSnapshotAsOfVersion(engine, version.getAsLong()) : table.getLatestSnapshot(engine);
        } catch (TableNotFoundException e) {
            throw new LakeException("no Delta table at " + path);
        } catch (RuntimeException e) {
            if (version.isPresent()) {
                throw new LakeException("cannot read " + path + " at version " + version.getAsLong() + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /**
     * Appends the rows (columns missing from a row are null) in one Delta commit, creating the table on first use,
     * so a reader sees all of them or none. Returns the table's version after the commit, or its current version
     * (-1 when it does not exist) when there are no rows. Appends never conflict with each other: Kernel retries a
     * commit that lost a race to another writer's append.
     */
    public long append(List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return exists() ? latestVersion() : -1;
        }
        return commitRows(latestOrNull(), rows, Optional.empty()).orElseThrow();
    }

    /**
     * Appends the rows in one commit marked with {@code transaction}, unless the table already recorded that
     * version (or a later one) for the application: then nothing is written and the result is empty. Rows may be
     * empty: the commit then records only the transaction, so a replay can tell that the work was done.
     */
    public OptionalLong append(List<Map<String, Object>> rows, TransactionId transaction) {
        Objects.requireNonNull(transaction, "transaction");
        // One snapshot answers both "done already?" and "with which schema?": each load lists and reads the log.
        Snapshot snapshot = latestOrNull();
        if (snapshot != null) {
            Optional<Long> done = snapshot.getLatestTransactionVersion(engine, transaction.applicationId());
            if (done.isPresent() && done.get() >= transaction.version()) {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(commitRows(snapshot, rows, Optional.of(transaction)).orElseThrow());
        } catch (ConcurrentWriteException e) {
            // Another writer committed the same application's version first: the work is done, once.
            Optional<Long> now = committedVersion(transaction.applicationId());
            if (now.isPresent() && now.get() >= transaction.version()) {
                return OptionalLong.empty();
            }
            throw e;
        }
    }

    /** The last version this table recorded for {@code applicationId} (Delta's {@code txn}), if any. */
    public Optional<Long> committedVersion(String applicationId) {
        Snapshot snapshot;
        try {
            snapshot = Table.forPath(engine, path).getLatestSnapshot(engine);
        } catch (TableNotFoundException e) {
            return Optional.empty();
        }
        return snapshot.getLatestTransactionVersion(engine, applicationId);
    }

    private Optional<Long> commitRows(Snapshot latest, List<Map<String, Object>> rows, Optional<TransactionId> transaction) {
        Snapshot snapshot = latest;
        if (snapshot == null) {
            if (schema == null) {
                throw new LakeException("no Delta table at " + path + " to append to");
            }
            try {
                return Optional.of(commit(schema, partitionColumns, rows, transaction, true));
            } catch (TableAlreadyExistsException | ConcurrentWriteException e) {
                // Another writer created the table between our look and our commit: append to theirs.
                snapshot = latestOrNull();
                if (snapshot == null) {
                    throw e;
                }
            }
        }
        return Optional.of(commit(snapshot.getSchema(), snapshot.getPartitionColumnNames(), rows, transaction, false));
    }

    private Snapshot latestOrNull() {
        try {
            return Table.forPath(engine, path).getLatestSnapshot(engine);
        } catch (TableNotFoundException e) {
            return null;
        }
    }

    /** One transaction: the rows of every partition value written as data files, then one commit of all of them. */
    private long commit(StructType writeSchema, List<String> partitions, List<Map<String, Object>> rows,
                        Optional<TransactionId> transaction, boolean create) {
        TransactionBuilder builder = Table.forPath(engine, path).createTransactionBuilder(engine, "tributary",
                create ? Operation.CREATE_TABLE : Operation.WRITE);
        if (create) {
            builder = builder.withSchema(engine, writeSchema).withPartitionColumns(engine, partitions);
        }
        if (transaction.isPresent()) {
            builder = builder.withTransactionId(engine, transaction.get().applicationId(), transaction.get().version());
        }
        Transaction kernelTransaction = builder.build(engine);
        Row state = kernelTransaction.getTransactionState(engine);
        Map<List<Object>, List<Map<String, Object>>> byPartition = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            List<Object> key = new ArrayList<>(partitions.size());
            for (String column : partitions) {
                key.add(row.get(column));
            }
            byPartition.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
        }
        List<Row> actions = new ArrayList<>();
        try {
            for (Map.Entry<List<Object>, List<Map<String, Object>>> group : byPartition.entrySet()) {
                Map<String, Literal> partitionValues = new LinkedHashMap<>();
                for (int i = 0; i < partitions.size(); i++) {
                    partitionValues.put(partitions.get(i),
                            literal(writeSchema.at(writeSchema.indexOf(partitions.get(i))), group.getKey().get(i)));
                }
                FilteredColumnarBatch batch = new FilteredColumnarBatch(KernelRows.toBatch(writeSchema, group.getValue(), path),
                        Optional.empty());
                CloseableIterator<FilteredColumnarBatch> physical = Transaction.transformLogicalData(engine, state,
                        Utils.singletonCloseableIterator(batch), partitionValues);
                DataWriteContext context = Transaction.getWriteContext(engine, state, partitionValues);
                CloseableIterator<DataFileStatus> files = engine.getParquetHandler()
                        .writeParquetFiles(context.getTargetDirectory(), physical, context.getStatisticsColumns());
                try (CloseableIterator<Row> generated = Transaction.generateAppendActions(engine, state, files, context)) {
                    generated.forEachRemaining(actions::add);
                }
            }
            TransactionCommitResult result = kernelTransaction.commit(engine,
                    CloseableIterable.inMemoryIterable(Utils.toCloseableIterator(actions.iterator())));
            runPostCommitHooks(result);
            return result.getVersion();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to Delta table " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes what Kernel asks for after a commit: a checkpoint every {@code delta.checkpointInterval} versions (10 by
     * default) and the version's checksum file, so loading a snapshot reads a checkpoint plus a few commits instead of
     * replaying every commit since version 0 (a stream appends a version per checkpoint, thousands a day). The commit
     * itself is durable already: a hook that fails leaves the table correct, only slower to load, and is logged.
     */
    private void runPostCommitHooks(TransactionCommitResult result) {
        for (PostCommitHook hook : result.getPostCommitHooks()) {
            try {
                hook.threadSafeInvoke(engine);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "post-commit " + hook.getType() + " of Delta table " + path + " at version "
                        + result.getVersion() + " failed (the commit stands): " + e.getMessage());
            }
        }
    }

    private Literal literal(StructField field, Object value) {
        DataType type = field.getDataType();
        if (value == null) {
            return Literal.ofNull(type);
        } else if (type instanceof StringType && value instanceof String string) {
            return Literal.ofString(string);
        } else if (type instanceof LongType && value instanceof Number number) {
            return Literal.ofLong(number.longValue());
        } else if (type instanceof IntegerType && value instanceof Number number) {
            return Literal.ofInt(Math.toIntExact(number.longValue()));
        }
        throw new IllegalArgumentException("partition column '" + field.getName() + "' of Delta table " + path + " has type "
                + type + "; cannot partition by " + value.getClass().getSimpleName() + " " + value);
    }
}
