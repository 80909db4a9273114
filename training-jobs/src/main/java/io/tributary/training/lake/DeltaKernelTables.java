package io.tributary.training.lake;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionBuilder;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import io.tributary.core.cli.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;

/**
 * The one place this module touches Delta: reads tables pinned to a version and appends rows, through
 * Delta Kernel (no Spark on a model-runtime classpath). Values are Java objects: String, Long, Integer,
 * Double, Boolean, and Long microseconds since the epoch for timestamps.
 */
public final class DeltaKernelTables {
    private final Engine engine;

    public DeltaKernelTables(Map<String, String> hadoopSettings) {
        Configuration configuration = new Configuration();
        hadoopSettings.forEach(configuration::set);
        this.engine = DefaultEngine.create(configuration);
    }

    /** Rows of one table snapshot: its version and the rows as column name to value. */
    public record Snapshot(long version, List<Map<String, Object>> rows) {}

    public boolean exists(String tablePath) {
        try {
            Table.forPath(engine, tablePath).getLatestSnapshot(engine);
            return true;
        } catch (TableNotFoundException e) {
            return false;
        }
    }

    public long latestVersion(String tablePath) {
        return snapshot(tablePath, OptionalLong.empty()).getVersion();
    }

    /** The columns the table has at {@code version} (latest when empty). */
    public List<String> columns(String tablePath, OptionalLong version) {
        return snapshot(tablePath, version).getSchema().fieldNames();
    }

    /** Every row of {@code columns} at {@code version} (latest when empty) whose {@code column} equals {@code value}. */
    public Snapshot read(String tablePath, OptionalLong version, List<String> columns, String column, String value) {
        io.delta.kernel.Snapshot snapshot = snapshot(tablePath, version);
        StructType schema = snapshot.getSchema();
        StructType readSchema = new StructType();
        for (String name : columns) {
            StructField field = schema.get(name);
            if (field == null) {
                throw new UserError("Delta table " + tablePath + " (version " + snapshot.getVersion() + ") has no column '" + name + "'");
            }
            readSchema = readSchema.add(field);
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
                        if (column != null && !partitionMayMatch(scanFile, column, value)) {
                            continue;
                        }
                        readFile(scanState, scanFile, physicalSchema, readSchema, column, value, rows);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Delta table " + tablePath + ": " + e.getMessage(), e);
        }
        return new Snapshot(snapshot.getVersion(), rows);
    }

    private static boolean partitionMayMatch(Row scanFile, String column, String value) {
        Map<String, String> partition = InternalScanFileUtils.getPartitionValues(scanFile);
        return !partition.containsKey(column) || value.equals(partition.get(column));
    }

    private void readFile(Row scanState, Row scanFile, StructType physicalSchema, StructType readSchema, String column,
                          String value, List<Map<String, Object>> rows) throws IOException {
        FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
        CloseableIterator<FileReadResult> results = engine.getParquetHandler()
                .readParquetFiles(Utils.singletonCloseableIterator(status), physicalSchema, Optional.empty());
        CloseableIterator<ColumnarBatch> physical = results.map(FileReadResult::getData);
        try (CloseableIterator<FilteredColumnarBatch> logical = Scan.transformPhysicalData(engine, scanState, scanFile, physical)) {
            while (logical.hasNext()) {
                try (CloseableIterator<Row> batchRows = logical.next().getRows()) {
                    while (batchRows.hasNext()) {
                        Row row = batchRows.next();
                        Map<String, Object> values = new LinkedHashMap<>();
                        for (int i = 0; i < readSchema.length(); i++) {
                            values.put(readSchema.at(i).getName(), value(row, i, readSchema.at(i).getDataType()));
                        }
                        if (column == null || value.equals(values.get(column))) {
                            rows.add(values);
                        }
                    }
                }
            }
        }
    }

    private static Object value(Row row, int ordinal, DataType type) {
        if (row.isNullAt(ordinal)) {
            return null;
        }
        if (type instanceof StringType) {
            return row.getString(ordinal);
        } else if (type instanceof LongType || type instanceof TimestampType) {
            return row.getLong(ordinal);
        } else if (type instanceof IntegerType) {
            return row.getInt(ordinal);
        } else if (type instanceof DoubleType) {
            return row.getDouble(ordinal);
        } else if (type instanceof BooleanType) {
            return row.getBoolean(ordinal);
        }
        throw new UserError("column type " + type + " is not read by the training jobs");
    }

    private io.delta.kernel.Snapshot snapshot(String tablePath, OptionalLong version) {
        Table table = Table.forPath(engine, tablePath);
        try {
            return version.isPresent() ? table.getSnapshotAsOfVersion(engine, version.getAsLong()) : table.getLatestSnapshot(engine);
        } catch (TableNotFoundException e) {
            throw new UserError("no Delta table at " + tablePath);
        } catch (RuntimeException e) {
            if (version.isPresent()) {
                throw new UserError("cannot read " + tablePath + " at version " + version.getAsLong() + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /**
     * Appends {@code rows} (values in {@code schema} order) to the table, creating it with {@code schema}
     * and {@code partitionColumns} first if needed; one commit per partition value. Returns the new version.
     */
    public long append(String tablePath, StructType schema, List<String> partitionColumns, List<Object[]> rows) {
        Map<List<Object>, List<Object[]>> byPartition = new LinkedHashMap<>();
        for (Object[] row : rows) {
            List<Object> key = new ArrayList<>();
            for (String column : partitionColumns) {
                key.add(row[schema.indexOf(column)]);
            }
            byPartition.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
        }
        long version = -1;
        for (Map.Entry<List<Object>, List<Object[]>> group : byPartition.entrySet()) {
            version = commit(tablePath, schema, partitionColumns, group.getKey(), group.getValue());
        }
        return version;
    }

    private long commit(String tablePath, StructType schema, List<String> partitionColumns, List<Object> partitionKey,
                        List<Object[]> rows) {
        Table table = Table.forPath(engine, tablePath);
        boolean exists = exists(tablePath);
        TransactionBuilder builder = table.createTransactionBuilder(engine, "tributary-training-jobs",
                exists ? Operation.WRITE : Operation.CREATE_TABLE);
        if (!exists) {
            builder = builder.withSchema(engine, schema).withPartitionColumns(engine, partitionColumns);
        }
        Transaction transaction = builder.build(engine);
        Row state = transaction.getTransactionState(engine);
        Map<String, Literal> partitionValues = new LinkedHashMap<>();
        for (int i = 0; i < partitionColumns.size(); i++) {
            partitionValues.put(partitionColumns.get(i), Literal.ofString(String.valueOf(partitionKey.get(i))));
        }
        FilteredColumnarBatch batch = new FilteredColumnarBatch(new RowBatch(schema, rows), Optional.empty());
        try {
            CloseableIterator<FilteredColumnarBatch> logical = Transaction.transformLogicalData(engine, state,
                    Utils.singletonCloseableIterator(batch), partitionValues);
            DataWriteContext context = Transaction.getWriteContext(engine, state, partitionValues);
            CloseableIterator<DataFileStatus> files = engine.getParquetHandler()
                    .writeParquetFiles(context.getTargetDirectory(), logical, context.getStatisticsColumns());
            CloseableIterator<Row> actions = Transaction.generateAppendActions(engine, state, files, context);
            return transaction.commit(engine, CloseableIterable.inMemoryIterable(actions)).getVersion();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to Delta table " + tablePath + ": " + e.getMessage(), e);
        }
    }

    /** Rows held in memory as a Kernel batch. */
    private record RowBatch(StructType schema, List<Object[]> rows) implements ColumnarBatch {
        @Override
        public StructType getSchema() {
            return schema;
        }

        @Override
        public ColumnVector getColumnVector(int ordinal) {
            return new ListVector(schema.at(ordinal).getDataType(), rows, ordinal);
        }

        @Override
        public int getSize() {
            return rows.size();
        }

        /** Kernel drops partition columns before writing Parquet files. */
        @Override
        public ColumnarBatch withDeletedColumnAt(int ordinal) {
            StructType kept = new StructType();
            for (int i = 0; i < schema.length(); i++) {
                if (i != ordinal) {
                    kept = kept.add(schema.at(i));
                }
            }
            List<Object[]> narrowed = new ArrayList<>(rows.size());
            for (Object[] row : rows) {
                Object[] copy = new Object[row.length - 1];
                System.arraycopy(row, 0, copy, 0, ordinal);
                System.arraycopy(row, ordinal + 1, copy, ordinal, row.length - ordinal - 1);
                narrowed.add(copy);
            }
            return new RowBatch(kept, narrowed);
        }
    }

    /** One column of in-memory rows. */
    private record ListVector(DataType type, List<Object[]> rows, int ordinal) implements ColumnVector {
        @Override
        public DataType getDataType() {
            return type;
        }

        @Override
        public int getSize() {
            return rows.size();
        }

        @Override
        public void close() {}

        @Override
        public boolean isNullAt(int row) {
            return rows.get(row)[ordinal] == null;
        }

        @Override
        public boolean getBoolean(int row) {
            return (Boolean) rows.get(row)[ordinal];
        }

        @Override
        public int getInt(int row) {
            return ((Number) rows.get(row)[ordinal]).intValue();
        }

        @Override
        public long getLong(int row) {
            return ((Number) rows.get(row)[ordinal]).longValue();
        }

        @Override
        public double getDouble(int row) {
            return ((Number) rows.get(row)[ordinal]).doubleValue();
        }

        @Override
        public String getString(int row) {
            return (String) rows.get(row)[ordinal];
        }
    }
}
