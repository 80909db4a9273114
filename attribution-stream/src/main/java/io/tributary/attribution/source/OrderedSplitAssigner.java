package io.tributary.attribution.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

/**
 * Hands out log files oldest first (completion time, then name; a server's names sort in write order), so event
 * time mostly advances as files are read and the late marks of a run do not depend on directory listing order.
 * Flink's default assigner takes the last split it was given first.
 */
public final class OrderedSplitAssigner implements FileSplitAssigner {
    static final Comparator<FileSourceSplit> ORDER = Comparator.comparingLong(FileSourceSplit::fileModificationTime)
            .thenComparing(split -> split.path().toString())
            .thenComparing(FileSourceSplit::splitId);

    private final TreeSet<FileSourceSplit> pending = new TreeSet<>(ORDER);

    public OrderedSplitAssigner(Collection<FileSourceSplit> splits) {
        pending.addAll(splits);
    }

    /** The provider Flink's FileSource builder takes. */
    public static Provider provider() {
        return OrderedSplitAssigner::new;
    }

    @Override
    public Optional<FileSourceSplit> getNext(String hostname) {
        return Optional.ofNullable(pending.pollFirst());
    }

    @Override
    public void addSplits(Collection<FileSourceSplit> splits) {
        pending.addAll(splits);
    }

    @Override
    public Collection<FileSourceSplit> remainingSplits() {
        List<FileSourceSplit> remaining = new ArrayList<>(pending);
        return remaining;
    }
}
