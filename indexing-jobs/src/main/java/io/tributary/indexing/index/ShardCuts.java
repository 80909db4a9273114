package io.tributary.indexing.index;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Where an index build cuts its shards: in ingest order, a new shard starts at the contribution that would take
 * the open shard past the target number of tokens (its byte length + 1 separator: exact for the byte tokenizer,
 * an upper bound for subword tokenizers). The sizes are range-sorted by Spark; each sorted partition is then
 * scanned by one task that is handed the tokens of the shard left open by the partitions before it, so the
 * driver sees only the shards' first ingest orders and one number per partition, never a row per contribution.
 *
 * @param firsts the first ingest order of each shard that starts in the scanned rows, ascending
 * @param open   tokens in the shard still open after the scanned rows; {@link #NO_SHARD} before the first row
 */
record ShardCuts(List<Long> firsts, long open) implements Serializable {
    static final long NO_SHARD = -1;

    /** The first ingest order of each shard over {@code sizes} (columns ingest_order: long, text_bytes: int). */
    static long[] firstOrders(Dataset<Row> sizes, long target) {
        JavaRDD<Row> sorted = sizes.orderBy("ingest_order").javaRDD().persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<Long> firsts = new ArrayList<>();
            long open = NO_SHARD;
            // The greedy cut depends on everything before it, so partitions are scanned in order, one job each.
            for (int partition = 0; partition < sorted.getNumPartitions(); partition++) {
                int scanned = partition;
                long incoming = open;
                ShardCuts cuts = sorted.mapPartitionsWithIndex((index, rows) -> index == scanned
                                ? List.of(scan(rows, incoming, target)).iterator()
                                : java.util.Collections.<ShardCuts>emptyIterator(), true)
                        .collectPartitions(new int[] {scanned})[0].get(0);
                firsts.addAll(cuts.firsts());
                open = cuts.open();
            }
            return firsts.stream().mapToLong(Long::longValue).toArray();
        } finally {
            sorted.unpersist(false);
        }
    }

    /** Scans rows sorted by ingest order, starting with {@code open} tokens in the open shard. */
    static ShardCuts scan(Iterator<Row> rows, long open, long target) {
        List<Long> firsts = new ArrayList<>();
        long inShard = open;
        while (rows.hasNext()) {
            Row row = rows.next();
            long tokens = row.getInt(1) + 1L;
            if (inShard == NO_SHARD || inShard + tokens > target && inShard > 0) {
                firsts.add(row.getLong(0));
                inShard = 0;
            }
            inShard += tokens;
        }
        return new ShardCuts(List.copyOf(firsts), inShard);
    }
}
