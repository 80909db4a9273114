package io.tributary.lake.kernel;

import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.tributary.core.lake.Column;
import io.tributary.core.lake.ColumnType;
import io.tributary.core.lake.TableSchema;

/** Core's engine-neutral table schemas as Delta Kernel types. */
public final class KernelSchemas {
    private KernelSchemas() {}

    public static StructType of(TableSchema schema) {
        StructType struct = new StructType();
        for (Column column : schema.columns()) {
            struct = struct.add(column.name(), type(column.type()), column.nullable());
        }
        return struct;
    }

    static DataType type(ColumnType type) {
        if (type instanceof ColumnType.ArrayOf array) {
            return new ArrayType(primitive(array.element()), array.elementsNullable());
        }
        return primitive((ColumnType.Primitive) type);
    }

    private static DataType primitive(ColumnType.Primitive primitive) {
        return switch (primitive) {
            case STRING -> StringType.STRING;
            case INT -> IntegerType.INTEGER;
            case LONG -> LongType.LONG;
            case DOUBLE -> DoubleType.DOUBLE;
            case BOOLEAN -> BooleanType.BOOLEAN;
            case TIMESTAMP -> TimestampType.TIMESTAMP;
            case BINARY -> BinaryType.BINARY;
        };
    }
}
