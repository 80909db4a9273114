package io.tributary.lake.kernel.adapters;

import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.StructType;
import io.tributary.core.lake.LakeTable;
import io.tributary.lake.kernel.KernelSchemas;
import io.tributary.lake.kernel.KernelTable;
import io.tributary.lake.kernel.LakeException;
import io.tributary.lake.kernel.TransactionId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The {@code adapters} Delta table: one row per trained adapter, keyed by its deterministic id, so
 * registering the same adapter twice changes nothing.
 */
public final class AdapterRegistry {
    /** The column holding the unique name given at registration. */
    public static final String NAME = "name";
    public static final StructType SCHEMA = KernelSchemas.of(LakeTable.ADAPTERS.schema());

    /** Columns `adapters list` shows. */
    public static final List<String> LIST_COLUMNS = List.of("adapter_id", "datanet", "datanet_version", "base_model",
            "rank", "target_modules", "examples", "eval_loss_before", "eval_loss_after", "artifact_path", "creator", "created_at",
            NAME);

    private final KernelTable table;

    public AdapterRegistry(Engine engine, String lakeRoot) {
        this.table = KernelTable.writing(engine, lakeRoot, LakeTable.ADAPTERS);
    }

    /**
     * Adds the record unless an adapter with its id is already registered; true when it added a row. A name must be
     * unused by every other adapter; a table written before names existed accepts only unnamed records.
     */
    public boolean register(AdapterRecord record) {
        Map<String, Object> row = new java.util.LinkedHashMap<>(record.row());
        if (table.exists()) {
            if (!table.read(OptionalLong.empty(), List.of("adapter_id"), "adapter_id", record.adapterId()).rows().isEmpty()) {
                return false;
            }
            boolean named = table.columns(OptionalLong.empty()).contains(NAME);
            if (!named && !record.name().isEmpty()) {
                throw new LakeException("the adapters table at " + table.path() + " predates adapter names; register '"
                        + record.name() + "' without --name or in a new lake");
            }
            if (!named) {
                row.remove(NAME);
            } else if (!record.name().isEmpty()) {
                List<Map<String, Object>> holders = table.read(OptionalLong.empty(), List.of("adapter_id", NAME), NAME, record.name()).rows();
                if (!holders.isEmpty()) {
                    throw new LakeException("adapter name '" + record.name() + "' is already taken by adapter "
                            + holders.get(0).get("adapter_id") + " in " + table.path());
                }
            }
        }
        // The check above is a snapshot; the commit decides. It carries a Delta transaction id keyed by the name
        // (or, unnamed, the adapter id), so of two registrations racing for one key exactly one commits.
        OptionalLong committed = table.append(List.of(row), new TransactionId(registrationKey(record), 1));
        if (committed.isPresent()) {
            return true;
        }
        if (!table.read(OptionalLong.empty(), List.of("adapter_id"), "adapter_id", record.adapterId()).rows().isEmpty()) {
            return false;
        }
        throw new LakeException("adapter name '" + record.name() + "' was just taken by another registration in "
                + table.path());
    }

    private static String registrationKey(AdapterRecord record) {
        return record.name().isEmpty() ? "tributary-adapter-id:" + record.adapterId() : "tributary-adapter-name:" + record.name();
    }

    /**
     * Registers many adapters in one commit (what a bulk import or a benchmark needs: one Delta commit, not one per
     * adapter); ids already present are skipped, and names must be unused. Returns how many rows it added.
     */
    public int registerAll(List<AdapterRecord> records) {
        java.util.Set<String> present = new java.util.HashSet<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        boolean named = true;
        if (table.exists()) {
            named = table.columns(OptionalLong.empty()).contains(NAME);
            for (Map<String, Object> row : list(List.of("adapter_id", NAME))) {
                present.add((String) row.get("adapter_id"));
                if (row.get(NAME) != null) {
                    names.add((String) row.get(NAME));
                }
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AdapterRecord record : records) {
            if (!present.add(record.adapterId())) {
                continue;
            }
            if (!record.name().isEmpty() && (!named || !names.add(record.name()))) {
                throw new LakeException(named ? "adapter name '" + record.name() + "' is already taken in " + table.path()
                        : "the adapters table at " + table.path() + " predates adapter names; register '" + record.name() + "' without a name");
            }
            Map<String, Object> row = new java.util.LinkedHashMap<>(record.row());
            if (!named) {
                row.remove(NAME);
            }
            rows.add(row);
        }
        table.append(rows);
        return rows.size();
    }

    /**
     * Registered adapters, oldest first; empty when none was ever registered. A column the table does not have yet
     * (it was written before the column existed) reads as null.
     */
    public List<Map<String, Object>> list(List<String> columns) {
        if (!table.exists()) {
            return List.of();
        }
        List<String> present = table.columns(OptionalLong.empty());
        List<String> readable = columns.stream().filter(present::contains).toList();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> read : table.read(OptionalLong.empty(), readable.isEmpty() ? List.of("adapter_id") : readable).rows()) {
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            for (String column : columns.isEmpty() ? present : columns) {
                row.put(column, read.get(column));
            }
            rows.add(row);
        }
        if (columns.contains("created_at")) {
            rows.sort(Comparator.comparing((Map<String, Object> row) -> (Instant) row.get("created_at"))
                    .thenComparing(row -> (String) row.get("adapter_id")));
        }
        return rows;
    }

    public String path() {
        return table.path();
    }

    /** The table's latest version, or -1 when no adapter was ever registered: lets readers skip unchanged tables. */
    public long version() {
        return table.exists() ? table.latestVersion() : -1;
    }
}
