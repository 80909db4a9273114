package io.tributary.core.lake;

import java.util.Optional;

/**
 * Where ingestion keeps its journal of batches in flight: one {@code <batch id>.pending} file per batch under
 * {@code <lake>/_tributary/journal}, written before the batch's first row and removed after its batch record
 * commits (or its rows are rolled back). Readers of {@code contributions} skip the rows of a pending batch
 * whose record is not in {@code batches}: they see committed batches only.
 */
public final class BatchJournalLayout {
    public static final String SUFFIX = ".pending";

    private BatchJournalLayout() {}

    public static String directory(String lakeRoot) {
        return lakeRoot.replaceAll("/+$", "") + "/_tributary/journal";
    }

    /** The batch id a journal file stands for, or empty for any other file. */
    public static Optional<String> batchId(String fileName) {
        return fileName.endsWith(SUFFIX) && !fileName.startsWith(".")
                ? Optional.of(fileName.substring(0, fileName.length() - SUFFIX.length()))
                : Optional.empty();
    }
}
