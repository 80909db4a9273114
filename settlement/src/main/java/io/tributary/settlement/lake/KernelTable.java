package io.tributary.settlement.lake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionBuilder;
import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * One Delta table read and appended to with Delta Kernel (no Spark on this classpath). Rows are maps
 * from column name to String, Long, Integer, Instant or List&lt;String&gt;; the supported column types are
 * exactly those. Kernel writes here are appends: state that changes is kept as a log of rows.
 */
public final class KernelTable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENGINE_INFO = "tributary-settlement";

    private final Engine engine;
    private final String path;
    private final StructType schema;

    public KernelTable(Configuration hadoop, String path, StructType schema) {
        this.engine = DefaultEngine.create(hadoop);
        this.path = path;
        this.schema = schema;
    }

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

    /** Appends rows in one commit, creating the table on first use. */
    public void append(List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Table table = Table.forPath(engine, path);
        boolean create = !exists();
        TransactionBuilder builder = table.createTransactionBuilder(engine, ENGINE_INFO,
                create ? Operation.CREATE_TABLE : Operation.WRITE);
        if (create) {
            builder = builder.withSchema(engine, schema);
        }
        Transaction transaction = builder.build(engine);
        Row state = transaction.getTransactionState(engine);
        ColumnarBatch batch = engine.getJsonHandler().parseJson(jsonVector(rows), schema, Optional.empty());
        CloseableIterator<FilteredColumnarBatch> logical =
                Utils.singletonCloseableIterator(new FilteredColumnarBatch(batch, Optional.empty()));
        try {
            CloseableIterator<FilteredColumnarBatch> physical =
                    Transaction.transformLogicalData(engine, state, logical, Map.of());
            DataWriteContext context = Transaction.getWriteContext(engine, state, Map.of());
            CloseableIterator<DataFileStatus> files = engine.getParquetHandler().writeParquetFiles(
                    context.getTargetDirectory(), physical, context.getStatisticsColumns());
            CloseableIterator<Row> actions = Transaction.generateAppendActions(engine, state, files, context);
            transaction.commit(engine, CloseableIterable.inMemoryIterable(actions));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to Delta table " + path, e);
        }
    }

    /** Every row of the latest version, or none when the table does not exist yet. */
    public List<Map<String, Object>> readAll() {
        Snapshot snapshot;
        try {
            snapshot = Table.forPath(engine, path).getLatestSnapshot(engine);
        } catch (TableNotFoundException e) {
            return List.of();
        }
        StructType tableSchema = snapshot.getSchema();
        Scan scan = snapshot.getScanBuilder().build();
        Row scanState = scan.getScanState(engine);
        StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(scanState);
        List<Map<String, Object>> out = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine)) {
            while (scanFiles.hasNext()) {
                try (CloseableIterator<Row> fileRows = scanFiles.next().getRows()) {
                    while (fileRows.hasNext()) {
                        Row scanFile = fileRows.next();
                        CloseableIterator<ColumnarBatch> data = engine.getParquetHandler().readParquetFiles(
                                Utils.singletonCloseableIterator(InternalScanFileUtils.getAddFileStatus(scanFile)),
                                physicalSchema, Optional.empty()).map(FileReadResult::getData);
                        try (CloseableIterator<FilteredColumnarBatch> logical =
                                Scan.transformPhysicalData(engine, scanState, scanFile, data)) {
                            while (logical.hasNext()) {
                                try (CloseableIterator<Row> rows = logical.next().getRows()) {
                                    while (rows.hasNext()) {
                                        out.add(toMap(rows.next(), tableSchema));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Delta table " + path, e);
        }
        return out;
    }

    private static Map<String, Object> toMap(Row row, StructType schema) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < schema.length(); i++) {
            StructField field = schema.at(i);
            values.put(field.getName(), row.isNullAt(i) ? null : value(row, i, field.getDataType()));
        }
        return values;
    }

    private static Object value(Row row, int ordinal, DataType type) {
        if (type instanceof StringType) {
            return row.getString(ordinal);
        } else if (type instanceof LongType) {
            return row.getLong(ordinal);
        } else if (type instanceof IntegerType) {
            return row.getInt(ordinal);
        } else if (type instanceof TimestampType) {
            long micros = row.getLong(ordinal);
            return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
        } else if (type instanceof ArrayType) {
            ArrayValue array = row.getArray(ordinal);
            ColumnVector elements = array.getElements();
            List<String> list = new ArrayList<>(array.getSize());
            for (int i = 0; i < array.getSize(); i++) {
                list.add(elements.isNullAt(i) ? null : elements.getString(i));
            }
            return list;
        }
        // Columns of other types (the batches table has a few) are not needed here.
        return null;
    }

    private static ColumnVector jsonVector(List<Map<String, Object>> rows) {
        List<String> lines = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            ObjectNode node = JSON.createObjectNode();
            for (Map.Entry<String, Object> entry : row.entrySet()) {
                Object value = entry.getValue();
                if (value == null) {
                    node.putNull(entry.getKey());
                } else if (value instanceof Instant instant) {
                    node.put(entry.getKey(), instant.toString());
                } else if (value instanceof List<?> list) {
                    ArrayNode array = node.putArray(entry.getKey());
                    list.forEach(item -> array.add(String.valueOf(item)));
                } else if (value instanceof Long || value instanceof Integer) {
                    node.put(entry.getKey(), ((Number) value).longValue());
                } else {
                    node.put(entry.getKey(), value.toString());
                }
            }
            lines.add(node.toString());
        }
        return new StringVector(lines);
    }

    /** A column of JSON lines handed to Kernel's JSON parser, which builds the typed batch. */
    private record StringVector(List<String> values) implements ColumnVector {
        @Override
        public DataType getDataType() {
            return StringType.STRING;
        }

        @Override
        public int getSize() {
            return values.size();
        }

        @Override
        public void close() {}

        @Override
        public boolean isNullAt(int rowId) {
            return values.get(rowId) == null;
        }

        @Override
        public String getString(int rowId) {
            return values.get(rowId);
        }
    }
}
