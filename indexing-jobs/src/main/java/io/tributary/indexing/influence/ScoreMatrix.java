package io.tributary.indexing.influence;

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

    public int size() {
        return trainIds.size();
    }
}
