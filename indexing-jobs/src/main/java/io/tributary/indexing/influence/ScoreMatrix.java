package io.tributary.indexing.influence;

import java.util.Arrays;
import java.util.List;

/**
 * Influence of each training example on each query: {@code scores[i][j]} for training example i and query j,
 * positive when example i lowered query j's loss (helped). Training examples are in id order.
 */
public record ScoreMatrix(List<String> trainIds, List<String> queryIds, double[][] scores) {

    /** Example i's score averaged over the queries: what the influence table records. */
    public double meanScore(int i) {
        double sum = 0;
        for (double score : scores[i]) {
            sum += score;
        }
        return scores[i].length == 0 ? 0 : sum / scores[i].length;
    }

    /**
     * Example i's {@code k} most negative query scores, averaged ({@code k = 1}: its minimum; {@code k} at least the
     * number of queries: {@link #meanScore}). A harmful example hurts the few queries about its own fact and is diluted
     * by the mean over all of them; this reads those few. Same sign convention: below zero, it hurt them.
     */
    public double lowestMeanScore(int i, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (scores[i].length == 0) {
            return 0;
        }
        double[] sorted = scores[i].clone();
        Arrays.sort(sorted);
        int count = Math.min(k, sorted.length);
        double sum = 0;
        for (int j = 0; j < count; j++) {
            sum += sorted[j];
        }
        return sum / count;
    }

    /**
     * The element-wise mean of {@code members}' scores (an ensemble's score, per training example and query), summed in
     * the members' order; every member must score the same training examples against the same queries.
     */
    public static ScoreMatrix mean(List<ScoreMatrix> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("no score matrices to average");
        }
        ScoreMatrix first = members.get(0);
        double[][] sum = new double[first.size()][first.queryIds().size()];
        for (ScoreMatrix member : members) {
            if (!member.trainIds().equals(first.trainIds()) || !member.queryIds().equals(first.queryIds())) {
                throw new IllegalArgumentException("score matrices of different training examples or queries cannot be averaged");
            }
            for (int i = 0; i < sum.length; i++) {
                for (int j = 0; j < sum[i].length; j++) {
                    sum[i][j] += member.scores()[i][j];
                }
            }
        }
        for (double[] row : sum) {
            for (int j = 0; j < row.length; j++) {
                row[j] /= members.size();
            }
        }
        return new ScoreMatrix(first.trainIds(), first.queryIds(), sum);
    }

    public int size() {
        return trainIds.size();
    }
}
