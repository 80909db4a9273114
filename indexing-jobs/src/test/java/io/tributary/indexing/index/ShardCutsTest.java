package io.tributary.indexing.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** The greedy cut scanned in pieces, each handed the open shard of the pieces before it, is the cut of the whole. */
class ShardCutsTest {
    @Test
    void scanningInPiecesCutsWhereOneScanCuts() {
        Random random = new Random(4);
        for (int round = 0; round < 200; round++) {
            long target = 1 + random.nextInt(400);
            List<Row> rows = new ArrayList<>();
            for (int i = 0, n = random.nextInt(60); i < n; i++) {
                rows.add(RowFactory.create(10L * i + random.nextInt(5), random.nextInt(3) == 0 ? random.nextInt(500) : random.nextInt(40)));
            }
            List<Long> whole = wholeScan(rows, target);

            List<Long> pieced = new ArrayList<>();
            long open = ShardCuts.NO_SHARD;
            int from = 0;
            while (from <= rows.size()) {
                int to = Math.min(rows.size(), from + random.nextInt(8)); // empty pieces included
                ShardCuts cuts = ShardCuts.scan(rows.subList(from, to).iterator(), open, target);
                pieced.addAll(cuts.firsts());
                open = cuts.open();
                if (to == rows.size()) {
                    break;
                }
                from = to;
            }
            assertThat(pieced).as("target %d, sizes %s", target, rows).isEqualTo(whole);
        }
    }

    @Test
    void aContributionLargerThanTheTargetGetsAShardOfItsOwn() {
        List<Row> rows = List.of(RowFactory.create(0L, 10), RowFactory.create(1L, 500), RowFactory.create(2L, 10),
                RowFactory.create(3L, 10));
        assertThat(ShardCuts.scan(rows.iterator(), ShardCuts.NO_SHARD, 100).firsts()).containsExactly(0L, 1L, 2L);
    }

    /** The rule written out over the whole list: a shard ends before the row that would take it past the target. */
    private static List<Long> wholeScan(List<Row> rows, long target) {
        List<Long> firsts = new ArrayList<>();
        long inShard = 0;
        for (Row row : rows) {
            long tokens = row.getInt(1) + 1L;
            if (firsts.isEmpty() || inShard + tokens > target && inShard > 0) {
                firsts.add(row.getLong(0));
                inShard = 0;
            }
            inShard += tokens;
        }
        return firsts;
    }
}
