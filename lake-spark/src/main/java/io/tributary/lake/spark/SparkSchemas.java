package io.tributary.lake.spark;

import io.tributary.core.lake.Column;
import io.tributary.core.lake.ColumnType;
import io.tributary.core.lake.LakeTable;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Spark's view of a table declared in core's {@link LakeTable}: the one schema, adapted to Spark types. */
public final class SparkSchemas {
    private SparkSchemas() {}

    public static StructType of(LakeTable table) {
        StructType out = new StructType();
        for (Column column : table.schema().columns()) {
            out = out.add(column.name(), type(column.type()), column.nullable());
        }
        return out;
    }

    private static DataType type(ColumnType type) {
        if (type instanceof ColumnType.ArrayOf array) {
            return DataTypes.createArrayType(primitive(array.element()), array.elementsNullable());
        }
        return primitive((ColumnType.Primitive) type);
    }

    private static DataType primitive(ColumnType.Primitive primitive) {
        return switch (primitive) {
            case STRING -> DataTypes.StringType;
            case INT -> DataTypes.IntegerType;
            case LONG -> DataTypes.LongType;
            case DOUBLE -> DataTypes.DoubleType;
            case BOOLEAN -> DataTypes.BooleanType;
            case TIMESTAMP -> DataTypes.TimestampType;
            case BINARY -> DataTypes.BinaryType;
        };
    }
}
