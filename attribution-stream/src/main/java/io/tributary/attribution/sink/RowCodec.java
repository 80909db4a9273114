package io.tributary.attribution.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.lake.Column;
import io.tributary.core.lake.ColumnType;
import io.tributary.core.lake.LakeTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rows of the stream's lake tables as JSON text and back, typed by the table's one schema in core: what the
 * operator emits, the writer stages in files and the committer appends through Delta Kernel (timestamps as
 * microseconds, binary as base64). An unknown column or a value of the wrong type is a bug and throws.
 */
public final class RowCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RowCodec() {}

    public static String encode(LakeTable table, Map<String, Object> values) {
        ObjectNode node = JSON.createObjectNode();
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            Column column = table.schema().require(entry.getKey());
            Object value = entry.getValue();
            if (value == null) {
                if (!column.nullable()) {
                    throw new IllegalArgumentException(table.tableName() + "." + column.name() + " must not be null");
                }
                continue;
            }
            switch ((ColumnType.Primitive) column.type()) {
                case STRING -> node.put(column.name(), (String) value);
                case INT -> node.put(column.name(), (Integer) value);
                case LONG -> node.put(column.name(), (Long) value);
                case DOUBLE -> node.put(column.name(), (Double) value);
                case BOOLEAN -> node.put(column.name(), (Boolean) value);
                case TIMESTAMP -> node.put(column.name(), ChronoUnit.MICROS.between(Instant.EPOCH, (Instant) value));
                case BINARY -> node.put(column.name(), Base64.getEncoder().encodeToString((byte[]) value));
            }
        }
        return node.toString();
    }

    public static Map<String, Object> decode(LakeTable table, String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("a staged row of " + table.tableName() + " is not JSON", e);
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (Column column : table.schema().columns()) {
            JsonNode value = node.get(column.name());
            if (value == null || value.isNull()) {
                row.put(column.name(), null);
                continue;
            }
            row.put(column.name(), switch ((ColumnType.Primitive) column.type()) {
                case STRING -> value.textValue();
                case INT -> value.intValue();
                case LONG -> value.longValue();
                case DOUBLE -> value.doubleValue();
                case BOOLEAN -> value.booleanValue();
                case TIMESTAMP -> Instant.EPOCH.plus(value.longValue(), ChronoUnit.MICROS);
                case BINARY -> Base64.getDecoder().decode(value.textValue());
            });
        }
        return row;
    }
}
