package io.tributary.lake.kernel;

import io.delta.kernel.engine.Engine;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.tributary.core.lake.BatchJournalLayout;
import io.tributary.core.lake.LakeTable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Which ingestion batches are not committed yet, for readers of {@code contributions} without Spark: a batch in
 * the ingestion journal ({@link BatchJournalLayout}) whose record is not in {@code batches}. Its rows are being
 * written, or will be rolled back; readers leave them out.
 */
public final class CommittedBatches {
    private CommittedBatches() {}

    public static Set<String> uncommitted(Engine engine, String lakeRoot) {
        Set<String> pending = new HashSet<>();
        // listFrom lists a directory's entries from a name on; "0" sorts before every batch id and after temp files.
        String from = BatchJournalLayout.directory(lakeRoot) + "/0";
        try (CloseableIterator<FileStatus> files = engine.getFileSystemClient().listFrom(from)) {
            while (files.hasNext()) {
                String path = files.next().getPath();
                BatchJournalLayout.batchId(path.substring(path.lastIndexOf('/') + 1)).ifPresent(pending::add);
            }
        } catch (FileNotFoundException noJournal) {
            return new HashSet<>();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the batch journal of " + lakeRoot + ": " + e.getMessage(), e);
        }
        if (pending.isEmpty()) {
            return pending;
        }
        KernelTable batches = KernelTable.reading(engine, lakeRoot, LakeTable.BATCHES);
        if (batches.exists()) {
            for (Map<String, Object> row : batches.read(OptionalLong.empty(), List.of("batch_id")).rows()) {
                pending.remove((String) row.get("batch_id"));
            }
        }
        return pending;
    }
}
