package io.tributary.ingestion.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tributary.core.cli.Json;
import io.tributary.core.lake.BatchJournalLayout;
import io.tributary.core.lake.LakeTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Column;

/**
 * Makes a batch all-or-nothing across three Delta tables. Delta commits one table at a time, so a batch
 * writes a journal entry first, then commits contributions, quarantine and the batch record (the
 * commit point), then removes the entry. A batch that fails is rolled back at once by its writer.
 *
 * <p>The entry is the writer's lease: it names its owner (host, process id and start time) and is renewed
 * while the writer runs (its modification time, every third of {@link #DEFAULT_LEASE}). Any command that
 * opens the lake settles only entries whose writer is gone: the owner process is dead on this host, or the
 * lease was not renewed for a whole lease period. A live batch, even one half committed, is never touched.
 */
public final class BatchJournal {
    /** How long a writer that stopped renewing keeps its batch; its renewals come three times as often. */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(2);

    private static final Logger LOG = LogManager.getLogger(BatchJournal.class);
    private static final LakeTable[] BATCH_TABLES = {LakeTable.CONTRIBUTIONS, LakeTable.QUARANTINE, LakeTable.BATCHES};
    private static final String SUFFIX = BatchJournalLayout.SUFFIX;

    private final Lake lake;
    private final Duration lease;

    BatchJournal(Lake lake, Duration lease) {
        this.lake = lake;
        this.lease = lease;
    }

    public static BatchJournal of(Lake lake) {
        return new BatchJournal(lake, DEFAULT_LEASE);
    }

    /** A journal whose writers hold their batches for {@code lease} without renewal (tests use short ones). */
    public static BatchJournal withLease(Lake lake, Duration lease) {
        return new BatchJournal(lake, lease);
    }

    /** A batch that another live writer holds right now: the caller waits and retries, it never rolls it back. */
    public static final class BatchInFlightException extends RuntimeException {
        public BatchInFlightException(String batchId) {
            super("batch " + batchId + " is being written by another command");
        }
    }

    /** The process that writes a batch: host, process id, process start (so a reused id is not mistaken). */
    record Owner(String host, long pid, long startedMillis) {
        static Owner current() {
            ProcessHandle self = ProcessHandle.current();
            return new Owner(hostName(), self.pid(),
                    self.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
        }

        /** True only when the owner ran on this host and its process is gone (or is another process now). */
        boolean provablyGone() {
            if (!host.equals(hostName())) {
                return false;
            }
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            if (process.isEmpty() || !process.get().isAlive()) {
                return true;
            }
            long started = process.get().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
            return startedMillis != 0 && started != 0 && started != startedMillis;
        }
    }

    /** A batch this process holds: renewed in the background until it completes or is rolled back. */
    public final class Entry implements AutoCloseable {
        private final String batchId;
        private final ScheduledExecutorService renewal;

        private Entry(String batchId) {
            this.batchId = batchId;
            this.renewal = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "batch-lease-" + batchId.substring(0, 12));
                thread.setDaemon(true);
                return thread;
            });
            long period = Math.max(1, lease.toMillis() / 3);
            renewal.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
        }

        public String batchId() {
            return batchId;
        }

        private void renew() {
            try {
                lake.fileSystem().setTimes(entry(batchId), System.currentTimeMillis(), -1);
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot renew the lease of batch {}: {}", batchId, e.getMessage());
            }
        }

        /** The batch record committed: the entry goes. */
        public void complete() {
            close();
            delete(batchId);
        }

        /** Removes every row the batch wrote, then the entry; rows of other batches are untouched. */
        public void rollback() {
            close();
            BatchJournal.this.rollback(batchId);
        }

        @Override
        public void close() {
            renewal.shutdownNow();
        }
    }

    private Path directory() {
        return new Path(BatchJournalLayout.directory(lake.root()));
    }

    private Path entry(String batchId) {
        return new Path(directory(), batchId + SUFFIX);
    }

    /**
     * Takes the batch: writes its entry only if no entry of that id exists (two commands that compute the
     * same batch never both write it), and starts renewing it.
     */
    public Entry begin(String batchId, String datanet) {
        Owner owner = Owner.current();
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("batch_id", batchId);
        content.put("datanet", datanet);
        content.put("host", owner.host());
        content.put("pid", owner.pid());
        content.put("process_started_ms", owner.startedMillis());
        content.put("lease_ms", lease.toMillis());
        byte[] bytes;
        try {
            bytes = (Json.MAPPER.writeValueAsString(content) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        try {
            FileSystem fs = lake.fileSystem();
            fs.mkdirs(directory());
            Path path = fs.makeQualified(entry(batchId));
            if ("file".equals(path.toUri().getScheme())) {
                // Hadoop's local create(overwrite=false) checks, then creates; the JDK's CREATE_NEW is atomic.
                Files.write(java.nio.file.Path.of(path.toUri()), bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } else {
                try (FSDataOutputStream out = fs.create(path, false)) {
                    out.write(bytes);
                }
            }
        } catch (FileAlreadyExistsException | org.apache.hadoop.fs.FileAlreadyExistsException e) {
            throw new BatchInFlightException(batchId);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the batch journal under " + directory() + ": " + e.getMessage(), e);
        }
        return new Entry(batchId);
    }

    private void rollback(String batchId) {
        Map<String, Object> content = content(batchId);
        Object datanet = content == null ? null : content.get("datanet");
        for (LakeTable table : BATCH_TABLES) {
            if (lake.exists(table)) {
                // Scoped to the Datanet's partition where there is one, so only writers of that Datanet can conflict.
                Column rows = col("batch_id").equalTo(lit(batchId));
                if (datanet != null && table != LakeTable.BATCHES) {
                    rows = col("datanet").equalTo(lit(datanet)).and(rows);
                }
                deleteRetrying(table, rows);
            }
        }
        delete(batchId);
        LOG.warn("rolled back batch {}", batchId);
    }

    /** Delta fails a DELETE when another command appended meanwhile; the rows to remove are still only ours. */
    private void deleteRetrying(LakeTable table, Column rows) {
        for (int attempt = 1; ; attempt++) {
            try {
                lake.delta(table).delete(rows);
                return;
            } catch (java.util.ConcurrentModificationException conflict) {
                if (attempt >= 10) {
                    throw conflict;
                }
                LOG.info("rollback of {} conflicted with another writer (attempt {}); retrying", table.tableName(), attempt);
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw conflict;
                }
            }
        }
    }

    /**
     * Settles every batch whose writer is gone: complete if its batch record committed, else rolled back.
     * Batches of live writers are left alone.
     */
    public void recover() {
        for (String batchId : pending()) {
            if (!writerGone(batchId)) {
                LOG.info("batch {} is being written by a live command; left alone", batchId);
                continue;
            }
            boolean committed = lake.exists(LakeTable.BATCHES)
                    && !lake.read(LakeTable.BATCHES).filter(col("batch_id").equalTo(lit(batchId))).isEmpty();
            if (committed) {
                delete(batchId);
            } else {
                rollback(batchId);
            }
        }
    }

    /** Pending batches of one Datanet whose writers are alive: what a new writer of that Datanet waits for. */
    public List<String> live(String datanet) {
        List<String> ids = new ArrayList<>();
        for (String batchId : pending()) {
            Map<String, Object> content = content(batchId);
            if (content != null && datanet.equals(content.get("datanet")) && !writerGone(batchId)) {
                ids.add(batchId);
            }
        }
        return ids;
    }

    /** The writer of a pending batch is gone: dead, when it ran on this host; else its lease ran out. */
    boolean writerGone(String batchId) {
        FileStatus status;
        try {
            status = lake.fileSystem().getFileStatus(entry(batchId));
        } catch (java.io.FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the batch journal: " + e.getMessage(), e);
        }
        Map<String, Object> content = content(batchId);
        long leaseMillis = lease.toMillis();
        if (content != null) {
            leaseMillis = ((Number) content.getOrDefault("lease_ms", leaseMillis)).longValue();
            Owner owner = new Owner(String.valueOf(content.get("host")), ((Number) content.get("pid")).longValue(),
                    ((Number) content.getOrDefault("process_started_ms", 0L)).longValue());
            if (owner.host().equals(hostName())) {
                // On this host the process table is the truth: a live writer keeps its batch however late its renewal.
                return owner.provablyGone();
            }
        }
        // An entry without readable content is one being written right now, or a very old format.
        return System.currentTimeMillis() - status.getModificationTime() > leaseMillis;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> content(String batchId) {
        try (FSDataInputStream in = lake.fileSystem().open(entry(batchId))) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                return null;
            }
            Map<String, Object> map = Json.MAPPER.readValue(text, LinkedHashMap.class);
            return map.containsKey("pid") && map.containsKey("host") ? map : null;
        } catch (java.io.FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            return null;
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
                BatchJournalLayout.batchId(status.getPath().getName()).ifPresent(ids::add);
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

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
