package io.tributary.settlement.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelTableTest {
    @TempDir
    Path lake;

    @Test
    void appends_and_reads_back_every_column_type() {
        StructType schema = new StructType()
                .add("name", StringType.STRING)
                .add("count", LongType.LONG)
                .add("at", TimestampType.TIMESTAMP)
                .add("items", new ArrayType(StringType.STRING, true));
        KernelTable table = new KernelTable(new Configuration(), lake.resolve("t").toUri().toString(), schema);
        assertThat(table.exists()).isFalse();
        assertThat(table.readAll()).isEmpty();
        Instant at = Instant.parse("2026-11-24T10:00:00.123456Z");
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("name", "a");
        first.put("count", 1L);
        first.put("at", at);
        first.put("items", List.of("x", "y"));
        table.append(List.of(first));
        Map<String, Object> second = new LinkedHashMap<>(first);
        second.put("name", "b");
        second.put("items", List.of());
        table.append(List.of(second));

        List<Map<String, Object>> rows = table.readAll();
        assertThat(rows).hasSize(2);
        assertThat(rows).anySatisfy(row -> {
            assertThat(row.get("name")).isEqualTo("a");
            assertThat(row.get("count")).isEqualTo(1L);
            assertThat(row.get("at")).isEqualTo(at);
            assertThat(row.get("items")).isEqualTo(List.of("x", "y"));
        });
    }
}
