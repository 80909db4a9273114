package io.tributary.settlement.lake;

import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
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
    public static final String CLAIMS = "claims";
    public static final String BATCH_ANCHORS = "batch_anchors";

    static final StructType EPOCHS_SCHEMA = new StructType()
            .add("epoch", LongType.LONG)
            .add("chain_id", LongType.LONG)
            .add("distributor", StringType.STRING)
            .add("root", StringType.STRING)
            .add("accounts", IntegerType.INTEGER)
            .add("total", StringType.STRING)
            .add("status", StringType.STRING)
            .add("tx", StringType.STRING)
            .add("block", LongType.LONG)
            .add("recorded_at", TimestampType.TIMESTAMP);

    static final StructType PAYOUTS_SCHEMA = new StructType()
            .add("epoch", LongType.LONG)
            .add("chain_id", LongType.LONG)
            .add("distributor", StringType.STRING)
            .add("root", StringType.STRING)
            .add("index", LongType.LONG)
            .add("account", StringType.STRING)
            .add("amount", StringType.STRING)
            .add("proof", new ArrayType(StringType.STRING, true))
            .add("status", StringType.STRING)
            .add("recorded_at", TimestampType.TIMESTAMP);

    static final StructType CLAIMS_SCHEMA = new StructType()
            .add("epoch", LongType.LONG)
            .add("chain_id", LongType.LONG)
            .add("distributor", StringType.STRING)
            .add("index", LongType.LONG)
            .add("account", StringType.STRING)
            .add("amount", StringType.STRING)
            .add("tx", StringType.STRING)
            .add("block", LongType.LONG)
            .add("claimed_at", TimestampType.TIMESTAMP);

    static final StructType BATCH_ANCHORS_SCHEMA = new StructType()
            .add("batch_id", StringType.STRING)
            .add("datanet", StringType.STRING)
            .add("merkle_root", StringType.STRING)
            .add("contributions", LongType.LONG)
            .add("chain_id", LongType.LONG)
            .add("registry", StringType.STRING)
            .add("tx", StringType.STRING)
            .add("block", LongType.LONG)
            .add("anchored_at", TimestampType.TIMESTAMP);

    private final KernelTable epochs;
    private final KernelTable payouts;
    private final KernelTable claims;
    private final KernelTable batchAnchors;
    private final KernelTable batches;

    public SettlementLake(String lakeRoot, Configuration hadoop) {
        Engine engine = KernelTable.engine(hadoop);
        this.epochs = KernelTable.writing(engine, LakeTable.EPOCHS.path(lakeRoot), EPOCHS_SCHEMA);
        this.payouts = KernelTable.writing(engine, LakeTable.PAYOUTS.path(lakeRoot), PAYOUTS_SCHEMA);
        this.claims = KernelTable.writing(engine, child(lakeRoot, CLAIMS), CLAIMS_SCHEMA);
        this.batchAnchors = KernelTable.writing(engine, child(lakeRoot, BATCH_ANCHORS), BATCH_ANCHORS_SCHEMA);
        this.batches = KernelTable.reading(engine, LakeTable.BATCHES.path(lakeRoot));
    }

    public static SettlementLake open(TributaryConfig config) {
        Configuration hadoop = new Configuration();
        config.map("tributary.hadoop.conf").forEach(hadoop::set);
        return new SettlementLake(config.lakeRoot(), hadoop);
    }

    private static String child(String lakeRoot, String name) {
        return lakeRoot.replaceAll("/$", "") + "/" + name;
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
