package io.tributary.indexing.influence.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tributary.indexing.influence.ScoreMatrix;
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

    @Test
    void consensusQuestionsStateEachFactManyTimesAndPlantTheRequestedShare() {
        Map<String, String> licenses = new TreeMap<>();
        for (int i = 0; i < 60; i++) {
            licenses.put(String.format("L-%02d", i), String.format("License number %02d", i));
        }
        List<NoisyLicenseQuestions.Question> questions = NoisyLicenseQuestions.generate(NoisyLicenseQuestions.Layout.CONSENSUS,
                licenses, 50, NoisyLicenseQuestions.MAX_PHRASINGS, 0.2, List.of("0xa", "0xb", "0xc"), 11);
        assertThat(questions).hasSize(50 * NoisyLicenseQuestions.MAX_PHRASINGS);
        assertThat(NoisyLicenseQuestions.generate(NoisyLicenseQuestions.Layout.CONSENSUS, licenses, 50,
                NoisyLicenseQuestions.MAX_PHRASINGS, 0.2, List.of("0xa", "0xb", "0xc"), 11)).isEqualTo(questions);
        assertThat(NoisyLicenseQuestions.generate(NoisyLicenseQuestions.Layout.CONSENSUS, licenses, 50,
                NoisyLicenseQuestions.MAX_PHRASINGS, 0.2, List.of("0xa", "0xb", "0xc"), 12)).isNotEqualTo(questions);
        // 500 Bernoulli(0.2) draws: 100 expected, standard deviation about 9.
        long planted = questions.stream().filter(NoisyLicenseQuestions.Question::planted).count();
        assertThat(planted).isBetween(70L, 130L);
        // A planted question names one chosen license and answers with another chosen license's id or name; a clean one
        // names only its own license, so every license's fact is stated by its clean majority.
        Map<String, String> chosen = NoisyLicenseQuestions.chosen(licenses, 50, 11);
        Map<String, Integer> clean = new TreeMap<>();
        for (NoisyLicenseQuestions.Question question : questions) {
            // Ids (L-00 to L-59) and names ("License number 00") never contain one another.
            List<String> named = chosen.keySet().stream().filter(id -> question.text().contains(id)
                    || question.text().contains(chosen.get(id))).toList();
            assertThat(named).as(question.text()).hasSize(question.planted() ? 2 : 1);
            if (!question.planted()) {
                clean.merge(named.get(0), 1, Integer::sum);
            }
        }
        assertThat(clean).hasSize(50);
        assertThat(clean.values().stream().mapToInt(Integer::intValue).average().orElseThrow()).isGreaterThan(7);
        assertThat(NoisyLicenseQuestions.validation(licenses, 50, List.of("0xa"), 11))
                .noneMatch(check -> questions.stream().anyMatch(q -> q.text().equals(check.text())));
        List<NoisyLicenseQuestions.Question> names = NoisyLicenseQuestions.generate(NoisyLicenseQuestions.Layout.NAME_ANSWERS,
                licenses, 50, NoisyLicenseQuestions.MAX_PHRASINGS, 0.2, List.of("0xa"), 11);
        assertThat(names).hasSize(50 * NoisyLicenseQuestions.MAX_PHRASINGS)
                .allMatch(question -> question.text().matches(".* A: License number \\d\\d"), "every answer a name");
        assertThat(names.stream().filter(NoisyLicenseQuestions.Question::planted).count()).isBetween(70L, 130L);
        assertThatThrownBy(() -> NoisyLicenseQuestions.generate(NoisyLicenseQuestions.Layout.SPARSE, licenses, 5, 4, 0.2,
                List.of("0xa"), 1)).hasMessageContaining("phrasings must be in [1, 3]");
    }

    @Test
    void sparseLayoutIsTheOriginalGenerator() {
        Map<String, String> licenses = new TreeMap<>(Map.of("MIT", "MIT License", "ISC", "ISC License",
                "Apache-2.0", "Apache License 2.0", "Zlib", "zlib License"));
        assertThat(NoisyLicenseQuestions.generate(NoisyLicenseQuestions.Layout.SPARSE, licenses, 4, 3, 0.4, List.of("0xa"), 5))
                .isEqualTo(NoisyLicenseQuestions.generate(licenses, 4, 0.4, List.of("0xa"), 5))
                .extracting(NoisyLicenseQuestions.Question::text)
                .contains("The MIT License is written MIT in SPDX license expressions.");
    }

    @Test
    void lowestMeanScoreReadsTheQueriesAnExampleHurtMost() {
        ScoreMatrix matrix = new ScoreMatrix(List.of("clean", "planted", "other"), List.of("q1", "q2", "q3", "q4"),
                new double[][] {{0.5, 0.4, -0.1, 0.6}, {0.9, 0.8, -2.0, 0.7}, {-0.2, -0.3, -0.25, -0.1}});
        // By the mean, the planted example looks helpful (0.1 against the clean one's 0.35 and the other's -0.2125) ...
        assertThat(matrix.meanScore(1)).isCloseTo(0.1, within(1e-12));
        assertThat(matrix.lowestMeanScore(1, 4)).isCloseTo(matrix.meanScore(1), within(1e-12));
        assertThat(matrix.lowestMeanScore(1, 99)).isCloseTo(matrix.meanScore(1), within(1e-12));
        // ... by its worst query it is the most harmful; by its two worst, (-2.0 + 0.7) / 2.
        assertThat(matrix.lowestMeanScore(1, 1)).isEqualTo(-2.0);
        assertThat(matrix.lowestMeanScore(0, 1)).isEqualTo(-0.1);
        assertThat(matrix.lowestMeanScore(2, 1)).isEqualTo(-0.3);
        assertThat(matrix.lowestMeanScore(1, 2)).isCloseTo(-0.65, within(1e-12));
        assertThat(matrix.lowestMeanScore(2, 2)).isCloseTo(-0.275, within(1e-12));
        java.util.Set<String> planted = java.util.Set.of("planted");
        assertThat(InfluenceBenchmark.aucLowest(matrix, planted, 1)).isEqualTo(1.0);
        assertThat(InfluenceBenchmark.aucLowest(matrix, planted, 4)).isEqualTo(0.5);
        assertThatThrownBy(() -> matrix.lowestMeanScore(0, 0)).hasMessageContaining("k must be at least 1");
    }
}
