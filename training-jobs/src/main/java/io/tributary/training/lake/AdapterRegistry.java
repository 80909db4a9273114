package io.tributary.training.lake;

import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.tributary.core.lake.LakeTable;
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
    public static final StructType SCHEMA = new StructType()
            .add("adapter_id", StringType.STRING, false)
            .add("base_model", StringType.STRING)
            .add("base_model_sha256", StringType.STRING)
            .add("datanet", StringType.STRING)
            .add("datanet_version", LongType.LONG)
            .add("corpus_source", StringType.STRING)
            .add("examples", LongType.LONG)
            .add("train_contribution_ids", StringType.STRING)
            .add("eval_contribution_ids", StringType.STRING)
            .add("hyper_parameters", StringType.STRING)
            .add("target_modules", StringType.STRING)
            .add("rank", IntegerType.INTEGER)
            .add("lora_alpha", DoubleType.DOUBLE)
            .add("steps", LongType.LONG)
            .add("tokens", LongType.LONG)
            .add("eval_loss_before", DoubleType.DOUBLE)
            .add("eval_loss_after", DoubleType.DOUBLE)
            .add("seconds", DoubleType.DOUBLE)
            .add("artifact_path", StringType.STRING)
            .add("adapter_sha256", StringType.STRING)
            .add("creator", StringType.STRING)
            .add("created_at", TimestampType.TIMESTAMP);

    /** Columns `adapters list` shows. */
    public static final List<String> LIST_COLUMNS = List.of("adapter_id", "datanet", "datanet_version", "base_model",
            "rank", "target_modules", "examples", "eval_loss_before", "eval_loss_after", "artifact_path", "creator", "created_at");

    private final DeltaKernelTables tables;
    private final String path;

    public AdapterRegistry(DeltaKernelTables tables, String lakeRoot) {
        this.tables = tables;
        this.path = LakeTable.ADAPTERS.path(lakeRoot);
    }

    /** Adds the record unless an adapter with its id is already registered; true when it added a row. */
    public boolean register(AdapterRecord record) {
        if (tables.exists(path) && tables.read(path, OptionalLong.empty(), List.of("adapter_id"), "adapter_id",
                record.adapterId()).rows().size() > 0) {
            return false;
        }
        List<Object[]> rows = new ArrayList<>();
        rows.add(record.values());
        tables.append(path, SCHEMA, List.of(), rows);
        return true;
    }

    /** Registered adapters, oldest first; empty when none was ever registered. */
    public List<Map<String, Object>> list(List<String> columns) {
        if (!tables.exists(path)) {
            return List.of();
        }
        List<Map<String, Object>> rows = new ArrayList<>(tables.read(path, OptionalLong.empty(), columns, null, null).rows());
        if (columns.contains("created_at")) {
            rows.sort(Comparator.comparingLong((Map<String, Object> row) -> (Long) row.get("created_at"))
                    .thenComparing(row -> (String) row.get("adapter_id")));
        }
        return rows;
    }

    public String path() {
        return path;
    }
}
