package io.tributary.operations.lake;

import io.tributary.core.lake.LakeTable;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each epoch stands: {@code open} (the stream still credits it), {@code closed} (an {@code attribution_epochs}
 * row) or {@code settled} (settlement's latest {@code epochs} row for it is {@code posted}). The one place that
 * decides, for the auditor and the dashboard alike.
 */
public final class EpochStates {
    public static final String OPEN = "open";
    public static final String CLOSED = "closed";
    public static final String SETTLED = "settled";

    private final Map<Long, Map<String, Object>> closed = new HashMap<>();
    private final Map<Long, Map<String, Object>> settlement = new HashMap<>();

    public EpochStates(LakeReader lake) {
        for (Map<String, Object> row : lake.rows(LakeTable.ATTRIBUTION_EPOCHS)) {
            closed.merge((Long) row.get("epoch"), row, (a, b) -> a); // a replayed close writes the same row
        }
        Comparator<Map<String, Object>> byRecorded = Comparator.comparing(
                (Map<String, Object> row) -> Optional.ofNullable((Instant) row.get("recorded_at")).orElse(Instant.EPOCH));
        for (Map<String, Object> row : lake.rows(LakeTable.EPOCHS)) {
            Long epoch = (Long) row.get("epoch");
            if (epoch != null) {
                settlement.merge(epoch, row, (a, b) -> byRecorded.compare(a, b) >= 0 ? a : b);
            }
        }
    }

    public String status(long epoch) {
        Map<String, Object> settled = settlement.get(epoch);
        if (settled != null && "posted".equals(settled.get("status"))) {
            return SETTLED;
        }
        return closed.containsKey(epoch) ? CLOSED : OPEN;
    }

    /** The stream's {@code attribution_epochs} row of a closed epoch. */
    public Optional<Map<String, Object>> closedRow(long epoch) {
        return Optional.ofNullable(closed.get(epoch));
    }

    /** Settlement's latest {@code epochs} row for the epoch (prepared, sent or posted). */
    public Optional<Map<String, Object>> settlementRow(long epoch) {
        return Optional.ofNullable(settlement.get(epoch));
    }

    public List<Long> closedEpochs() {
        return closed.keySet().stream().sorted().toList();
    }
}
