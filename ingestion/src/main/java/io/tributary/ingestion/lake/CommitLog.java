package io.tributary.ingestion.lake;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.cli.Json;
import io.tributary.core.lake.LakeTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A Delta table's commits after a version, read from its log: what each commit added to which partition,
 * and the commit's user metadata, by which a writer finds its own commit among concurrent ones.
 */
public final class CommitLog {
    /** One commit: its version, its {@code userMetadata} (or null) and the partition values it added files to. */
    public record Commit(long version, String userMetadata, Set<String> addedPartitions) {}

    private CommitLog() {}

    /** Every commit of {@code table} after {@code version}, oldest first, with the values of {@code partitionColumn}. */
    public static List<Commit> after(Lake lake, LakeTable table, long version, String partitionColumn) {
        List<Commit> commits = new ArrayList<>();
        FileSystem fs = lake.fileSystem();
        for (long next = version + 1; ; next++) {
            Path file = new Path(lake.path(table) + "/_delta_log/" + String.format("%020d.json", next));
            try {
                if (!fs.exists(file)) {
                    return commits;
                }
                commits.add(read(fs, file, next, partitionColumn));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the Delta log file " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static Commit read(FileSystem fs, Path file, long version, String partitionColumn) throws IOException {
        String userMetadata = null;
        Set<String> partitions = new TreeSet<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode action = Json.MAPPER.readTree(line);
                if (action.has("commitInfo") && action.get("commitInfo").hasNonNull("userMetadata")) {
                    userMetadata = action.get("commitInfo").get("userMetadata").asText();
                }
                JsonNode add = action.get("add");
                if (add != null && add.path("dataChange").asBoolean(true)) {
                    JsonNode value = add.path("partitionValues").get(partitionColumn);
                    partitions.add(value == null || value.isNull() ? "" : value.asText());
                }
            }
        }
        return new Commit(version, userMetadata, partitions);
    }
}
