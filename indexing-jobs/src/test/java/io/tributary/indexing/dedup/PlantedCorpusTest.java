package io.tributary.indexing.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlantedCorpusTest {
    @Test
    void truePairsEqualABruteForceComparisonOfEveryPair() {
        Random random = new Random(9);
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            sources.add(SampleText.words(random, 50 + random.nextInt(200)));
        }
        PlantedCorpus planted = PlantedCorpus.generate(sources, 4, 1);
        long[][] shingles = planted.texts().stream()
                .map(text -> WordShingles.of(TextNormalizer.normalize(text), 5)).toArray(long[][]::new);

        Set<List<Integer>> expected = new HashSet<>();
        for (int i = 0; i < shingles.length; i++) {
            for (int j = i + 1; j < shingles.length; j++) {
                if (Jaccard.similarity(shingles[i], shingles[j]) >= 0.8) {
                    expected.add(List.of(i, j));
                }
            }
        }
        Set<List<Integer>> found = new HashSet<>();
        for (int[] pair : PlantedCorpus.truePairs(shingles, 0.8)) {
            found.add(List.of(Math.min(pair[0], pair[1]), Math.max(pair[0], pair[1])));
        }
        assertThat(found).isEqualTo(expected).isNotEmpty();
    }

    @Test
    void copiesStraddleTheThreshold() {
        Random random = new Random(10);
        String source = SampleText.words(random, 500);
        PlantedCorpus planted = PlantedCorpus.generate(List.of(source), 40, 2);
        long[] original = WordShingles.of(TextNormalizer.normalize(source), 5);
        int above = 0;
        int below = 0;
        for (String copy : planted.texts().subList(1, planted.texts().size())) {
            double similarity = Jaccard.similarity(original, WordShingles.of(TextNormalizer.normalize(copy), 5));
            if (similarity >= 0.8) {
                above++;
            } else {
                below++;
            }
        }
        assertThat(above).isGreaterThan(5);
        assertThat(below).isGreaterThan(5);
    }
}
