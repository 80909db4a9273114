package io.tributary.lake.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelTableTest {
    static final StructType EVERY_TYPE = new StructType()
            .add("name", StringType.STRING, false)
            .add("count", LongType.LONG)
            .add("rank", IntegerType.INTEGER)
            .add("loss", DoubleType.DOUBLE)
            .add("valid", BooleanType.BOOLEAN)
            .add("at", TimestampType.TIMESTAMP)
            .add("items", new ArrayType(StringType.STRING, true));
    static final StructType CONTRIBUTIONS = new StructType()
            .add("contribution_id", StringType.STRING)
            .add("datanet", StringType.STRING)
            .add("ingest_order", LongType.LONG);

    final Engine engine = KernelTable.engine(Map.of());

    @TempDir
    Path lake;

    private String path(String name) {
        return lake.resolve(name).toUri().toString();
    }

    @Test
    void writesAndReadsBackEveryColumnType() {
        KernelTable table = KernelTable.writing(engine, path("t"), EVERY_TYPE);
        assertThat(table.exists()).isFalse();
        assertThat(table.readAll()).isEmpty();
        Instant at = Instant.parse("2026-11-24T10:00:00.123456Z");
        Map<String, Object> first = KernelRows.of(EVERY_TYPE, "a", 1L, 4, 0.25, true, at, List.of("x", "y"));
        Map<String, Object> second = KernelRows.of(EVERY_TYPE, "b", null, null, null, null, null, List.of());

        assertThat(table.append(List.of(first))).isZero();
        assertThat(table.append(List.of(second))).isEqualTo(1);

        assertThat(table.exists()).isTrue();
        assertThat(table.readAll()).containsExactlyInAnyOrder(first, second);
        assertThat(table.columns(OptionalLong.empty())).containsExactly("name", "count", "rank", "loss", "valid", "at", "items");
    }

    @Test
    void newestCommitIsTheLatestVersionWithoutASnapshot() {
        KernelTable table = KernelTable.writing(engine, path("t"), EVERY_TYPE);
        assertThat(table.newestCommit()).isEmpty();
        for (int i = 0; i < 11; i++) { // past version 10: names compare as 20-digit numbers
            table.append(List.of(KernelRows.of(EVERY_TYPE, "r" + i, null, null, null, null, null, List.of())));
        }
        assertThat(table.newestCommit()).hasValue(table.latestVersion()).hasValue(10);
        assertThat(KernelTable.reading(engine, lake.resolve("t").toString()).newestCommit()).hasValue(10);
    }

    @Test
    void writesADeltaCheckpointEveryTenVersionsSoLoadsStopReplayingTheWholeLog() {
        KernelTable table = KernelTable.writing(engine, path("t"), EVERY_TYPE);
        for (int i = 0; i < 12; i++) {
            table.append(List.of(KernelRows.of(EVERY_TYPE, "r" + i, (long) i, null, null, null, null, List.of())),
                    new TransactionId("stream", i));
        }
        Path log = lake.resolve("t/_delta_log");
        assertThat(log.resolve("00000000000000000010.checkpoint.parquet")).exists();
        assertThat(log.resolve("_last_checkpoint")).exists();
        // Read back through the checkpoint: every row, and the transaction ids it carries.
        KernelTable again = KernelTable.reading(engine, path("t"));
        assertThat(again.readAll()).hasSize(12);
        assertThat(again.committedVersion("stream")).contains(11L);
        assertThat(again.append(List.of(), new TransactionId("stream", 10))).as("replay through a checkpoint").isEmpty();
    }

    @Test
    void readsAPinnedVersionAndOnlyTheColumnsAsked() {
        KernelTable table = KernelTable.writing(engine, path("t"), EVERY_TYPE);
        long first = table.append(List.of(KernelRows.of(EVERY_TYPE, "a", 1L, 1, 1.0, true, Instant.EPOCH, List.of())));
        table.append(List.of(KernelRows.of(EVERY_TYPE, "b", 2L, 2, 2.0, false, Instant.EPOCH, List.of())));

        KernelTable.Rows pinned = table.read(OptionalLong.of(first), List.of("name", "count"));
        assertThat(pinned.version()).isEqualTo(first);
        assertThat(pinned.rows()).containsExactly(Map.of("name", "a", "count", 1L));
        KernelTable.Rows latest = table.read(OptionalLong.empty(), List.of("name"));
        assertThat(latest.version()).isEqualTo(table.latestVersion()).isEqualTo(first + 1);
        assertThat(latest.rows()).extracting(row -> row.get("name")).containsExactlyInAnyOrder("a", "b");

        assertThatThrownBy(() -> table.read(OptionalLong.of(9), List.of())).isInstanceOf(LakeException.class).hasMessageContaining("version 9");
        assertThatThrownBy(() -> table.read(OptionalLong.empty(), List.of("nope"))).isInstanceOf(LakeException.class)
                .hasMessageContaining("no column 'nope'");
    }

    @Test
    void appendsEveryPartitionInOneCommitAndReadsOnePartition() throws Exception {
        KernelTable table = KernelTable.writing(engine, path("contributions"), CONTRIBUTIONS, "datanet");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            rows.add(KernelRows.of(CONTRIBUTIONS, "c" + i, i % 2 == 0 ? "legal" : "medical", (long) i));
        }
        long version = table.append(rows);
        assertThat(version).as("one commit for both partitions").isZero();
        try (Stream<Path> dirs = Files.list(lake.resolve("contributions"))) {
            assertThat(dirs.map(dir -> dir.getFileName().toString())).contains("datanet=legal", "datanet=medical");
        }

        KernelTable.Rows legal = table.read(OptionalLong.empty(), List.of("contribution_id", "datanet"), "datanet", "legal");
        assertThat(legal.rows()).extracting(row -> row.get("contribution_id")).containsExactlyInAnyOrder("c0", "c2", "c4");
        // One commit held both partitions: a reader pinned to it sees every row of the append.
        assertThat(table.read(OptionalLong.of(0), List.of(), "datanet", "medical").rows()).hasSize(3);
        assertThat(table.read(OptionalLong.of(0), List.of(), "datanet", "legal").rows()).hasSize(3);
        // A filter on a column that is not a partition column works on the rows.
        assertThat(table.read(OptionalLong.empty(), List.of(), "ingest_order", 5L).rows())
                .containsExactly(Map.of("contribution_id", "c5", "datanet", "medical", "ingest_order", 5L));

        // A table opened for reading appends with the schema and partitioning it already has.
        KernelTable again = KernelTable.reading(engine, path("contributions"));
        again.append(List.of(KernelRows.of(CONTRIBUTIONS, "c6", "legal", 6L)));
        assertThat(again.read(OptionalLong.empty(), List.of(), "datanet", "legal").rows()).hasSize(4);
    }

    @Test
    void namesTheTableAndColumnOfAWrongValue() {
        KernelTable table = KernelTable.writing(engine, path("t"), EVERY_TYPE);
        assertThatThrownBy(() -> table.append(List.of(Map.of("name", "a", "count", "one"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'count'").hasMessageContaining(path("t"));
        assertThatThrownBy(() -> table.append(List.of(Map.of("count", 1L))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'name'").hasMessageContaining("null");
        assertThatThrownBy(() -> table.append(List.of(Map.of("name", "a", "extra", 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no column 'extra'");
        assertThat(table.exists()).isFalse();
        assertThatThrownBy(() -> KernelTable.reading(engine, path("missing")).append(List.of(Map.of("name", "a"))))
                .isInstanceOf(LakeException.class).hasMessageContaining("no Delta table");
        assertThatThrownBy(() -> KernelTable.reading(engine, path("missing")).read(OptionalLong.empty(), List.of()))
                .isInstanceOf(LakeException.class).hasMessageContaining("no Delta table");
    }

    @Test
    void aReplayedTransactionCommitsNothingAndAnEmptyOneRecordsTheWork() {
        KernelTable table = KernelTable.writing(engine, path("t"), EVERY_TYPE);
        Map<String, Object> row = KernelRows.of(EVERY_TYPE, "a", 1L, 1, 1.0, true, Instant.EPOCH, List.of());
        assertThat(table.committedVersion("stream")).isEmpty();
        assertThat(table.append(List.of(row), new TransactionId("stream", 7))).hasValue(0);
        assertThat(table.append(List.of(row), new TransactionId("stream", 7))).as("replay").isEmpty();
        assertThat(table.append(List.of(row), new TransactionId("stream", 6))).as("older").isEmpty();
        assertThat(table.readAll()).hasSize(1);
        assertThat(table.committedVersion("stream")).contains(7L);
        // Another application's ids are its own; an empty append still records that the work was done.
        assertThat(table.append(List.of(), new TransactionId("other", 7))).hasValue(1);
        assertThat(table.committedVersion("other")).contains(7L);
        assertThat(table.append(List.of(row), new TransactionId("stream", 8))).hasValue(2);
        assertThat(table.readAll()).hasSize(2);
    }
}
