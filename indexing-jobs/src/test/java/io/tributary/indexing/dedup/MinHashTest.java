package io.tributary.indexing.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class MinHashTest {
    @Test
    void theSameSeedGivesTheSameSignatureAndAnotherSeedAnother() {
        long[] set = LongStream.range(0, 100).toArray();
        assertThat(new MinHasher(64, 7).signature(set)).isEqualTo(new MinHasher(64, 7).signature(set));
        assertThat(new MinHasher(64, 7).signature(set)).isNotEqualTo(new MinHasher(64, 8).signature(set));
    }

    @Test
    void signaturesAgreeOnAboutAJaccardShareOfPositions() {
        SplittableRandom random = new SplittableRandom(3);
        long[] common = random.longs(600).toArray();
        long[] a = LongStream.concat(Arrays.stream(common), random.longs(200)).sorted().toArray();
        long[] b = LongStream.concat(Arrays.stream(common), random.longs(200)).sorted().toArray();
        double jaccard = Jaccard.similarity(a, b);
        assertThat(jaccard).isCloseTo(0.6, within(0.001));

        MinHasher hasher = new MinHasher(2000, 11);
        long[] signatureA = hasher.signature(a);
        long[] signatureB = hasher.signature(b);
        long agreeing = java.util.stream.IntStream.range(0, 2000).filter(i -> signatureA[i] == signatureB[i]).count();
        // The agreement rate estimates Jaccard with standard deviation sqrt(J(1-J)/n), about 0.011 here.
        assertThat(agreeing / 2000.0).isCloseTo(jaccard, within(0.05));
    }

    @Test
    void bandsOfEqualRowsHaveEqualKeysWhateverTheirPosition() {
        long[] signature = {1, 2, 3, 1, 2, 3, 9, 9, 9};
        long[] keys = LshBands.keys(signature, 3, 3);
        assertThat(keys[0]).isEqualTo(keys[1]).isNotEqualTo(keys[2]);
        assertThatThrownBy(() -> LshBands.keys(signature, 2, 3)).hasMessageContaining("2 bands of 3 rows");
    }

    @Test
    void jaccardOfSortedSets() {
        assertThat(Jaccard.similarity(new long[] {1, 2, 3, 4}, new long[] {3, 4, 5, 6})).isEqualTo(2.0 / 6);
        assertThat(Jaccard.similarity(new long[] {}, new long[] {})).isZero();
        assertThat(Jaccard.upperBound(8, 10)).isEqualTo(0.8);
    }
}
