package io.tributary.indexing.dedup;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.min;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Turns verified pairs into clusters in Spark: the connected components of the pair graph first (minimum-label
 * propagation with pointer jumping; a count per round is all that reaches the driver), then each component's pairs
 * clustered by one task with the configured {@link Clustering} rule. Both rules decide a key from its own
 * component's pairs only, so the result is the one the rule gives over all pairs at once.
 */
final class PairClusters {
    private PairClusters() {}

    /**
     * Rows (representative, cluster_canonical) of {@link Deduplicator#CLUSTERS} for every key in {@code pairs}
     * (columns left, right: ingest orders).
     */
    static Dataset<Row> assign(Dataset<Row> pairs, Clustering clustering) {
        Dataset<Row> labels = componentLabels(pairs);
        Dataset<Row> labelled = pairs.join(labels.withColumnRenamed("node", "left"), "left")
                .select(col("left"), col("right"), col("label"));
        return labelled
                .groupByKey((MapFunction<Row, Long>) row -> row.getLong(2), Encoders.LONG())
                .flatMapGroups((FlatMapGroupsFunction<Long, Row, Row>) (component, rows) -> {
                    List<long[]> componentPairs = new ArrayList<>();
                    rows.forEachRemaining(row -> componentPairs.add(new long[] {row.getLong(0), row.getLong(1)}));
                    List<Row> assigned = new ArrayList<>();
                    for (Map.Entry<Long, Long> entry : clustering.assign(componentPairs).entrySet()) {
                        assigned.add(RowFactory.create(entry.getKey(), entry.getValue()));
                    }
                    return assigned.iterator();
                }, Encoders.row(Deduplicator.CLUSTERS))
                .localCheckpoint();
    }

    /**
     * (node, label): every key of {@code pairs} with the smallest key of its connected component. Each round
     * lowers a node's label to the smallest label among itself and its neighbours, then to its label's label
     * (pointer jumping, which halves long chains); labels only decrease, so rounds stop when none changes.
     */
    static Dataset<Row> componentLabels(Dataset<Row> pairs) {
        Dataset<Row> edges = pairs.select(col("left").as("node"), col("right").as("neighbour"))
                .union(pairs.select(col("right").as("node"), col("left").as("neighbour")))
                .localCheckpoint();
        Dataset<Row> labels = edges.groupBy("node").agg(least(col("node"), min("neighbour")).as("label"))
                .localCheckpoint();
        while (true) {
            Dataset<Row> neighbourLabels = edges.join(labels.withColumnRenamed("node", "neighbour"), "neighbour")
                    .groupBy("node").agg(min("label").as("neighbour_label"));
            Dataset<Row> propagated = labels.join(neighbourLabels, "node")
                    .select(col("node"), least(col("label"), col("neighbour_label")).as("label"));
            Dataset<Row> jumped = propagated.join(propagated.select(col("node").as("label"), col("label").as("label_label")), "label")
                    .select(col("node"), col("label_label").as("label"))
                    .localCheckpoint();
            long changed = jumped.join(labels.withColumnRenamed("label", "previous"), "node")
                    .where(col("label").notEqual(col("previous"))).count();
            labels = jumped;
            if (changed == 0) {
                return labels;
            }
        }
    }
}
