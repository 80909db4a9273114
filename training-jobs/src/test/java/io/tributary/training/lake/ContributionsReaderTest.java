package io.tributary.training.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.engine.Engine;
import io.tributary.core.id.DatanetId;
import io.tributary.core.lake.BatchJournalLayout;
import io.tributary.core.lake.LakeTable;
import io.tributary.lake.kernel.KernelTable;
import io.tributary.training.train.TrainingExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training never reads the rows of a batch that has not committed. */
class ContributionsReaderTest {
    @TempDir
    Path directory;

    private static Map<String, Object> row(String batch, long order) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        String text = "Contribution number " + order + " of batch " + batch + ".";
        row.put("contribution_id", io.tributary.core.hash.Hashing.sha256Hex(text));
        row.put("datanet", "legal");
        row.put("contributor", "0x" + "ab".repeat(20));
        row.put("signature", "0x");
        row.put("license", "MIT");
        row.put("ingested_at", Instant.EPOCH);
        row.put("batch_id", batch);
        row.put("ingest_order", order);
        row.put("text_bytes", text.length());
        row.put("text", text);
        return row;
    }

    @Test
    void rowsOfABatchStillInTheJournalAreLeftOut() throws Exception {
        Engine engine = KernelTable.engine(Map.of());
        String lake = directory.toUri().toString();
        KernelTable contributions = KernelTable.writing(engine, lake, LakeTable.CONTRIBUTIONS);
        List<Map<String, Object>> committed = new ArrayList<>();
        for (long order = 0; order < 3; order++) {
            committed.add(row("committed", order));
        }
        contributions.append(committed);
        contributions.append(List.of(row("in-flight", 3), row("in-flight", 4)));
        Path journal = directory.resolve("_tributary/journal");
        Files.createDirectories(journal);
        Path entry = Files.writeString(journal.resolve("in-flight" + BatchJournalLayout.SUFFIX), "{}");

        ContributionsReader reader = new ContributionsReader(engine, lake);
        assertThat(reader.read(DatanetId.of("legal"), OptionalLong.empty()).examples())
                .extracting(TrainingExample::contributionId)
                .containsExactlyElementsOf(committed.stream().map(row -> (String) row.get("contribution_id")).toList());

        Files.delete(entry);
        assertThat(reader.read(DatanetId.of("legal"), OptionalLong.empty()).examples()).hasSize(5);
    }
}
