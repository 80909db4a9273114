package io.tributary.lake.kernel;

import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows as Java values and back: a row is a map from column name to String, Integer, Long, Double, Boolean,
 * Instant (timestamp), byte[] (binary) or List of those (array); these are the column types lake tables use here.
 */
public final class KernelRows {
    private KernelRows() {}

    /** A row from {@code values} given in {@code schema} order (nulls allowed), for callers that build rows positionally. */
    public static Map<String, Object> of(StructType schema, Object... values) {
        if (values.length != schema.length()) {
            throw new IllegalArgumentException(values.length + " values for the " + schema.length() + " columns " + schema.fieldNames());
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            row.put(schema.at(i).getName(), values[i]);
        }
        return row;
    }

    static Map<String, Object> toMap(Row row, StructType schema, String table) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < schema.length(); i++) {
            StructField field = schema.at(i);
            values.put(field.getName(), row.isNullAt(i) ? null : read(row, i, field, table));
        }
        return values;
    }

    private static Object read(Row row, int ordinal, StructField field, String table) {
        DataType type = field.getDataType();
        if (type instanceof ArrayType array) {
            ArrayValue value = row.getArray(ordinal);
            ColumnVector elements = value.getElements();
            List<Object> list = new ArrayList<>(value.getSize());
            for (int i = 0; i < value.getSize(); i++) {
                list.add(elements.isNullAt(i) ? null : element(elements, i, array.getElementType(), field, table));
            }
            return list;
        }
        return element(new RowColumn(row, ordinal, type), 0, type, field, table);
    }

    private static Object element(ColumnVector vector, int i, DataType type, StructField field, String table) {
        if (type instanceof StringType) {
            return vector.getString(i);
        } else if (type instanceof LongType) {
            return vector.getLong(i);
        } else if (type instanceof IntegerType) {
            return vector.getInt(i);
        } else if (type instanceof DoubleType) {
            return vector.getDouble(i);
        } else if (type instanceof BooleanType) {
            return vector.getBoolean(i);
        } else if (type instanceof TimestampType) {
            return Instant.EPOCH.plus(vector.getLong(i), ChronoUnit.MICROS);
        } else if (type instanceof BinaryType) {
            return vector.getBinary(i);
        }
        throw new IllegalArgumentException("column '" + field.getName() + "' of Delta table " + table + " has type " + type
                + ", which is not read here; leave it out of the columns read");
    }

    /**
     * The rows as a Kernel batch of {@code schema}, each value checked against its column's type first so a
     * wrong value is named here rather than failing deep inside the Parquet writer.
     */
    static ColumnarBatch toBatch(StructType schema, List<Map<String, Object>> rows, String table) {
        List<List<Object>> columns = new ArrayList<>(schema.length());
        for (StructField field : schema.fields()) {
            List<Object> column = new ArrayList<>(rows.size());
            for (Map<String, Object> row : rows) {
                column.add(normalize(row.get(field.getName()), field.getDataType(), field, table));
            }
            columns.add(column);
        }
        for (Map<String, Object> row : rows) {
            for (String name : row.keySet()) {
                if (schema.indexOf(name) < 0) {
                    throw new IllegalArgumentException("Delta table " + table + " has no column '" + name + "' (columns: "
                            + schema.fieldNames() + ")");
                }
            }
        }
        return new ListBatch(schema, columns);
    }

    /** Values as the vectors hand them to Kernel: Integer, Long (timestamps in microseconds), Double, Boolean, String, List. */
    private static Object normalize(Object value, DataType type, StructField field, String table) {
        if (value == null) {
            if (!field.isNullable()) {
                throw new IllegalArgumentException("column '" + field.getName() + "' of Delta table " + table + " may not be null");
            }
            return null;
        }
        if (type instanceof StringType && value instanceof String) {
            return value;
        } else if (type instanceof LongType && isIntegral(value)) {
            return ((Number) value).longValue();
        } else if (type instanceof IntegerType && isIntegral(value)) {
            return Math.toIntExact(((Number) value).longValue());
        } else if (type instanceof DoubleType && value instanceof Number number) {
            return number.doubleValue();
        } else if (type instanceof BooleanType && value instanceof Boolean) {
            return value;
        } else if (type instanceof BinaryType && value instanceof byte[] bytes) {
            return bytes;
        } else if (type instanceof TimestampType && value instanceof Instant instant) {
            return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
        } else if (type instanceof ArrayType array && value instanceof List<?> list) {
            List<Object> elements = new ArrayList<>(list.size());
            StructField element = new StructField(field.getName() + "[]", array.getElementType(), array.containsNull());
            for (Object item : list) {
                elements.add(normalize(item, array.getElementType(), element, table));
            }
            return elements;
        }
        throw new IllegalArgumentException("column '" + field.getName() + "' of Delta table " + table + " has type " + type
                + "; cannot write " + value.getClass().getSimpleName() + " " + value);
    }

    private static boolean isIntegral(Object value) {
        return value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
    }

    /** Rows held in memory, column by column. */
    private record ListBatch(StructType schema, List<List<Object>> columns) implements ColumnarBatch {
        @Override
        public StructType getSchema() {
            return schema;
        }

        @Override
        public ColumnVector getColumnVector(int ordinal) {
            return new ListVector(schema.at(ordinal).getDataType(), columns.get(ordinal));
        }

        @Override
        public int getSize() {
            return columns.isEmpty() ? 0 : columns.get(0).size();
        }

        /** Kernel drops partition columns this way before it writes the Parquet files. */
        @Override
        public ColumnarBatch withDeletedColumnAt(int ordinal) {
            StructType kept = new StructType();
            List<List<Object>> keptColumns = new ArrayList<>(columns);
            for (int i = 0; i < schema.length(); i++) {
                if (i != ordinal) {
                    kept = kept.add(schema.at(i));
                }
            }
            keptColumns.remove(ordinal);
            return new ListBatch(kept, keptColumns);
        }
    }

    /** One column (or one array's elements) of normalized values. */
    private record ListVector(DataType type, List<Object> values) implements ColumnVector {
        @Override
        public DataType getDataType() {
            return type;
        }

        @Override
        public int getSize() {
            return values.size();
        }

        @Override
        public void close() {}

        @Override
        public boolean isNullAt(int row) {
            return values.get(row) == null;
        }

        @Override
        public boolean getBoolean(int row) {
            return (Boolean) values.get(row);
        }

        @Override
        public int getInt(int row) {
            return (Integer) values.get(row);
        }

        @Override
        public long getLong(int row) {
            return (Long) values.get(row);
        }

        @Override
        public double getDouble(int row) {
            return (Double) values.get(row);
        }

        @Override
        public String getString(int row) {
            return (String) values.get(row);
        }

        @Override
        public byte[] getBinary(int row) {
            return (byte[]) values.get(row);
        }

        @Override
        public ArrayValue getArray(int row) {
            @SuppressWarnings("unchecked")
            List<Object> elements = (List<Object>) values.get(row);
            DataType elementType = ((ArrayType) type).getElementType();
            return new ArrayValue() {
                @Override
                public int getSize() {
                    return elements.size();
                }

                @Override
                public ColumnVector getElements() {
                    return new ListVector(elementType, elements);
                }
            };
        }
    }

    /** One field of a Kernel row seen as a one-value vector, so rows and array elements convert the same way. */
    private record RowColumn(Row row, int ordinal, DataType type) implements ColumnVector {
        @Override
        public DataType getDataType() {
            return type;
        }

        @Override
        public int getSize() {
            return 1;
        }

        @Override
        public void close() {}

        @Override
        public boolean isNullAt(int i) {
            return row.isNullAt(ordinal);
        }

        @Override
        public boolean getBoolean(int i) {
            return row.getBoolean(ordinal);
        }

        @Override
        public int getInt(int i) {
            return row.getInt(ordinal);
        }

        @Override
        public long getLong(int i) {
            return row.getLong(ordinal);
        }

        @Override
        public double getDouble(int i) {
            return row.getDouble(ordinal);
        }

        @Override
        public String getString(int i) {
            return row.getString(ordinal);
        }

        @Override
        public byte[] getBinary(int i) {
            return row.getBinary(ordinal);
        }
    }
}
