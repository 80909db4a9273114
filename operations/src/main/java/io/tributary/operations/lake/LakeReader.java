package io.tributary.operations.lake;

import io.delta.kernel.engine.Engine;
import io.tributary.core.config.TributaryConfig;
import io.tributary.core.lake.LakeTable;
import io.tributary.lake.kernel.KernelTable;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the lake's tables for the auditor and the dashboard through Delta Kernel: each table's latest version,
 * and its rows, re-read only when the version moved (tables are appended to, so a version is immutable).
 * A table that does not exist yet reads as version -1 with no rows.
 */
public final class LakeReader {
    private final Engine engine;
    private final String lakeRoot;
    private final Map<LakeTable, KernelTable.Rows> cache = new ConcurrentHashMap<>();

    public LakeReader(Engine engine, String lakeRoot) {
        this.engine = engine;
        this.lakeRoot = lakeRoot;
    }

    public static LakeReader of(TributaryConfig config) {
        return new LakeReader(KernelTable.engine(config.map("tributary.hadoop.conf")), config.lakeRoot());
    }

    public String lakeRoot() {
        return lakeRoot;
    }

    /** The latest version of the table, or -1 when it does not exist. */
    public long version(LakeTable table) {
        return KernelTable.reading(engine, lakeRoot, table).newestCommit().orElse(-1);
    }

    /** The latest version of each table (-1: not there yet), in the tables' declaration order. */
    public Map<LakeTable, Long> versions(List<LakeTable> tables) {
        Map<LakeTable, Long> versions = new EnumMap<>(LakeTable.class);
        for (LakeTable table : tables) {
            versions.put(table, version(table));
        }
        return versions;
    }

    /** Every row of the table's latest version (none when it does not exist). */
    public List<Map<String, Object>> rows(LakeTable table) {
        long latest = version(table);
        if (latest < 0) {
            return List.of();
        }
        KernelTable.Rows cached = cache.get(table);
        if (cached == null || cached.version() != latest) {
            cached = KernelTable.reading(engine, lakeRoot, table).read(OptionalLong.of(latest), List.of());
            cache.put(table, cached);
        }
        return cached.rows();
    }

    /** The rows whose {@code column} equals {@code value} (partitions of other values are not opened). */
    public List<Map<String, Object>> rows(LakeTable table, String column, Object value) {
        long latest = version(table);
        if (latest < 0) {
            return List.of();
        }
        KernelTable.Rows cached = cache.get(table);
        if (cached != null && cached.version() == latest) {
            return cached.rows().stream().filter(row -> java.util.Objects.equals(value, row.get(column))).toList();
        }
        return KernelTable.reading(engine, lakeRoot, table).read(OptionalLong.of(latest), List.of(), column, value).rows();
    }
}
