package io.tributary.serving;

import io.tributary.core.inference.InferenceRecord;
import io.tributary.core.inference.InferenceRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads every record of an inference-log directory (complete and in-progress files) through core's validator. */
public final class LogReader {
    private LogReader() {}

    public static List<InferenceRecord> records(Path directory) {
        List<InferenceRecord> records = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return records;
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    InferenceRecords.Parsed parsed = InferenceRecords.parse(line);
                    if (parsed instanceof InferenceRecords.Accepted accepted) {
                        records.add(accepted.record());
                    } else {
                        throw new AssertionError("invalid log line in " + file + ": " + parsed);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }
}
