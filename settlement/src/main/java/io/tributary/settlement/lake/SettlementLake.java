package io.tributary.settlement.lake;

import io.delta.kernel.engine.Engine;
import io.tributary.core.config.TributaryConfig;
import io.tributary.core.lake.LakeTable;
import io.tributary.lake.kernel.KernelTable;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Settlement's Delta tables. Kernel appends, so each table is a log: {@code epochs} has one row per state an
 * epoch reached (prepared, sent, posted; the latest row is its state), {@code payouts} one row per leaf
 * written when the epoch is prepared, {@code claims} one row per claim sent, {@code batch_anchors} one row
 * per batch anchored (join it with {@code batches} on batch_id for the tx hash of a batch).
 */
public final class SettlementLake {
    private final KernelTable epochs;
    private final KernelTable payouts;
    private final KernelTable claims;
    private final KernelTable batchAnchors;
    private final KernelTable batches;

    public SettlementLake(String lakeRoot, Configuration hadoop) {
        Engine engine = KernelTable.engine(hadoop);
        this.epochs = KernelTable.writing(engine, lakeRoot, LakeTable.EPOCHS);
        this.payouts = KernelTable.writing(engine, lakeRoot, LakeTable.PAYOUTS);
        this.claims = KernelTable.writing(engine, lakeRoot, LakeTable.CLAIMS);
        this.batchAnchors = KernelTable.writing(engine, lakeRoot, LakeTable.BATCH_ANCHORS);
        this.batches = KernelTable.reading(engine, lakeRoot, LakeTable.BATCHES);
    }

    public static SettlementLake open(TributaryConfig config) {
        Configuration hadoop = new Configuration();
        config.map("tributary.hadoop.conf").forEach(hadoop::set);
        return new SettlementLake(config.lakeRoot(), hadoop);
    }

    public KernelTable epochs() {
        return epochs;
    }

    public KernelTable payouts() {
        return payouts;
    }

    public KernelTable claims() {
        return claims;
    }

    public KernelTable batchAnchors() {
        return batchAnchors;
    }

    public KernelTable batches() {
        return batches;
    }

    /** The rows of one epoch on one distributor, oldest first. */
    public List<Map<String, Object>> epochHistory(long epoch, long chainId, String distributor) {
        return epochs.readAll().stream()
                .filter(row -> sameDeployment(row, epoch, chainId, "distributor", distributor))
                .sorted(Comparator.comparing(row -> (java.time.Instant) row.get("recorded_at")))
                .toList();
    }

    public List<Map<String, Object>> payoutsOf(long epoch, long chainId, String distributor) {
        return payouts.readAll().stream()
                .filter(row -> sameDeployment(row, epoch, chainId, "distributor", distributor))
                .sorted(Comparator.comparing(row -> (Long) row.get("index")))
                .toList();
    }

    private static boolean sameDeployment(Map<String, Object> row, long epoch, long chainId, String column, String address) {
        return Long.valueOf(epoch).equals(row.get("epoch"))
                && Long.valueOf(chainId).equals(row.get("chain_id"))
                && address.equals(row.get(column));
    }
}
