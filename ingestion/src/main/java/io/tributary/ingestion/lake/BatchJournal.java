package io.tributary.ingestion.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.tributary.core.lake.LakeTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Makes a batch all-or-nothing across three Delta tables. Delta commits one table at a time, so a batch
 * writes a journal entry first, then commits contributions, quarantine and the batch record (the
 * commit point), then removes the entry. A batch that fails is rolled back at once; one cut off by a
 * crash is rolled back, or found complete, by the next command that opens the lake.
 */
public final class BatchJournal {
    private static final Logger LOG = LogManager.getLogger(BatchJournal.class);
    private static final LakeTable[] BATCH_TABLES = {LakeTable.CONTRIBUTIONS, LakeTable.QUARANTINE, LakeTable.BATCHES};

    private final Lake lake;

    BatchJournal(Lake lake) {
        this.lake = lake;
    }

    public static BatchJournal of(Lake lake) {
        return new BatchJournal(lake);
    }

    private Path directory() {
        return new Path(lake.root() + "/_tributary/journal");
    }

    private Path entry(String batchId) {
        return new Path(directory(), batchId + ".pending");
    }

    public void begin(String batchId, String datanet) {
        try {
            FileSystem fs = lake.fileSystem();
            fs.mkdirs(directory());
            try (FSDataOutputStream out = fs.create(entry(batchId), false)) {
                out.write(("{\"batch_id\":\"" + batchId + "\",\"datanet\":\"" + datanet + "\"}\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the batch journal under " + directory() + ": " + e.getMessage(), e);
        }
    }

    public void complete(String batchId) {
        delete(batchId);
    }

    /** Removes every row the batch wrote; rows other batches wrote are untouched. */
    public void rollback(String batchId) {
        for (LakeTable table : BATCH_TABLES) {
            if (lake.exists(table)) {
                lake.delta(table).delete(col("batch_id").equalTo(lit(batchId)));
            }
        }
        delete(batchId);
        LOG.warn("rolled back interrupted batch {}", batchId);
    }

    /** Settles every batch a crashed run left behind: complete if its batch record committed, else rolled back. */
    public void recover() {
        for (String batchId : pending()) {
            boolean committed = lake.exists(LakeTable.BATCHES)
                    && !lake.read(LakeTable.BATCHES).filter(col("batch_id").equalTo(lit(batchId))).isEmpty();
            if (committed) {
                complete(batchId);
            } else {
                rollback(batchId);
            }
        }
    }

    public List<String> pending() {
        List<String> ids = new ArrayList<>();
        try {
            FileSystem fs = lake.fileSystem();
            if (!fs.exists(directory())) {
                return ids;
            }
            for (FileStatus status : fs.listStatus(directory())) {
                String name = status.getPath().getName();
                if (name.endsWith(".pending")) {
                    ids.add(name.substring(0, name.length() - ".pending".length()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the batch journal: " + e.getMessage(), e);
        }
        ids.sort(String::compareTo);
        return ids;
    }

    private void delete(String batchId) {
        try {
            lake.fileSystem().delete(entry(batchId), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove journal entry of batch " + batchId + ": " + e.getMessage(), e);
        }
    }
}
