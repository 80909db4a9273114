package io.tributary.operations.pipeline;

import io.delta.kernel.engine.Engine;
import io.tributary.core.config.TributaryConfig;
import io.tributary.core.lake.LakeTable;
import io.tributary.lake.kernel.KernelTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** What the pipeline reads from the lake to expand and skip steps: Datanets, adapters, contribution counts. */
final class LakeState {
    private final String lakeRoot;
    private final Engine engine;
    private final Configuration hadoop;

    LakeState(TributaryConfig config) {
        this.lakeRoot = config.lakeRoot();
        this.hadoop = new Configuration();
        config.map("tributary.hadoop.conf").forEach(hadoop::set);
        this.engine = KernelTable.engine(hadoop);
    }

    /** Every Datanet id, sorted; none when the lake has no datanets table yet. */
    List<String> datanets() {
        TreeSet<String> ids = new TreeSet<>();
        for (Map<String, Object> row : KernelTable.reading(engine, lakeRoot, LakeTable.DATANETS).readAll()) {
            ids.add((String) row.get("datanet"));
        }
        return List.copyOf(ids);
    }

    /** The latest version of the contributions table, or -1 when there is none. */
    long contributionsVersion() {
        KernelTable contributions = KernelTable.reading(engine, lakeRoot, LakeTable.CONTRIBUTIONS);
        return contributions.exists() ? contributions.latestVersion() : -1;
    }

    /** Whether the Datanet has any contribution at the latest version. */
    boolean hasContributions(String datanet) {
        KernelTable contributions = KernelTable.reading(engine, lakeRoot, LakeTable.CONTRIBUTIONS);
        return contributions.exists()
                && !contributions.read(OptionalLong.empty(), List.of("contribution_id", "datanet"), "datanet", datanet).rows().isEmpty();
    }

    /** The latest registered adapter of a Datanet (by registration time), as its row. */
    Optional<Map<String, Object>> latestAdapter(String datanet) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> row : KernelTable.reading(engine, lakeRoot, LakeTable.ADAPTERS).readAll()) {
            if (datanet.equals(row.get("datanet"))) {
                rows.add(row);
            }
        }
        return rows.stream().max(Comparator.comparing((Map<String, Object> row) -> (Instant) row.get("created_at"))
                .thenComparing(row -> (String) row.get("adapter_id")));
    }

    /**
     * True when the Datanet has no contribution that its latest adapter did not see: its contributions at the
     * adapter's pinned version are all it has now (contributions are only appended).
     */
    boolean adapterCurrent(String datanet) {
        Optional<Map<String, Object>> adapter = latestAdapter(datanet);
        if (adapter.isEmpty() || adapter.get().get("datanet_version") == null) {
            return false;
        }
        KernelTable contributions = KernelTable.reading(engine, lakeRoot, LakeTable.CONTRIBUTIONS);
        long pinned = (Long) adapter.get().get("datanet_version");
        int then = contributions.read(OptionalLong.of(pinned), List.of("contribution_id", "datanet"), "datanet", datanet).rows().size();
        int now = contributions.read(OptionalLong.empty(), List.of("contribution_id", "datanet"), "datanet", datanet).rows().size();
        return now == then;
    }

    /** Whether the adapter has any run in the {@code influence} table. */
    boolean influenceComputed(String adapterId) {
        KernelTable influence = KernelTable.reading(engine, lakeRoot, LakeTable.INFLUENCE);
        if (!influence.exists()) {
            return false;
        }
        for (Map<String, Object> row : influence.readAll()) {
            if (adapterId.equals(row.get("adapter_id"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Epochs the attribution stream has closed ({@code attribution_epochs}) that settlement has not posted yet (no
     * {@code epochs} row with status {@code posted}), ascending.
     */
    List<Long> unsettledClosedEpochs() {
        KernelTable closed = KernelTable.reading(engine, lakeRoot, LakeTable.ATTRIBUTION_EPOCHS);
        if (!closed.exists()) {
            return List.of();
        }
        TreeSet<Long> epochs = new TreeSet<>();
        for (Map<String, Object> row : closed.readAll()) {
            epochs.add((Long) row.get("epoch"));
        }
        KernelTable posted = KernelTable.reading(engine, lakeRoot, LakeTable.EPOCHS);
        if (posted.exists()) {
            for (Map<String, Object> row : posted.readAll()) {
                if ("posted".equals(row.get("status"))) {
                    epochs.remove((Long) row.get("epoch"));
                }
            }
        }
        return List.copyOf(epochs);
    }

    /** Whether a path (local, file: or hdfs:) exists. */
    boolean exists(String location) {
        try {
            URI uri = location.contains("://") || location.startsWith("file:") ? URI.create(location)
                    : java.nio.file.Path.of(location).toAbsolutePath().toUri();
            Path path = new Path(uri);
            return FileSystem.get(uri, hadoop).exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + location + ": " + e.getMessage(), e);
        }
    }
}
