package io.tributary.indexing.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ClusteringTest {
    @Test
    void theRepresentativeOfASetIsItsSmallestKey() {
        DisjointSets sets = new DisjointSets();
        sets.union(9, 4);
        sets.union(7, 12);
        sets.union(12, 9);
        sets.union(30, 31);
        assertThat(sets.find(7)).isEqualTo(4);
        assertThat(sets.find(31)).isEqualTo(30);
        assertThat(sets.find(100)).isEqualTo(100);
        assertThat(sets.representatives()).containsEntry(12L, 4L).containsEntry(4L, 4L).containsEntry(31L, 30L)
                .hasSize(6);
    }

    @Test
    void aSmallBucketGivesAllItsPairsSmallerFirst() {
        List<long[]> pairs = BucketPairs.of(new long[] {5, 1, 3}, 10);
        assertThat(pairs).containsExactlyInAnyOrder(new long[] {1, 3}, new long[] {1, 5}, new long[] {3, 5});
    }

    @Test
    void aHugeBucketGivesLinearlyManyPairsAndKeepsEveryMemberPairedWithTheEarliest() {
        long[] members = LongStream.range(0, 10_000).toArray();
        List<long[]> pairs = BucketPairs.of(members, 50);
        assertThat(pairs.size()).isLessThanOrEqualTo(10_000 * 50);
        Set<Long> pairedWithFirst = new HashSet<>();
        for (long[] pair : pairs) {
            assertThat(pair[0]).isLessThan(pair[1]);
            if (pair[0] == 0) {
                pairedWithFirst.add(pair[1]);
            }
        }
        assertThat(pairedWithFirst).hasSize(9_999);
        assertThat(BucketPairs.isCapped(10_000, 50)).isTrue();
    }

    @Test
    void aChainJoinsOneComponentButADuplicateMustResembleItsCanonical() {
        // 1~2 and 2~3, but 3 is not similar to 1; 4~1 and 4~3.
        List<long[]> pairs = List.of(new long[] {1, 2}, new long[] {2, 3}, new long[] {1, 4}, new long[] {3, 4});

        assertThat(Clustering.CONNECTED_COMPONENTS.assign(pairs))
                .containsEntry(1L, 1L).containsEntry(2L, 1L).containsEntry(3L, 1L).containsEntry(4L, 1L);
        // 2 joins 1; 3's only earlier neighbour (2) is a duplicate, so 3 leads its own cluster; 4 joins the
        // earliest canonical it resembles (1, not 3).
        assertThat(Clustering.EARLIEST_CANONICAL.assign(pairs))
                .containsEntry(1L, 1L).containsEntry(2L, 1L).containsEntry(3L, 3L).containsEntry(4L, 1L).hasSize(4);
    }

    @Test
    void clusteringIsChosenByItsConfigurationName() {
        assertThat(Clustering.named("connected-components")).isEqualTo(Clustering.CONNECTED_COMPONENTS);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Clustering.named("single-link"))
                .hasMessageContaining("tributary.dedup.clustering")
                .hasMessageContaining("earliest-canonical, connected-components");
    }
}
