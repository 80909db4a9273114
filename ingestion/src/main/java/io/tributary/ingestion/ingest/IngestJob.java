package io.tributary.ingestion.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;

import io.tributary.core.hash.Hashing;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import io.tributary.core.lake.LakeTable;
import io.tributary.core.merkle.BatchLeaves;
import io.tributary.ingestion.datanet.DatanetCatalog;
import io.tributary.ingestion.input.InputFile;
import io.tributary.ingestion.input.InputFiles;
import io.tributary.ingestion.lake.BatchJournal;
import io.tributary.ingestion.lake.CommitLog;
import io.tributary.ingestion.lake.Lake;
import io.tributary.ingestion.lake.LakeSchemas;
import io.tributary.ingestion.lake.SerializableHadoopConfiguration;
import io.tributary.ingestion.validate.ContributionValidator;
import io.tributary.ingestion.validate.QuarantineReason;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Ingests JSON Lines files into a Datanet as one atomic batch: every line is validated and hashed in a
 * Spark task, accepted contributions not already in the Datanet (nor earlier in the batch) are appended,
 * rejected lines go to quarantine with their raw bytes, and a batch record with the Merkle root of the
 * accepted ids commits the batch.
 */
public final class IngestJob {
    /** Points between the commits of a batch; tests and crash drills inject failures there. */
    public enum CommitPoint {
        AFTER_JOURNAL,
        AFTER_CONTRIBUTIONS,
        AFTER_QUARANTINE,
        AFTER_BATCH_RECORD
    }

    /** Called at each commit point; the production hook does nothing. */
    @FunctionalInterface
    public interface CommitHook {
        CommitHook NONE = point -> { };

        void reached(CommitPoint point);
    }

    private static final Logger LOG = LogManager.getLogger(IngestJob.class);
    private static final int MAX_ATTEMPTS = 8;
    private static final Duration LIVE_BATCH_WAIT = Duration.ofMinutes(10);

    private final Lake lake;
    private final CommitHook hook;
    private long lastStep = System.nanoTime();

    private void step(String name) {
        long now = System.nanoTime();
        LOG.info("{} ({} ms)", name, (now - lastStep) / 1_000_000);
        lastStep = now;
    }

    public IngestJob(Lake lake, CommitHook hook) {
        this.lake = lake;
        this.hook = hook;
    }

    public IngestJob(Lake lake) {
        this(lake, CommitHook.NONE);
    }

    public IngestSummary run(DatanetId datanet, List<String> inputs) {
        long started = System.nanoTime();
        lastStep = started;
        lake.ensureIngestionTables();
        step("tables ready");
        boolean datanetExists = new DatanetCatalog(lake).exists(datanet);
        step("datanet checked");
        List<InputFile> files = InputFiles.expand(inputs, lake.hadoopConfiguration());
        ContributionValidator validator = new ContributionValidator(
                datanet, datanetExists, lake.config().integer("tributary.ingest.max-text-bytes"));
        SerializableHadoopConfiguration hadoop = new SerializableHadoopConfiguration(lake.hadoopConfiguration());
        String datanetValue = datanet.value();

        JavaSparkContext context = JavaSparkContext.fromSparkContext(lake.spark().sparkContext());
        // Cache the validated rows as plain objects: a columnar DataFrame cache of the texts cost more
        // than the validation itself.
        JavaRDD<Row> rows = context.parallelize(files, Math.max(1, files.size()))
                .flatMap(file -> LineRows.read(file, datanetValue, validator, hadoop))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            return commitWithRetries(datanet, files, rows, started);
        } finally {
            rows.unpersist(false);
        }
    }

    /**
     * Commits the batch; when another command committed into the same Datanet meanwhile, the attempt is
     * rolled back and redone on a fresh snapshot (ids rechecked, ingest orders recomputed). Batches of
     * live writers of this Datanet are waited for first, so conflicts are rare and retries cheap.
     */
    private IngestSummary commitWithRetries(DatanetId datanet, List<InputFile> files, JavaRDD<Row> rows, long started) {
        BatchJournal journal = BatchJournal.of(lake);
        for (int attempt = 1; ; attempt++) {
            awaitLiveBatches(journal, datanet);
            try {
                return attempt(journal, datanet, files, rows, started);
            } catch (RuntimeException failure) {
                if (!isConflict(failure)) {
                    throw failure;
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw new IllegalStateException("ingest into " + datanet + " conflicted with other commands "
                            + attempt + " times; last: " + failure.getMessage(), failure);
                }
                LOG.warn("ingest into {} conflicted with another command (attempt {}): {}; retrying on a fresh snapshot",
                        datanet, attempt, failure.getMessage());
                pause(100L * attempt + ThreadLocalRandom.current().nextLong(400));
            }
        }
    }

    private void awaitLiveBatches(BatchJournal journal, DatanetId datanet) {
        long deadline = System.nanoTime() + LIVE_BATCH_WAIT.toNanos();
        journal.recover();
        for (List<String> live = journal.live(datanet.value()); !live.isEmpty(); live = journal.live(datanet.value())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("batches " + live + " of Datanet " + datanet + " are still being written after "
                        + LIVE_BATCH_WAIT.toSeconds() + " s; try again later");
            }
            LOG.info("waiting for {} batch(es) of {} being written by another command", live.size(), datanet);
            pause(250);
            journal.recover();
        }
    }

    static boolean isConflict(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConcurrentIngestException || cause instanceof BatchJournal.BatchInFlightException
                    || cause instanceof java.util.ConcurrentModificationException) {
                return true;
            }
        }
        return false;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for another ingest", e);
        }
    }

    /** Another command committed contributions into this Datanet between our snapshot and our commit. */
    static final class ConcurrentIngestException extends RuntimeException {
        ConcurrentIngestException(String message) {
            super(message);
        }
    }

    /** One attempt: counts the lines, computes the batch on a fresh snapshot, commits it. */
    private IngestSummary attempt(BatchJournal journal, DatanetId datanet, List<InputFile> files, JavaRDD<Row> rows,
            long started) {
        Map<String, Long> reasons = new TreeMap<>();
        for (QuarantineReason reason : QuarantineReason.values()) {
            reasons.put(reason.code(), 0L);
        }
        long read = 0;
        long valid = 0;
        for (Map.Entry<String, Long> count : rows.map(row -> row.getString(LineRows.STATUS)).countByValue().entrySet()) {
            read += count.getValue();
            if (LineRows.ACCEPTED.equals(count.getKey())) {
                valid = count.getValue();
            } else {
                reasons.put(count.getKey(), count.getValue());
            }
        }
        long quarantined = read - valid;
        step("validated " + read + " lines");

        // One snapshot for the id check and the ingest orders; the commit is checked against it below.
        long snapshot = lake.version(LakeTable.CONTRIBUTIONS);
        Dataset<Row> existing = lake.readAsOf(LakeTable.CONTRIBUTIONS, snapshot).filter(col("datanet").equalTo(datanet.value()));
        JavaRDD<Row> acceptedRows = rows.filter(LineRows::isAccepted);
        Dataset<Row> orderTable = ingestOrders(acceptedRows, existing);
        Dataset<Row> newRejected = lake.spark().createDataFrame(
                rows.filter(row -> !LineRows.isAccepted(row)), LineRows.SCHEMA);
        if (quarantined > 0) {
            Dataset<Row> knownQuarantine = lake.read(LakeTable.QUARANTINE)
                    .filter(col("datanet").equalTo(datanet.value())).select(col("quarantine_id").as("known_id"));
            newRejected = newRejected.join(knownQuarantine,
                    newRejected.col("quarantine_id").equalTo(knownQuarantine.col("known_id")), "left_anti");
        }
        Dataset<Row> batchContent = batchContent(datanet, orderTable, newRejected.select("quarantine_id"))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            return commitBatch(journal, datanet, files, started, new Lines(read, valid, quarantined, reasons), snapshot,
                    acceptedRows, orderTable, newRejected, batchContent);
        } finally {
            batchContent.unpersist(false);
            orderTable.unpersist(false);
        }
    }

    /** Line counts of a batch's input: read = valid + quarantined; reasons counts quarantined lines per reason. */
    private record Lines(long read, long valid, long quarantined, Map<String, Long> reasons) {}

    /**
     * The ingest order of each new contribution (file_index, line of its first occurrence in the batch, id,
     * ingest order), computed in Spark: the first occurrence of each id in batch order (files as given, then
     * lines), less ids the Datanet already has, numbered in that order after the Datanet's highest order.
     * Only per-partition counts reach the driver (zipWithIndex), never one row per contribution.
     */
    private Dataset<Row> ingestOrders(JavaRDD<Row> acceptedRows, Dataset<Row> existing) {
        Dataset<Row> acceptedKeys = lake.spark().createDataFrame(acceptedRows.map(LineRows::key), LineRows.KEY_SCHEMA);
        Dataset<Row> firstOfEachId = acceptedKeys
                .groupBy("contribution_id")
                .agg(min(struct(col("file_index"), col("line"))).as("first"))
                .select(col("contribution_id"), col("first.file_index").as("file_index"), col("first.line").as("line"));
        Dataset<Row> existingIds = existing.select(col("contribution_id").as("existing_id"));
        // Persisted so that zipWithIndex's count pass and its numbering pass see the same sorted partitions.
        JavaRDD<Row> sortedKeys = firstOfEachId
                .join(existingIds, firstOfEachId.col("contribution_id").equalTo(existingIds.col("existing_id")), "left_anti")
                .orderBy("file_index", "line")
                .select("file_index", "line", "contribution_id")
                .javaRDD()
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long base = nextIngestOrder(existing);
            JavaRDD<Row> numbered = sortedKeys.zipWithIndex()
                    .map(pair -> RowFactory.create(pair._1().getInt(0), pair._1().getLong(1), pair._1().getString(2),
                            base + pair._2()));
            Dataset<Row> orders = lake.spark().createDataFrame(numbered, ORDER_TABLE)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            orders.count(); // materialized before the sorted keys are released
            return orders;
        } finally {
            sortedKeys.unpersist(false);
        }
    }

    private static final StructType ORDER_TABLE = new StructType()
            .add("order_file", DataTypes.IntegerType, false)
            .add("order_line", DataTypes.LongType, false)
            .add("order_id", DataTypes.StringType, false)
            .add("ingest_order", DataTypes.LongType, false);

    private static final StructType BATCH_CONTENT = new StructType()
            .add("batch_id", DataTypes.StringType, false)
            .add("merkle_root", DataTypes.StringType, false)
            .add("contribution_ids", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("new_quarantine", DataTypes.LongType, false);

    /**
     * One row: the batch id (a hash of the new ids in ingest order and the new quarantine ids, sorted), the Merkle
     * root of the new ids, the id list the batch record keeps, and how many quarantine rows are new. Computed by
     * one task, since the batch record holds every id in one row anyway; the driver reads only id and root.
     */
    private Dataset<Row> batchContent(DatanetId datanet, Dataset<Row> orderTable, Dataset<Row> newQuarantineIds) {
        String datanetValue = datanet.value();
        Dataset<Row> ids = orderTable.agg(sort_array(collect_list(struct(col("ingest_order"), col("order_id")))).as("ids"));
        Dataset<Row> quarantineIds = newQuarantineIds.agg(sort_array(collect_list(col("quarantine_id"))).as("quarantine_ids"));
        return ids.crossJoin(quarantineIds).map((MapFunction<Row, Row>) row -> {
            List<Row> numbered = row.getList(0);
            List<ContributionId> ordered = new ArrayList<>(numbered.size());
            List<String> hex = new ArrayList<>(numbered.size());
            for (Row id : numbered) {
                ordered.add(new ContributionId(id.getString(1)));
                hex.add(id.getString(1));
            }
            List<String> quarantine = row.getList(1);
            return RowFactory.create(batchId(DatanetId.of(datanetValue), ordered, quarantine),
                    BatchLeaves.tree(ordered).rootHex(), CollectionConverters.asScala(hex).toSeq(), (long) quarantine.size());
        }, Encoders.row(BATCH_CONTENT));
    }

    private IngestSummary commitBatch(BatchJournal journal, DatanetId datanet, List<InputFile> files, long started,
            Lines lines, long snapshot, JavaRDD<Row> acceptedRows, Dataset<Row> orderTable, Dataset<Row> newRejected,
            Dataset<Row> batchContent) {
        long read = lines.read();
        long valid = lines.valid();
        long quarantined = lines.quarantined();
        Map<String, Long> reasons = lines.reasons();
        Row identity = batchContent.select("batch_id", "merkle_root", "new_quarantine").head();
        long newQuarantine = identity.getLong(2);
        long accepted = lines.valid() == 0 ? 0 : orderTable.count();
        step("found " + accepted + " new contributions and " + newQuarantine + " new quarantine rows");
        if (accepted == 0 && newQuarantine == 0) {
            return new IngestSummary(datanet.value(), read, 0, valid, quarantined, 0, reasons, snapshot,
                    null, null, seconds(started));
        }
        String batchId = identity.getString(0);
        String merkleRoot = identity.getString(1);
        Timestamp now = Timestamp.from(Instant.now());

        Dataset<Row> acceptedLines = lake.spark().createDataFrame(acceptedRows, LineRows.SCHEMA);
        Dataset<Row> newContributions = acceptedLines.join(orderTable, acceptedLines.col("file_index").equalTo(orderTable.col("order_file"))
                        .and(acceptedLines.col("line").equalTo(orderTable.col("order_line"))))
                .select(col("contribution_id"), lit(datanet.value()).as("datanet"), col("contributor"), col("signature"),
                        col("license"), col("source"), col("submitted_at"), lit(now).as("ingested_at"),
                        lit(batchId).as("batch_id"), col("ingest_order"), col("text_bytes"), col("text"));
        Dataset<Row> quarantineRows = newRejected.select(col("quarantine_id"), lit(datanet.value()).as("datanet"),
                lit(batchId).as("batch_id"), col("source_file"), col("line"), col("status").as("reason"),
                col("detail"), col("raw"), lit(now).as("quarantined_at"));
        List<String> inputs = files.stream().map(InputFile::path).toList();
        Dataset<Row> batch = lake.spark().createDataFrame(batchContent.select(col("batch_id"), lit(datanet.value()),
                lit(now), lit(read), lit(accepted), lit(valid - accepted), lit(quarantined), col("merkle_root"),
                col("contribution_ids"), array(inputs.stream().map(functions::lit).toArray(Column[]::new))).javaRDD(), LakeSchemas.BATCHES);

        BatchJournal.Entry entry = journal.begin(batchId, datanet.value());
        try {
            hook.reached(CommitPoint.AFTER_JOURNAL);
            if (accepted > 0) {
                String marker = "tributary-batch " + batchId + " " + UUID.randomUUID();
                newContributions.write().format("delta").mode("append").option("userMetadata", marker)
                        .save(lake.path(LakeTable.CONTRIBUTIONS));
                requireNoConcurrentCommit(datanet, snapshot, marker);
            }
            step("contributions committed");
            hook.reached(CommitPoint.AFTER_CONTRIBUTIONS);
            if (newQuarantine > 0) {
                lake.delta(LakeTable.QUARANTINE).as("q")
                        .merge(quarantineRows.as("n"),
                                "q.datanet = n.datanet AND q.quarantine_id = n.quarantine_id")
                        .whenNotMatched().insertAll()
                        .execute();
            }
            step("quarantine committed");
            hook.reached(CommitPoint.AFTER_QUARANTINE);
            batch.write().format("delta").mode("append").save(lake.path(LakeTable.BATCHES));
            step("batch record committed");
            hook.reached(CommitPoint.AFTER_BATCH_RECORD);
            entry.complete();
        } catch (RuntimeException | Error failure) {
            try {
                entry.rollback();
            } catch (RuntimeException rollbackFailure) {
                // Not a conflict to retry: the batch's rows may still be there until recovery settles it.
                IllegalStateException stuck = new IllegalStateException("batch " + batchId + " failed ("
                        + failure.getMessage() + ") and could not be rolled back; the next command rolls it back"
                        + " once this process is gone: " + rollbackFailure.getMessage());
                stuck.addSuppressed(failure);
                stuck.addSuppressed(rollbackFailure);
                throw stuck;
            }
            throw failure;
        }
        return new IngestSummary(datanet.value(), read, accepted, valid - accepted, quarantined,
                newQuarantine, reasons, lake.version(LakeTable.CONTRIBUTIONS), batchId, merkleRoot,
                seconds(started));
    }

    /**
     * Fails when a commit between our snapshot and our own commit added contributions to this Datanet: our id
     * check and ingest orders did not see them. The earliest committer wins; later ones roll back and retry.
     */
    private void requireNoConcurrentCommit(DatanetId datanet, long snapshot, String marker) {
        for (CommitLog.Commit commit : CommitLog.after(lake, LakeTable.CONTRIBUTIONS, snapshot, "datanet")) {
            if (marker.equals(commit.userMetadata())) {
                return;
            }
            if (commit.addedPartitions().contains(datanet.value())) {
                throw new ConcurrentIngestException("contributions version " + commit.version()
                        + " added rows to " + datanet + " after snapshot " + snapshot);
            }
        }
        throw new IllegalStateException("our contributions commit is missing from the Delta log after version " + snapshot);
    }

    private static long nextIngestOrder(Dataset<Row> existing) {
        Row row = existing.agg(max("ingest_order")).head();
        return row.isNullAt(0) ? 0 : row.getLong(0) + 1;
    }

    /** A content hash of what the batch adds, so the same batch always has the same id. */
    static String batchId(DatanetId datanet, List<ContributionId> ids, List<String> quarantineIds) {
        StringBuilder content = new StringBuilder("tributary-batch\n").append(datanet.value()).append('\n');
        ids.forEach(id -> content.append(id.hex()).append('\n'));
        content.append("quarantine\n");
        quarantineIds.forEach(id -> content.append(id).append('\n'));
        return Hashing.sha256Hex(content.toString());
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }
}
