package io.tributary.core.lake;

import java.util.Objects;

/** One column of a lake table: its name, type and whether it may be null. */
public record Column(String name, ColumnType type, boolean nullable) {
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("column names are lower snake case: '" + name + "'");
        }
    }

    public static Column required(String name, ColumnType type) {
        return new Column(name, type, false);
    }

    public static Column optional(String name, ColumnType type) {
        return new Column(name, type, true);
    }
}
