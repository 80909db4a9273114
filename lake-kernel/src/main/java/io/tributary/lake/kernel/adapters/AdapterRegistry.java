package io.tributary.lake.kernel.adapters;

import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.StructType;
import io.tributary.core.lake.LakeTable;
import io.tributary.lake.kernel.KernelSchemas;
import io.tributary.lake.kernel.KernelTable;
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
    public static final StructType SCHEMA = KernelSchemas.of(LakeTable.ADAPTERS.schema());

    /** Columns `adapters list` shows. */
    public static final List<String> LIST_COLUMNS = List.of("adapter_id", "datanet", "datanet_version", "base_model",
            "rank", "target_modules", "examples", "eval_loss_before", "eval_loss_after", "artifact_path", "creator", "created_at");

    private final KernelTable table;

    public AdapterRegistry(Engine engine, String lakeRoot) {
        this.table = KernelTable.writing(engine, lakeRoot, LakeTable.ADAPTERS);
    }

    /** Adds the record unless an adapter with its id is already registered; true when it added a row. */
    public boolean register(AdapterRecord record) {
        if (table.exists() && !table.read(OptionalLong.empty(), List.of("adapter_id"), "adapter_id", record.adapterId())
                .rows().isEmpty()) {
            return false;
        }
        table.append(List.of(record.row()));
        return true;
    }

    /** Registered adapters, oldest first; empty when none was ever registered. */
    public List<Map<String, Object>> list(List<String> columns) {
        if (!table.exists()) {
            return List.of();
        }
        List<Map<String, Object>> rows = new ArrayList<>(table.read(OptionalLong.empty(), columns).rows());
        if (columns.contains("created_at")) {
            rows.sort(Comparator.comparing((Map<String, Object> row) -> (Instant) row.get("created_at"))
                    .thenComparing(row -> (String) row.get("adapter_id")));
        }
        return rows;
    }

    public String path() {
        return table.path();
    }
}
