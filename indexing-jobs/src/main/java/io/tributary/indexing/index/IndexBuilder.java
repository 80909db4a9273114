package io.tributary.indexing.index;

import io.tributary.core.index.IndexLocation;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.delta.tables.DeltaTable;
import io.tributary.core.cli.Progress;
import io.tributary.core.cli.UserError;
import io.tributary.core.crypto.Address;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import io.tributary.core.index.IndexManifest;
import io.tributary.core.index.IndexedDocument;
import io.tributary.core.index.ShardWriter;
import io.tributary.core.lake.LakeTable;
import io.tributary.core.tokenize.ByteTokenizer;
import io.tributary.core.tokenize.Tokenizer;
import io.tributary.indexing.DatanetVersions;
import io.tributary.lake.spark.SparkSchemas;
import io.tributary.model.tokenizer.HuggingFaceTokenizer;
import io.tributary.model.tokenizer.TokenizerLoader;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * The index build job: tokenizes the canonical contributions of a pinned Datanet version that no shard
 * holds yet, cuts them (in ingestion order) into shards of about the target size, builds each shard's
 * suffix array on an executor, writes the shards under {@code <lake>/indexes/<datanet>/shards/}, then records
 * them in the {@code index_manifest} table and in {@code manifest.json}, which is written last.
 */
public final class IndexBuilder {
    /** The index_manifest table's columns: core's declaration, adapted to Spark. */
    public static final StructType MANIFEST_TABLE = SparkSchemas.of(LakeTable.INDEX_MANIFEST);

    private final SparkSession spark;
    private final String lakeRoot;
    private final IndexSettings settings;
    private final LakeFiles files;

    public IndexBuilder(SparkSession spark, String lakeRoot, IndexSettings settings, LakeFiles files) {
        this.spark = spark;
        this.lakeRoot = lakeRoot;
        this.settings = settings;
        this.files = files;
    }

    /** What a build did and what the index holds afterwards. */
    public record Summary(String datanet, long version, String tokenizer, String source, long contributions,
                          int shardsAdded, int shards, long tokens, long bytes, double bytesPerToken, double seconds,
                          List<IndexManifest.Entry> added) {}

    /** A contribution on its way to a shard. */
    record DocumentText(long ingestOrder, String contributionId, String contributor, String text)
            implements Serializable {}

    /** A shard written by an executor. */
    record BuiltShard(int shard, String file, long tokens, long documents, long bytes, String sha256,
                      long firstIngestOrder, long lastIngestOrder) implements Serializable {}

    public Summary build(DatanetId datanet, OptionalLong requestedVersion, Optional<String> requestedTokenizer) {
        long started = System.nanoTime();
        long version = io.tributary.indexing.DatanetVersions.pin(spark, lakeRoot, requestedVersion);
        IndexLocation location = new IndexLocation(lakeRoot, datanet);
        IndexManifest manifest = readManifest(location);
        String tokenizerName = chooseTokenizer(location, manifest, requestedTokenizer);
        if (manifest == null) {
            manifest = IndexManifest.empty(datanet.value(), tokenizerName);
        }
        if (manifest.version() >= version) {
            Progress.step("index: " + datanet + " is already indexed at version " + manifest.version()
                    + " (asked: " + version + "); nothing to add");
            return summary(manifest, version, "already indexed", 0, List.of(), started);
        }

        // One pass over the new contributions, each with its canonical id when the corpus has it.
        Committed committed = committedUpTo(datanet, version);
        Dataset<Row> fresh = committed.rows()
                .where(col("ingest_order").gt(manifest.lastIngestOrder()))
                .select("ingest_order", "contribution_id", "contributor", "text", "text_bytes");
        Dataset<Row> corpus = corpus(datanet);
        Dataset<Row> withCanonical = corpus == null ? fresh.withColumn("canonical_id", lit(null).cast("string"))
                : fresh.join(corpus, new String[] {"contribution_id"}, "left")
                        .select("ingest_order", "contribution_id", "contributor", "text", "text_bytes", "canonical_id");
        withCanonical = withCanonical.withColumn("canonical", col("canonical_id").equalTo(col("contribution_id")));
        // Counts, not rows: how many contributions are new, how many of them the corpus has a row for, how many
        // of those are canonical.
        Row counts = withCanonical.agg(count(lit(1)), count(col("canonical_id")),
                sum(when(col("canonical"), 1L).otherwise(0L))).head();
        long newContributions = counts.getLong(0);
        if (newContributions == 0 && manifest.shards().isEmpty()) {
            throw new UserError("Datanet '" + datanet + "' has no contributions at version " + version
                    + ": ingest some first (tributary ingest)");
        }
        // The corpus decides only when it has a row for every new contribution (its rows never change, so rows
        // a later dedup run added are valid here too); otherwise every contribution is indexed.
        String source = "corpus";
        long indexedContributions = newContributions;
        if (counts.getLong(1) < newContributions) {
            Progress.step("index: no dedup corpus covers the new contributions of " + datanet + " at version "
                    + version + "; indexing every one (run tributary dedup first to index canonical ones only)");
            source = "contributions";
        } else {
            withCanonical = withCanonical.where(col("canonical"));
            indexedContributions = counts.isNullAt(2) ? 0 : counts.getLong(2);
        }
        long[] firstOrders = ShardCuts.firstOrders(withCanonical.select("ingest_order", "text_bytes"), settings.shardTokens());
        List<IndexManifest.Entry> added = new ArrayList<>();
        if (firstOrders.length > 0) {
            int firstShard = manifest.shards().size();
            try (Progress progress = Progress.start("index: building " + firstOrders.length + " shard(s) of "
                    + indexedContributions + " contribution(s) of " + datanet, firstOrders.length)) {
                for (BuiltShard shard : buildShards(withCanonical, firstOrders, firstShard, location, tokenizerName)) {
                    added.add(new IndexManifest.Entry(shard.shard(), shard.file(), version, shard.tokens(),
                            shard.documents(), shard.bytes(), shard.sha256(), shard.firstIngestOrder(),
                            shard.lastIngestOrder()));
                    progress.advance(1);
                }
            }
            added.sort(Comparator.comparingInt(IndexManifest.Entry::shard));
            recordInTable(datanet, tokenizerName, location, added);
        }
        // Stopped before a batch still being written: the manifest does not claim this version yet, so the next
        // build at the same version indexes that batch once it has committed.
        IndexManifest updated = manifest.plus(committed.stoppedEarly() ? manifest.version() : version, added);
        writeManifest(location, updated);
        return summary(updated, version, source, indexedContributions, added, started);
    }

    private Summary summary(IndexManifest manifest, long version, String source, long contributions,
                            List<IndexManifest.Entry> added, long started) {
        long tokens = manifest.tokens();
        long bytes = manifest.bytes();
        return new Summary(manifest.datanet(), version, manifest.tokenizer(), source, contributions, added.size(),
                manifest.shards().size(), tokens, bytes, tokens == 0 ? 0 : (double) bytes / tokens,
                (System.nanoTime() - started) / 1e9, added);
    }

    private List<BuiltShard> buildShards(Dataset<Row> fresh, long[] firstOrders, int firstShard,
                                         IndexLocation location, String tokenizerName) {
        LakeFiles lakeFiles = files;
        String directory = location.directory();
        String tokenizerJson = location.tokenizerJson();
        JavaRDD<BuiltShard> built = fresh.javaRDD()
                .mapToPair(row -> {
                    long order = row.getLong(0);
                    int index = java.util.Arrays.binarySearch(firstOrders, order);
                    int shard = index >= 0 ? index : -index - 2;
                    return new Tuple2<>(shard, new DocumentText(order, row.getString(1), row.getString(2),
                            row.getString(3)));
                })
                .partitionBy(new ShardPartitioner(firstOrders.length))
                .mapPartitionsWithIndex((partition, rows) -> {
                    List<DocumentText> documents = new ArrayList<>();
                    rows.forEachRemaining(pair -> documents.add(pair._2()));
                    if (documents.isEmpty()) {
                        return java.util.Collections.<BuiltShard>emptyIterator();
                    }
                    documents.sort(Comparator.comparingLong(DocumentText::ingestOrder));
                    Tokenizer tokenizer = TokenizerLoader.load(tokenizerName, () -> lakeFiles.read(tokenizerJson));
                    List<IndexedDocument> indexed = new ArrayList<>(documents.size());
                    for (DocumentText document : documents) {
                        indexed.add(new IndexedDocument(new ContributionId(document.contributionId()),
                                Address.of(document.contributor()), tokenizer.encode(document.text()).tokens()));
                    }
                    int shard = firstShard + partition;
                    String file = IndexLocation.shardFileName(shard);
                    ShardWriter.Summary written = lakeFiles.writeAtomically(directory + "/" + file,
                            out -> ShardWriter.write(indexed, tokenizer.tokenWidth(), out));
                    Iterator<BuiltShard> result = List.of(new BuiltShard(shard, file, written.tokens(),
                            written.documents(), written.bytes(), written.sha256(),
                            documents.get(0).ingestOrder(), documents.get(documents.size() - 1).ingestOrder()))
                            .iterator();
                    return result;
                }, false);
        return built.collect();
    }

    /** Sends shard number i to partition i, so each shard is built by exactly one task. */
    static final class ShardPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int shards;

        ShardPartitioner(int shards) {
            this.shards = shards;
        }

        @Override
        public int numPartitions() {
            return shards;
        }

        @Override
        public int getPartition(Object key) {
            return (Integer) key;
        }
    }

    /** The corpus table's (contribution_id, canonical_id) rows of this Datanet, or null when there is none. */
    private Dataset<Row> corpus(DatanetId datanet) {
        String path = LakeTable.CORPUS.path(lakeRoot);
        if (!DeltaTable.isDeltaTable(spark, path)) {
            return null;
        }
        return spark.read().format("delta").load(path).where(col("datanet").equalTo(datanet.value()))
                .select("contribution_id", "canonical_id");
    }

    private String chooseTokenizer(IndexLocation location, IndexManifest manifest, Optional<String> requested) {
        if (requested.isEmpty() && manifest != null) {
            return manifest.tokenizer(); // an index keeps the tokenizer it was started with
        }
        String wanted = requested.orElse(settings.tokenizer());
        if (ByteTokenizer.NAME.equals(wanted)) {
            return requireSame(manifest, ByteTokenizer.NAME, location);
        }
        Path file = Path.of(wanted);
        if (!Files.isRegularFile(file)) {
            throw new UserError("--tokenizer " + wanted + ": no such file (use 'bytes' or the path of a tokenizer.json)");
        }
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError("cannot read the tokenizer " + file + ": " + e.getMessage(), e);
        }
        String name;
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.fromJson(json, file.toString())) {
            name = tokenizer.name();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        requireSame(manifest, name, location);
        try {
            files.writeAtomically(location.tokenizerJson(), out -> {
                out.write(json);
                return null;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return name;
    }

    private static String requireSame(IndexManifest manifest, String name, IndexLocation location) {
        if (manifest != null && !manifest.tokenizer().equals(name)) {
            throw new UserError("the index of " + location.datanet() + " was built with tokenizer " + manifest.tokenizer()
                    + ", not " + name + ": delete " + location.directory() + " to rebuild it with another tokenizer");
        }
        return name;
    }

    /**
     * Committed contributions of the version, and only those before the first row of a batch still being
     * written: shards are cut in ingest order and the next build starts after the last one indexed, so a
     * build must never pass over a batch that commits later.
     */
    private Committed committedUpTo(DatanetId datanet, long version) {
        Dataset<Row> all = spark.read().format("delta").option("versionAsOf", version)
                .load(LakeTable.CONTRIBUTIONS.path(lakeRoot)).where(col("datanet").equalTo(datanet.value()));
        List<String> uncommitted = DatanetVersions.uncommittedBatches(spark, lakeRoot);
        if (uncommitted.isEmpty()) {
            return new Committed(all, false);
        }
        Row first = all.where(col("batch_id").isin(uncommitted.toArray())).agg(min("ingest_order")).head();
        return first.isNullAt(0) ? new Committed(all, false)
                : new Committed(all.where(col("ingest_order").lt(first.getLong(0))), true);
    }

    /** The rows a build may index, and whether it had to stop before a batch that has not committed. */
    private record Committed(Dataset<Row> rows, boolean stoppedEarly) {}

    private IndexManifest readManifest(IndexLocation location) {
        try {
            if (!files.exists(location.manifest())) {
                return null;
            }
            return IndexManifest.fromJson(new String(files.read(location.manifest()), StandardCharsets.UTF_8),
                    location.manifest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + location.manifest(), e);
        }
    }

    private void writeManifest(IndexLocation location, IndexManifest manifest) {
        try {
            files.writeAtomically(location.manifest(), out -> {
                out.write(manifest.toJson().getBytes(StandardCharsets.UTF_8));
                return null;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + location.manifest(), e);
        }
    }

    private void recordInTable(DatanetId datanet, String tokenizer, IndexLocation location,
                               List<IndexManifest.Entry> added) {
        Timestamp now = Timestamp.from(Instant.now());
        List<Row> rows = new ArrayList<>();
        for (IndexManifest.Entry entry : added) {
            rows.add(RowFactory.create(datanet.value(), entry.version(), entry.shard(), entry.tokens(),
                    entry.documents(), entry.bytes(), tokenizer, "sha256:" + entry.sha256(),
                    location.file(entry.file()), entry.firstIngestOrder(), entry.lastIngestOrder(), now));
        }
        Dataset<Row> fresh = spark.createDataFrame(rows, MANIFEST_TABLE);
        String path = LakeTable.INDEX_MANIFEST.path(lakeRoot);
        // Replacing this build's shard numbers makes a build retried after a failure replace its rows.
        int firstShard = added.get(0).shard();
        fresh.write().format("delta").mode(SaveMode.Overwrite)
                .option("replaceWhere", "datanet = '" + datanet.value() + "' AND shard >= " + firstShard)
                .save(path);
    }
}
