package io.tributary.core.lake;

/** The type of a lake column, in terms every engine (Spark, Delta Kernel, Flink) can represent. */
public sealed interface ColumnType permits ColumnType.Primitive, ColumnType.ArrayOf {

    /** Scalar types; a timestamp is UTC with microsecond precision, as Delta stores it. */
    enum Primitive implements ColumnType {
        STRING, INT, LONG, DOUBLE, BOOLEAN, TIMESTAMP, BINARY
    }

    /** An array of one scalar type. */
    record ArrayOf(Primitive element, boolean elementsNullable) implements ColumnType {}

    static ArrayOf arrayOf(Primitive element) {
        return new ArrayOf(element, false);
    }
}
