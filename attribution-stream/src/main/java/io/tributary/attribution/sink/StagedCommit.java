package io.tributary.attribution.sink;

import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * What one checkpoint of the writer hands the committer: its sequence number in this run (the Delta transaction
 * version, so a replayed commit is a no-op) and the staged file of rows.
 */
public record StagedCommit(long sequence, String file) {

    /** Flink's serializer for the committables kept in checkpoints. */
    public static final class Serializer implements SimpleVersionedSerializer<StagedCommit> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(StagedCommit commit) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(128);
            out.writeLong(commit.sequence());
            out.writeUTF(commit.file());
            return out.getCopyOfBuffer();
        }

        @Override
        public StagedCommit deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("unknown staged commit version " + version);
            }
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            return new StagedCommit(in.readLong(), in.readUTF());
        }
    }
}
