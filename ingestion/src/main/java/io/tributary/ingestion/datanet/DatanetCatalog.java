package io.tributary.ingestion.datanet;

import io.tributary.core.money.RewardPolicy;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;

import io.tributary.core.cli.UserError;
import io.tributary.core.crypto.Address;
import io.tributary.core.id.DatanetId;
import io.tributary.core.lake.LakeTable;
import io.tributary.ingestion.lake.Lake;
import io.tributary.ingestion.lake.LakeSchemas;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** The `datanets` table: creating a Datanet once, listing them, and their live numbers. */
public final class DatanetCatalog {
    private final Lake lake;

    public DatanetCatalog(Lake lake) {
        this.lake = lake;
    }

    public boolean exists(DatanetId id) {
        return lake.exists(LakeTable.DATANETS)
                && !lake.read(LakeTable.DATANETS).filter(col("datanet").equalTo(lit(id.value()))).isEmpty();
    }

    public Datanet create(DatanetId id, String name, String topic, Address owner, RewardPolicy policy) {
        lake.ensureIngestionTables();
        if (name == null || name.isBlank()) {
            throw new UserError("a Datanet needs a non-empty --name");
        }
        if (topic == null || topic.isBlank()) {
            throw new UserError("a Datanet needs a non-empty --topic");
        }
        if (exists(id)) {
            throw new UserError("Datanet '" + id + "' already exists; ids are never reused or overwritten");
        }
        Datanet datanet = new Datanet(id.value(), name, topic, owner.value(), policy, Instant.now());
        Row row = RowFactory.create(datanet.datanet(), name, topic, owner.value(), policy.protocolBps(),
                policy.creatorBps(), policy.contributorsBps(), Timestamp.from(datanet.createdAt()));
        lake.delta(LakeTable.DATANETS).as("d")
                .merge(lake.spark().createDataFrame(List.of(row), LakeSchemas.DATANETS).as("n"), "d.datanet = n.datanet")
                .whenNotMatched().insertAll()
                .execute();
        return datanet;
    }

    public List<Datanet> list() {
        if (!lake.exists(LakeTable.DATANETS)) {
            return List.of();
        }
        List<Datanet> out = new ArrayList<>();
        for (Row row : lake.read(LakeTable.DATANETS).orderBy("datanet").collectAsList()) {
            out.add(fromRow(row));
        }
        return out;
    }

    public Optional<Datanet> find(DatanetId id) {
        return list().stream().filter(d -> d.datanet().equals(id.value())).findFirst();
    }

    /** Current numbers of the given Datanets, keyed by id, in one pass over each table. */
    public Map<String, DatanetStatistics> statistics(List<Datanet> datanets) {
        Map<String, DatanetStatistics> out = new HashMap<>();
        long version = lake.version(LakeTable.CONTRIBUTIONS);
        Map<String, long[]> contributions = new HashMap<>();
        if (lake.exists(LakeTable.CONTRIBUTIONS)) {
            for (Row row : lake.read(LakeTable.CONTRIBUTIONS).groupBy("datanet")
                    .agg(count(lit(1)), countDistinct(col("contributor"))).collectAsList()) {
                contributions.put(row.getString(0), new long[] {row.getLong(1), row.getLong(2)});
            }
        }
        Map<String, Long> quarantined = counts(LakeTable.QUARANTINE);
        Map<String, Long> batches = counts(LakeTable.BATCHES);
        for (Datanet datanet : datanets) {
            long[] c = contributions.getOrDefault(datanet.datanet(), new long[2]);
            out.put(datanet.datanet(), new DatanetStatistics(c[0], c[1],
                    quarantined.getOrDefault(datanet.datanet(), 0L), batches.getOrDefault(datanet.datanet(), 0L), version));
        }
        return out;
    }

    private Map<String, Long> counts(LakeTable table) {
        Map<String, Long> out = new HashMap<>();
        if (lake.exists(table)) {
            for (Row row : lake.read(table).groupBy("datanet").count().collectAsList()) {
                out.put(row.getString(0), row.getLong(1));
            }
        }
        return out;
    }

    private static Datanet fromRow(Row row) {
        return new Datanet(row.getAs("datanet"), row.getAs("name"), row.getAs("topic"), row.getAs("owner"),
                new RewardPolicy(row.<Integer>getAs("protocol_bps"), row.<Integer>getAs("creator_bps"),
                        row.<Integer>getAs("contributors_bps")),
                row.<Timestamp>getAs("created_at").toInstant());
    }
}
