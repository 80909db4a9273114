package io.tributary.ingestion.lake;

import io.tributary.core.lake.Column;
import io.tributary.core.lake.ColumnType;
import io.tributary.core.lake.LakeTable;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark's view of the tables this module writes: each adapted from its one declaration in core's
 * {@link LakeTable} (columns, types, nullability), never restated here.
 */
public final class LakeSchemas {
    public static final StructType DATANETS = of(LakeTable.DATANETS);
    public static final StructType CONTRIBUTIONS = of(LakeTable.CONTRIBUTIONS);
    public static final StructType QUARANTINE = of(LakeTable.QUARANTINE);
    public static final StructType BATCHES = of(LakeTable.BATCHES);

    private LakeSchemas() {}

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
