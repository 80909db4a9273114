package io.tributary.indexing.dedup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Clusters verified near-duplicate pairs so that every member is itself verified-similar to its
 * canonical: texts are visited in ingest order, and each joins the earliest canonical it has a verified
 * pair with, or else becomes a canonical. Unlike connected components (union-find), a chain A~B~C where
 * C is far from A does not make C a duplicate of A: the first submitter keeps credit only for what was
 * really copied from it.
 */
public final class EarliestCanonicalClusters {
    private EarliestCanonicalClusters() {}

    /** Every key that appears in a pair (ingest orders), mapped to its canonical's key. */
    public static Map<Long, Long> assign(List<long[]> verifiedPairs) {
        Map<Long, List<Long>> earlierNeighbours = new TreeMap<>();
        for (long[] pair : verifiedPairs) {
            long earlier = Math.min(pair[0], pair[1]);
            long later = Math.max(pair[0], pair[1]);
            earlierNeighbours.computeIfAbsent(earlier, key -> new ArrayList<>());
            earlierNeighbours.computeIfAbsent(later, key -> new ArrayList<>()).add(earlier);
        }
        Map<Long, Long> canonical = new HashMap<>();
        // TreeMap: ascending ingest order, so every earlier neighbour is assigned before its later ones.
        for (Map.Entry<Long, List<Long>> entry : earlierNeighbours.entrySet()) {
            long member = entry.getKey();
            long chosen = member;
            for (long neighbour : entry.getValue()) {
                if (canonical.get(neighbour) == neighbour && neighbour < chosen) {
                    chosen = neighbour;
                }
            }
            canonical.put(member, chosen);
        }
        return canonical;
    }
}
