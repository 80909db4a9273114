package io.tributary.indexing.dedup;

import io.tributary.core.config.ConfigException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** How verified near-duplicate pairs (of ingest orders) become clusters, each led by its earliest member. */
public enum Clustering {
    /** Each text joins the earliest canonical it is verified-similar to: a duplicate always resembles its canonical. */
    EARLIEST_CANONICAL("earliest-canonical") {
        @Override
        public Map<Long, Long> assign(List<long[]> verifiedPairs) {
            return EarliestCanonicalClusters.assign(verifiedPairs);
        }
    },
    /** Connected components (union-find): chains A~B~C make one cluster even when A and C are far apart. */
    CONNECTED_COMPONENTS("connected-components") {
        @Override
        public Map<Long, Long> assign(List<long[]> verifiedPairs) {
            DisjointSets sets = new DisjointSets();
            for (long[] pair : verifiedPairs) {
                sets.union(pair[0], pair[1]);
            }
            return sets.representatives();
        }
    };

    private final String configName;

    Clustering(String configName) {
        this.configName = configName;
    }

    /** Every key in a pair mapped to its cluster's canonical key (the smallest ingest order leads). */
    public abstract Map<Long, Long> assign(List<long[]> verifiedPairs);

    public String configName() {
        return configName;
    }

    static Clustering named(String name) {
        return Arrays.stream(values()).filter(value -> value.configName.equals(name)).findFirst()
                .orElseThrow(() -> new ConfigException("tributary.dedup.clustering", "must be one of "
                        + Arrays.stream(values()).map(Clustering::configName).collect(Collectors.joining(", "))
                        + ", not '" + name + "'"));
    }
}
