package io.tributary.attribution.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.IteratorResultIterator;

/**
 * Reads inference-log files as raw lines with their file and line number (Flink's text format decodes to String,
 * which would lose the bytes of a line that is not UTF-8: those must reach rejected_inferences unchanged). A file is
 * one split; lines are numbered from 1; the checkpointed position is the number of lines already emitted, so a restore skips exactly those.
 */
public final class InferenceLogFormat implements BulkFormat<LogLine, FileSourceSplit> {
    private static final int BATCH_LINES = 512;

    @Override
    public Reader<LogLine> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new LineReader(split, 0);
    }

    @Override
    public Reader<LogLine> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long skip = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        return new LineReader(split, skip);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<LogLine> getProducedType() {
        return TypeInformation.of(LogLine.class);
    }

    private static final class LineReader implements Reader<LogLine> {
        private final InputStream in;
        private final String file;
        private long emitted;
        private boolean done;

        LineReader(FileSourceSplit split, long skip) throws IOException {
            this.in = new java.io.BufferedInputStream(split.path().getFileSystem().open(split.path()), 1 << 16);
            this.file = split.path().getName();
            for (long i = 0; i < skip; i++) {
                if (readLine() == null) {
                    break;
                }
            }
            this.emitted = skip;
        }

        @Override
        public RecordIterator<LogLine> readBatch() throws IOException {
            if (done) {
                return null;
            }
            List<LogLine> lines = new ArrayList<>();
            long first = emitted;
            while (lines.size() < BATCH_LINES) {
                byte[] line = readLine();
                if (line == null) {
                    done = true;
                    break;
                }
                emitted++;
                lines.add(new LogLine(file + ":" + emitted, line));
            }
            if (lines.isEmpty() && done) {
                return null;
            }
            // Every line is a record (a blank one is rejected downstream), so positions are line counts.
            return new IteratorResultIterator<>(lines.iterator(), CheckpointedPosition.NO_OFFSET, first);
        }

        /** The next line without its '\n' (and '\r'), or null at the end of the file. */
        private byte[] readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(512);
            int b;
            boolean any = false;
            while ((b = in.read()) >= 0) {
                any = true;
                if (b == '\n') {
                    return stripCarriageReturn(line.toByteArray());
                }
                line.write(b);
            }
            return any ? stripCarriageReturn(line.toByteArray()) : null;
        }

        private static byte[] stripCarriageReturn(byte[] line) {
            return line.length > 0 && line[line.length - 1] == '\r' ? java.util.Arrays.copyOf(line, line.length - 1) : line;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
