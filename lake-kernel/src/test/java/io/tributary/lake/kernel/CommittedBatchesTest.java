package io.tributary.lake.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.engine.Engine;
import io.tributary.core.lake.BatchJournalLayout;
import io.tributary.core.lake.LakeTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch is uncommitted while its journal entry exists and its record does not. */
class CommittedBatchesTest {
    @TempDir
    Path directory;

    @Test
    void pendingBatchesWithoutARecordAreUncommitted() throws Exception {
        Engine engine = KernelTable.engine(Map.of());
        String lake = directory.toUri().toString();
        assertThat(CommittedBatches.uncommitted(engine, lake)).isEmpty();

        Path journal = directory.resolve("_tributary/journal");
        Files.createDirectories(journal);
        Files.writeString(journal.resolve("aaaa" + BatchJournalLayout.SUFFIX), "{}");
        Files.writeString(journal.resolve("bbbb" + BatchJournalLayout.SUFFIX), "{}");
        Files.writeString(journal.resolve(".bbbb.pending.tmp"), "");
        assertThat(CommittedBatches.uncommitted(engine, lake)).containsExactlyInAnyOrder("aaaa", "bbbb");

        // bbbb's record committed (its entry is about to be removed): only aaaa is still in flight.
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("batch_id", "bbbb");
        record.put("datanet", "legal");
        record.put("created_at", Instant.EPOCH);
        record.put("read", 1L);
        record.put("accepted", 1L);
        record.put("duplicates", 0L);
        record.put("quarantined", 0L);
        record.put("merkle_root", "0x00");
        record.put("contribution_ids", List.of("cc"));
        record.put("inputs", List.of("in.jsonl"));
        KernelTable.writing(engine, lake, LakeTable.BATCHES).append(List.of(record));
        assertThat(CommittedBatches.uncommitted(engine, lake)).containsExactly("aaaa");
    }
}
