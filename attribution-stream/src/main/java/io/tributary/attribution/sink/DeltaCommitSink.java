package io.tributary.attribution.sink;

import io.delta.kernel.engine.Engine;
import io.tributary.core.lake.LakeTable;
import io.tributary.lake.kernel.KernelTable;
import io.tributary.lake.kernel.TransactionId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Exactly-once into the stream's Delta tables (Flink Sink V2 with a committer; two-phase): the writer stages the
 * rows of each checkpoint in a file under the lake; once the checkpoint completes, the committer appends them to
 * each table through Delta Kernel with the transaction id (application, sequence), so a commit replayed after a
 * failure is recognized by Delta's {@code txn} action and adds nothing. The application id names this run of the
 * job (kept across restores from its checkpoints); the sequence counts the writer's commits and is restored with
 * its state. Run with parallelism 1 (one writer, one committer), which keeps sequences total.
 */
public final class DeltaCommitSink implements Sink<StagedRow>, SupportsCommitter<StagedCommit>,
        SupportsWriterState<StagedRow, Long> {
    /** The order tables are committed in: facts first, the epoch row (what settlement waits for) last. */
    static final List<LakeTable> TABLES = List.of(LakeTable.REJECTED_INFERENCES, LakeTable.INFERENCES,
            LakeTable.ATTRIBUTIONS, LakeTable.EPOCH_PAYOUTS, LakeTable.ATTRIBUTION_EPOCHS);

    private final String lakeRoot;
    private final Map<String, String> hadoop;
    private final String applicationId;
    private final String stagingDirectory;

    public DeltaCommitSink(String lakeRoot, Map<String, String> hadoop, String runId, String stagingDirectory) {
        this.lakeRoot = lakeRoot;
        this.hadoop = new java.util.TreeMap<>(hadoop);
        this.applicationId = "tributary-attribution-" + runId;
        this.stagingDirectory = stagingDirectory.replaceAll("/$", "") + "/" + runId;
    }

    public String applicationId() {
        return applicationId;
    }

    @Override
    public Writer createWriter(WriterInitContext context) {
        return new Writer(stagingDirectory, 1);
    }

    @Override
    public StatefulSinkWriter<StagedRow, Long> restoreWriter(WriterInitContext context, Collection<Long> states) {
        long next = states.stream().mapToLong(Long::longValue).max().orElse(1);
        return new Writer(stagingDirectory, next);
    }

    @Override
    public SimpleVersionedSerializer<Long> getWriterStateSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(Long next) throws IOException {
                DataOutputSerializer out = new DataOutputSerializer(8);
                out.writeLong(next);
                return out.getCopyOfBuffer();
            }

            @Override
            public Long deserialize(int version, byte[] serialized) throws IOException {
                return new DataInputDeserializer(serialized).readLong();
            }
        };
    }

    @Override
    public Committer<StagedCommit> createCommitter(CommitterInitContext context) {
        return new DeltaCommitter(lakeRoot, hadoop, applicationId);
    }

    @Override
    public SimpleVersionedSerializer<StagedCommit> getCommittableSerializer() {
        return new StagedCommit.Serializer();
    }

    /** Buffers a checkpoint's rows and stages them in one file when the checkpoint's barrier arrives. */
    static final class Writer implements CommittingSinkWriter<StagedRow, StagedCommit>, StatefulSinkWriter<StagedRow, Long> {
        private final String directory;
        private final List<StagedRow> rows = new ArrayList<>();
        private long next;

        Writer(String directory, long next) {
            this.directory = directory;
            this.next = next;
        }

        @Override
        public void write(StagedRow row, Context context) {
            rows.add(row);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public Collection<StagedCommit> prepareCommit() throws IOException {
            if (rows.isEmpty()) {
                return List.of();
            }
            long sequence = next++;
            Path file = new Path(directory + "/" + String.format("%020d", sequence) + ".jsonl");
            Path partial = new Path(file.getPath() + ".partial");
            FileSystem fs = file.getFileSystem();
            fs.mkdirs(file.getParent());
            // Written whole, then renamed: a staged file is complete or absent (a restore may overwrite it).
            try (OutputStream out = fs.create(partial, FileSystem.WriteMode.OVERWRITE)) {
                for (StagedRow row : rows) {
                    out.write((row.table + "\t" + row.row + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            fs.delete(file, false);
            fs.rename(partial, file);
            rows.clear();
            return List.of(new StagedCommit(sequence, file.toString()));
        }

        @Override
        public List<Long> snapshotState(long checkpointId) {
            return List.of(next);
        }

        @Override
        public void close() {}
    }

    /** Appends staged files to the tables, once: Delta's txn (application id, sequence) makes a replay a no-op. */
    static final class DeltaCommitter implements Committer<StagedCommit> {
        private final String lakeRoot;
        private final String applicationId;
        private final Engine engine;

        DeltaCommitter(String lakeRoot, Map<String, String> hadoop, String applicationId) {
            this.lakeRoot = lakeRoot;
            this.applicationId = applicationId;
            this.engine = KernelTable.engine(hadoop);
        }

        @Override
        public void commit(Collection<CommitRequest<StagedCommit>> requests) throws IOException {
            List<CommitRequest<StagedCommit>> ordered = new ArrayList<>(requests);
            ordered.sort(Comparator.comparingLong(request -> request.getCommittable().sequence()));
            for (CommitRequest<StagedCommit> request : ordered) {
                commitOne(request.getCommittable());
            }
        }

        void commitOne(StagedCommit commit) throws IOException {
            Path file = new Path(commit.file());
            FileSystem fs = file.getFileSystem();
            TransactionId transaction = new TransactionId(applicationId, commit.sequence());
            if (!fs.exists(file)) {
                // Committed and cleaned up by an earlier attempt; a missing file that was never committed is a bug.
                for (LakeTable table : TABLES) {
                    KernelTable kernel = KernelTable.writing(engine, lakeRoot, table);
                    if (kernel.committedVersion(applicationId).orElse(-1L) >= commit.sequence()) {
                        return;
                    }
                }
                throw new IOException("staged file " + file + " of commit " + commit.sequence() + " is missing and no table"
                        + " recorded the commit");
            }
            Map<LakeTable, List<Map<String, Object>>> byTable = new EnumMap<>(LakeTable.class);
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    int tab = line.indexOf('\t');
                    LakeTable table = tableNamed(line.substring(0, tab));
                    byTable.computeIfAbsent(table, t -> new ArrayList<>()).add(RowCodec.decode(table, line.substring(tab + 1)));
                }
            }
            for (LakeTable table : TABLES) {
                List<Map<String, Object>> rows = byTable.get(table);
                if (rows != null) {
                    KernelTable.writing(engine, lakeRoot, table).append(rows, transaction);
                }
            }
            fs.delete(file, false);
        }

        private static LakeTable tableNamed(String name) {
            for (LakeTable table : TABLES) {
                if (table.tableName().equals(name)) {
                    return table;
                }
            }
            throw new IllegalStateException("a staged row names table '" + name + "', which the stream does not write");
        }

        @Override
        public void close() {}
    }
}
