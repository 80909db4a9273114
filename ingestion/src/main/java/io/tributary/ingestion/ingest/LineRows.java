package io.tributary.ingestion.ingest;

import static org.apache.spark.sql.types.DataTypes.BinaryType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import io.tributary.core.hash.Hashing;
import io.tributary.ingestion.input.InputFile;
import io.tributary.ingestion.input.RawLineReader;
import io.tributary.ingestion.lake.SerializableHadoopConfiguration;
import io.tributary.ingestion.validate.ContributionValidator;
import io.tributary.ingestion.validate.LineVerdict;
import io.tributary.ingestion.validate.QuarantineReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** Turns one input file into one row per line (validated, hashed), inside a Spark task. */
final class LineRows {
    static final String ACCEPTED = "accepted";

    static final StructType KEY_SCHEMA = new StructType()
            .add("contribution_id", StringType, false)
            .add("file_index", IntegerType, false)
            .add("line", LongType, false);

    static final StructType SCHEMA = new StructType()
            .add("file_index", IntegerType, false)
            .add("line", LongType, false)
            .add("source_file", StringType, false)
            .add("status", StringType, false)
            .add("detail", StringType, true)
            .add("quarantine_id", StringType, true)
            .add("raw", BinaryType, true)
            .add("contribution_id", StringType, true)
            .add("contributor", StringType, true)
            .add("signature", StringType, true)
            .add("license", StringType, true)
            .add("source", StringType, true)
            .add("submitted_at", TimestampType, true)
            .add("text_bytes", IntegerType, true)
            .add("text", StringType, true);

    static final int STATUS = SCHEMA.fieldIndex("status");
    private static final int FILE_INDEX = SCHEMA.fieldIndex("file_index");
    private static final int LINE = SCHEMA.fieldIndex("line");
    private static final int CONTRIBUTION_ID = SCHEMA.fieldIndex("contribution_id");

    private LineRows() {}

    static boolean isAccepted(Row line) {
        return ACCEPTED.equals(line.getString(STATUS));
    }

    static Iterator<Row> read(InputFile file, String datanet, ContributionValidator validator,
                              SerializableHadoopConfiguration hadoop) {
        RawLineReader reader;
        try {
            Path path = new Path(file.path());
            FileSystem fs = path.getFileSystem(hadoop.get());
            InputStream in = fs.open(path);
            CompressionCodec codec = new CompressionCodecFactory(hadoop.get()).getCodec(path);
            reader = new RawLineReader(codec == null ? in : codec.createInputStream(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open input " + file.path() + ": " + e.getMessage(), e);
        }
        return new Iterator<>() {
            private byte[] next = advance();
            private long lineNumber;

            private byte[] advance() {
                try {
                    byte[] line = reader.next();
                    if (line == null) {
                        reader.close();
                    }
                    return line;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read input " + file.path() + ": " + e.getMessage(), e);
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Row next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                byte[] raw = next;
                lineNumber++;
                next = advance();
                return toRow(file, lineNumber, raw, datanet, validator);
            }
        };
    }

    static Row toRow(InputFile file, long lineNumber, byte[] raw, String datanet, ContributionValidator validator) {
        LineVerdict verdict = raw.length == 0 || isBlank(raw)
                ? new LineVerdict.Rejected(QuarantineReason.MALFORMED_JSON, "blank line")
                : validator.validate(raw);
        if (verdict instanceof LineVerdict.Accepted accepted) {
            return RowFactory.create(file.index(), lineNumber, file.path(), ACCEPTED, null, null, null,
                    accepted.contributionId(), accepted.contributor(), accepted.signature(), accepted.license(),
                    accepted.source(), accepted.submittedAt() == null ? null : Timestamp.from(accepted.submittedAt()),
                    accepted.textBytes(), accepted.text());
        }
        LineVerdict.Rejected rejected = (LineVerdict.Rejected) verdict;
        return RowFactory.create(file.index(), lineNumber, file.path(), rejected.reason().code(), rejected.detail(),
                quarantineId(datanet, file.path(), lineNumber, raw), raw,
                null, null, null, null, null, null, null, null);
    }

    /** The dedup key of an accepted line: its id and its place in the batch. */
    static Row key(Row line) {
        return RowFactory.create(line.getString(CONTRIBUTION_ID), line.getInt(FILE_INDEX), line.getLong(LINE));
    }

    /** Deterministic: the same bad line of the same file quarantines once, however often it is ingested. */
    static String quarantineId(String datanet, String file, long line, byte[] raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length + 128);
        bytes.writeBytes((datanet + "\n" + file + "\n" + line + "\n").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(raw);
        return Hashing.sha256Hex(bytes.toByteArray());
    }

    private static boolean isBlank(byte[] raw) {
        for (byte b : raw) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
