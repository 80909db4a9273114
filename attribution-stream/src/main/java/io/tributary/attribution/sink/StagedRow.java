package io.tributary.attribution.sink;

import io.tributary.core.lake.LakeTable;
import java.util.Map;

/**
 * One row bound for a lake table, as it travels from the attribution operator to the Delta sink: the table's name
 * and the row encoded by {@link RowCodec}. A Flink POJO.
 */
public class StagedRow {
    public String table;
    public String row;

    public StagedRow() {}

    public StagedRow(String table, String row) {
        this.table = table;
        this.row = row;
    }

    public static StagedRow of(LakeTable table, Map<String, Object> values) {
        return new StagedRow(table.tableName(), RowCodec.encode(table, values));
    }
}
