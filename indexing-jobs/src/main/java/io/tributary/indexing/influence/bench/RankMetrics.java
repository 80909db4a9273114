package io.tributary.indexing.influence.bench;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** The two figures of the influence benchmark: the AUC of a ranking and Spearman's rank correlation (ties averaged). */
public final class RankMetrics {
    private RankMetrics() {}

    /**
     * The probability that a random positive scores below a random negative (ties count half): the AUC of ranking
     * the positives (the planted wrong answers) lowest.
     */
    public static double aucLowest(double[] scores, boolean[] positive) {
        double[] ranks = ranks(scores);
        long positives = 0;
        double rankSum = 0;
        for (int i = 0; i < scores.length; i++) {
            if (positive[i]) {
                positives++;
                rankSum += ranks[i];
            }
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        // Mann-Whitney: U of the negatives over the positives, from the positives' ranks (1 = lowest score).
        double positivesAbove = rankSum - positives * (positives + 1) / 2.0;
        return 1 - positivesAbove / ((double) positives * negatives);
    }

    public static double spearman(double[] a, double[] b) {
        double[] ra = ranks(a);
        double[] rb = ranks(b);
        double meanA = Arrays.stream(ra).average().orElse(0);
        double meanB = Arrays.stream(rb).average().orElse(0);
        double covariance = 0;
        double varianceA = 0;
        double varianceB = 0;
        for (int i = 0; i < ra.length; i++) {
            covariance += (ra[i] - meanA) * (rb[i] - meanB);
            varianceA += (ra[i] - meanA) * (ra[i] - meanA);
            varianceB += (rb[i] - meanB) * (rb[i] - meanB);
        }
        return varianceA == 0 || varianceB == 0 ? Double.NaN : covariance / Math.sqrt(varianceA * varianceB);
    }

    /** Ranks 1..n in ascending order, ties given their average rank. */
    static double[] ranks(double[] values) {
        Integer[] order = IntStream.range(0, values.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[values.length];
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = rank;
            }
            i = j + 1;
        }
        return ranks;
    }
}
