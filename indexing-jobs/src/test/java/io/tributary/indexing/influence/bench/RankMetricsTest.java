package io.tributary.indexing.influence.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The benchmark's figures against brute-force definitions, and its generated Datanet. */
class RankMetricsTest {
    @Test
    void aucIsTheShareOfPositiveNegativePairsOrderedLowestFirst() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 50; trial++) {
            int n = 2 + random.nextInt(30);
            double[] scores = new double[n];
            boolean[] positive = new boolean[n];
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(6);
                positive[i] = random.nextBoolean();
            }
            positive[0] = true;
            positive[1] = false;
            double pairs = 0;
            double below = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (positive[i] && !positive[j]) {
                        pairs++;
                        below += scores[i] < scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                    }
                }
            }
            assertThat(RankMetrics.aucLowest(scores, positive)).isCloseTo(below / pairs, within(1e-12));
        }
    }

    @Test
    void spearmanIsPearsonOfAverageRanks() {
        assertThat(RankMetrics.spearman(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 40})).isCloseTo(1, within(1e-12));
        assertThat(RankMetrics.spearman(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1})).isCloseTo(-1, within(1e-12));
        // Ties take their average rank: ranks (1.5, 1.5, 3) against (1, 2, 3).
        assertThat(RankMetrics.spearman(new double[] {5, 5, 9}, new double[] {1, 2, 3})).isCloseTo(0.8660254037844386, within(1e-12));
        assertThat(RankMetrics.spearman(new double[] {1, 1, 1}, new double[] {1, 2, 3})).isNaN();
    }

    @Test
    void questionsPlantWrongAnswersOfOtherLicenses() {
        Map<String, String> licenses = new TreeMap<>(Map.of("MIT", "MIT License", "ISC", "ISC License",
                "Apache-2.0", "Apache License 2.0", "Zlib", "zlib License", "0BSD", "BSD Zero Clause License"));
        List<NoisyLicenseQuestions.Question> questions = NoisyLicenseQuestions.generate(licenses, 5, 0.3,
                List.of("0xa", "0xb"), 3);
        assertThat(questions).hasSize(15);
        assertThat(NoisyLicenseQuestions.generate(licenses, 5, 0.3, List.of("0xa", "0xb"), 3)).isEqualTo(questions);
        long planted = questions.stream().filter(NoisyLicenseQuestions.Question::planted).count();
        assertThat(planted).isBetween(1L, 14L);
        java.util.Set<String> correct = new java.util.HashSet<>();
        NoisyLicenseQuestions.generate(licenses, 5, 1e-12, List.of("0xa"), 3).forEach(q -> correct.add(q.text()));
        assertThat(correct).hasSize(15);
        for (NoisyLicenseQuestions.Question question : questions) {
            assertThat(correct.contains(question.text())).as(question.text()).isEqualTo(!question.planted());
        }
        assertThat(questions).extracting(NoisyLicenseQuestions.Question::contributor).containsOnly("0xa", "0xb");
    }
}
