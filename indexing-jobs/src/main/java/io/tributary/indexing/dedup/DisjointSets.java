package io.tributary.indexing.dedup;

import java.util.HashMap;
import java.util.Map;

/**
 * Union-find over long keys whose representative is always the smallest key of its set: with ingest
 * orders as keys, the representative of a cluster is its earliest ingested member, the canonical one.
 */
public final class DisjointSets {
    private final Map<Long, Long> parent = new HashMap<>();

    public void union(long a, long b) {
        long rootA = find(a);
        long rootB = find(b);
        if (rootA < rootB) {
            parent.put(rootB, rootA);
        } else if (rootB < rootA) {
            parent.put(rootA, rootB);
        }
    }

    /** The smallest key of the set holding {@code key} (the key itself when it was never joined). */
    public long find(long key) {
        long root = key;
        Long next;
        while ((next = parent.get(root)) != null && next != root) {
            root = next;
        }
        // Path compression: point every key on the walked path straight at the root.
        long current = key;
        while (current != root) {
            long following = parent.get(current);
            parent.put(current, root);
            current = following;
        }
        return root;
    }

    /** Every key ever joined, mapped to its set's smallest key. */
    public Map<Long, Long> representatives() {
        Map<Long, Long> out = new HashMap<>();
        for (Long key : parent.keySet().toArray(new Long[0])) {
            out.put(key, find(key));
        }
        for (Long root : out.values().toArray(new Long[0])) {
            out.putIfAbsent(root, root);
        }
        return out;
    }
}
