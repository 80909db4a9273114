package io.tributary.core.lake;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The engine-neutral schema of a lake table: its columns in order and its partition columns. Each engine
 * adapts it to its own types (Spark's StructType, Delta Kernel's StructType); no engine restates columns.
 */
public record TableSchema(List<Column> columns, List<String> partitionColumns) {
    public TableSchema {
        columns = List.copyOf(columns);
        partitionColumns = List.copyOf(partitionColumns);
        Set<String> names = new HashSet<>();
        for (Column column : columns) {
            if (!names.add(column.name())) {
                throw new IllegalArgumentException("column '" + column.name() + "' is declared twice");
            }
        }
        for (String partition : partitionColumns) {
            Column column = columns.stream().filter(c -> c.name().equals(partition)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("partition column '" + partition + "' is not a column"));
            if (!(column.type() instanceof ColumnType.Primitive primitive)
                    || primitive == ColumnType.Primitive.BINARY || primitive == ColumnType.Primitive.DOUBLE) {
                throw new IllegalArgumentException("partition column '" + partition + "' must be a string, integer or timestamp");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The column called {@code name}; an unknown name is a programming error. */
    public Column require(String name) {
        return column(name).orElseThrow(() -> new IllegalArgumentException("no column '" + name + "' in " + columnNames()));
    }

    /** Collects columns in declaration order. */
    public static final class Builder {
        private final List<Column> columns = new ArrayList<>();
        private final List<String> partitions = new ArrayList<>();

        public Builder required(String name, ColumnType type) {
            columns.add(Column.required(name, type));
            return this;
        }

        public Builder optional(String name, ColumnType type) {
            columns.add(Column.optional(name, type));
            return this;
        }

        public Builder partitionedBy(String... names) {
            partitions.addAll(List.of(names));
            return this;
        }

        public TableSchema build() {
            return new TableSchema(columns, partitions);
        }
    }
}
