package io.tributary.indexing.influence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * The three influence approximations over stored projected gradients, in Spark: training gradients stay in
 * their tasks; only query gradients (small), k x k or q x k aggregates (tree aggregation) and the n x q scores
 * reach the driver. Sign convention everywhere: a positive score means the example lowered the query's loss.
 * Formulas: indexing-jobs/README.md.
 */
public final class InfluenceScorer {
    private final JavaSparkContext context;

    public InfluenceScorer(JavaSparkContext context) {
        this.context = context;
    }

    /** Training and query gradients at one adapter state, and TracIn's weight for that state. */
    public record StateGradients(JavaRDD<ProjectedGradient> train, List<ProjectedGradient> queries, double weight) {}

    /** TracIn: sum over states c of eta_c * g_i,c . q_j,c (eta_c: the learning rates of the steps state c stands for). */
    public ScoreMatrix tracIn(List<StateGradients> states) {
        List<String> queryIds = queryIds(states.get(0).queries());
        JavaPairRDD<String, double[]> total = null;
        for (StateGradients state : states) {
            float[][] queries = features(state.queries());
            Broadcast<float[][]> shared = context.broadcast(queries);
            double weight = state.weight();
            JavaPairRDD<String, double[]> scores = state.train().mapToPair(gradient -> {
                float[][] q = shared.value();
                double[] row = new double[q.length];
                for (int j = 0; j < q.length; j++) {
                    row[j] = weight * dot(gradient.features(), q[j]);
                }
                return new Tuple2<>(gradient.id(), row);
            });
            total = total == null ? scores : total.union(scores);
        }
        JavaPairRDD<String, double[]> summed = total.reduceByKey(InfluenceScorer::add);
        return matrix(summed.collect(), queryIds);
    }

    /**
     * TRAK: score(i, j) = phi_j^T (Phi^T Phi + lambda I)^-1 phi_i, lambda = damping x trace(Phi^T Phi) / min(n, k), the
     * mean of the kernel's non-zero eigenvalues (with fewer examples than features the kernel has only n of them).
     * The k x k kernel is a tree aggregation of per-partition sums of phi phi^T.
     */
    public ScoreMatrix trak(JavaRDD<ProjectedGradient> train, List<ProjectedGradient> queries, double damping) {
        int k = queries.get(0).features().length;
        double[] kernel = dampedKernel(train, k, damping);
        float[][] q = features(queries);
        double[][] right = new double[k][q.length];
        for (int j = 0; j < q.length; j++) {
            for (int i = 0; i < k; i++) {
                right[i][j] = q[j][i];
            }
        }
        double[][] solved = Cholesky.solve(kernel, k, right);
        Broadcast<double[][]> shared = context.broadcast(solved);
        JavaPairRDD<String, double[]> scores = train.mapToPair(gradient -> {
            double[][] x = shared.value();
            float[] phi = gradient.features();
            double[] row = new double[x[0].length];
            for (int i = 0; i < phi.length; i++) {
                double value = phi[i];
                for (int j = 0; j < row.length; j++) {
                    row[j] += value * x[i][j];
                }
            }
            return new Tuple2<>(gradient.id(), row);
        });
        return matrix(scores.collect(), queryIds(queries));
    }

    /**
     * DataInf, per module block l with lambda_l = damping x mean_i ||g_il||^2:
     * score(i, j) = sum_l (1/lambda_l) [ v_jl.g_il - (1/n) sum_t (v_jl.g_tl)(g_tl.g_il) / (lambda_l + ||g_tl||^2) ].
     * Two tree aggregations (the block norms, then the q x k vectors sum_t c_jt g_t), then one map.
     */
    public ScoreMatrix dataInf(JavaRDD<ProjectedGradient> train, List<ProjectedGradient> queries, int blocks,
                               double damping) {
        int k = queries.get(0).features().length;
        int dim = k / blocks;
        double[] lambda = dataInfLambdas(train, blocks, dim, damping);
        double n = lambda[blocks];
        float[][] q = features(queries);
        Broadcast<float[][]> sharedQueries = context.broadcast(q);
        int m = q.length;
        double[] weighted = train.treeAggregate(new double[m * k], (sum, gradient) -> {
            float[] g = gradient.features();
            float[][] v = sharedQueries.value();
            for (int b = 0; b < blocks; b++) {
                int offset = b * dim;
                double denominator = lambda[b] + squaredNorm(g, offset, dim);
                for (int j = 0; j < m; j++) {
                    double c = dot(v[j], g, offset, dim) / denominator;
                    for (int d = 0; d < dim; d++) {
                        sum[j * k + offset + d] += c * g[offset + d];
                    }
                }
            }
            return sum;
        }, InfluenceScorer::addInPlace, 2);
        for (int i = 0; i < weighted.length; i++) {
            weighted[i] /= n;
        }
        Broadcast<double[]> sharedWeighted = context.broadcast(weighted);
        JavaPairRDD<String, double[]> scores = train.mapToPair(gradient -> {
            float[] g = gradient.features();
            float[][] v = sharedQueries.value();
            double[] r = sharedWeighted.value();
            double[] row = new double[m];
            for (int j = 0; j < m; j++) {
                double score = 0;
                for (int b = 0; b < blocks; b++) {
                    int offset = b * dim;
                    double correction = 0;
                    for (int d = 0; d < dim; d++) {
                        correction += r[j * k + offset + d] * g[offset + d];
                    }
                    score += (dot(v[j], g, offset, dim) - correction) / lambda[b];
                }
                row[j] = score;
            }
            return new Tuple2<>(gradient.id(), row);
        });
        return matrix(scores.collect(), queryIds(queries));
    }

    /** Phi^T Phi + lambda I (row-major k x k), lambda = damping x trace / min(n, k); a tree aggregation of phi phi^T. */
    private static double[] dampedKernel(JavaRDD<ProjectedGradient> train, int k, double damping) {
        double[] kernel = train.treeAggregate(new double[k * k + 1], (sum, gradient) -> {
            addOuter(sum, gradient.features(), k);
            sum[k * k] += 1;
            return sum;
        }, InfluenceScorer::addInPlace, 2);
        double n = kernel[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < i; j++) {
                kernel[i * k + j] = kernel[j * k + i];
            }
        }
        double trace = 0;
        for (int i = 0; i < k; i++) {
            trace += kernel[i * k + i];
        }
        double lambda = damping * Math.max(trace / Math.min(n, k), Double.MIN_NORMAL);
        for (int i = 0; i < k; i++) {
            kernel[i * k + i] += lambda;
        }
        return Arrays.copyOf(kernel, k * k);
    }

    /** The one query column of a self-influence matrix. */
    public static final String SELF_QUERY = "self";

    /**
     * TracIn self-influence: sum over states c of eta_c ||g_i,c||^2, how much the steps on example i lowered its own
     * loss to first order. One column, {@link #SELF_QUERY}.
     */
    public ScoreMatrix tracInSelf(List<StateGradients> states) {
        JavaPairRDD<String, double[]> total = null;
        for (StateGradients state : states) {
            double weight = state.weight();
            JavaPairRDD<String, double[]> scores = state.train().mapToPair(gradient ->
                    new Tuple2<>(gradient.id(), new double[] {weight * dot(gradient.features(), gradient.features())}));
            total = total == null ? scores : total.union(scores);
        }
        return matrix(total.reduceByKey(InfluenceScorer::add).collect(), List.of(SELF_QUERY));
    }

    /** TRAK self-influence: phi_i^T (Phi^T Phi + lambda I)^-1 phi_i, with TRAK's kernel and damping (via its Cholesky factor). */
    public ScoreMatrix trakSelf(JavaRDD<ProjectedGradient> train, int k, double damping) {
        // v^T A^-1 v = ||L^-1 v||^2: the factor is broadcast, each task solves its examples' triangular systems.
        Broadcast<double[]> lower = context.broadcast(Cholesky.factor(dampedKernel(train, k, damping), k));
        JavaPairRDD<String, double[]> scores = train.mapToPair(gradient ->
                new Tuple2<>(gradient.id(), new double[] {Cholesky.inverseQuadratic(lower.value(), k, gradient.features())}));
        return matrix(scores.collect(), List.of(SELF_QUERY));
    }

    /**
     * DataInf self-influence, per module block l with DataInf's lambda_l:
     * sum_l (1/lambda_l) [ ||g_il||^2 - (1/n) sum_t (g_il.g_tl)^2 / (lambda_l + ||g_tl||^2) ],
     * the second term from the per-block matrices M_l = (1/n) sum_t g_tl g_tl^T / (lambda_l + ||g_tl||^2) (tree aggregation).
     */
    public ScoreMatrix dataInfSelf(JavaRDD<ProjectedGradient> train, int k, int blocks, double damping) {
        int dim = k / blocks;
        double[] lambda = dataInfLambdas(train, blocks, dim, damping);
        double[] matrices = train.treeAggregate(new double[blocks * dim * dim + 1], (sum, gradient) -> {
            float[] g = gradient.features();
            for (int b = 0; b < blocks; b++) {
                int offset = b * dim;
                double weight = 1 / (lambda[b] + squaredNorm(g, offset, dim));
                for (int i = 0; i < dim; i++) {
                    double value = weight * g[offset + i];
                    int row = b * dim * dim + i * dim;
                    for (int j = 0; j < dim; j++) {
                        sum[row + j] += value * g[offset + j];
                    }
                }
            }
            sum[blocks * dim * dim] += 1;
            return sum;
        }, InfluenceScorer::addInPlace, 2);
        double n = matrices[blocks * dim * dim];
        Broadcast<double[]> shared = context.broadcast(matrices);
        JavaPairRDD<String, double[]> scores = train.mapToPair(gradient -> {
            double[] m = shared.value();
            float[] g = gradient.features();
            double score = 0;
            for (int b = 0; b < blocks; b++) {
                int offset = b * dim;
                double quadratic = 0;
                for (int i = 0; i < dim; i++) {
                    double row = 0;
                    for (int j = 0; j < dim; j++) {
                        row += m[b * dim * dim + i * dim + j] * g[offset + j];
                    }
                    quadratic += g[offset + i] * row;
                }
                score += (squaredNorm(g, offset, dim) - quadratic / n) / lambda[b];
            }
            return new Tuple2<>(gradient.id(), new double[] {score});
        });
        return matrix(scores.collect(), List.of(SELF_QUERY));
    }

    /** DataInf's lambda_l = damping x mean_i ||g_il||^2, per module block; the example count n after them. */
    private static double[] dataInfLambdas(JavaRDD<ProjectedGradient> train, int blocks, int dim, double damping) {
        double[] norms = train.treeAggregate(new double[blocks + 1], (sum, gradient) -> {
            float[] g = gradient.features();
            for (int b = 0; b < blocks; b++) {
                sum[b] += squaredNorm(g, b * dim, dim);
            }
            sum[blocks] += 1;
            return sum;
        }, InfluenceScorer::addInPlace, 2);
        double n = norms[blocks];
        double[] lambda = new double[blocks + 1];
        for (int b = 0; b < blocks; b++) {
            lambda[b] = damping * Math.max(norms[b] / n, Double.MIN_NORMAL);
        }
        lambda[blocks] = n;
        return lambda;
    }

    private static ScoreMatrix matrix(List<Tuple2<String, double[]>> rows, List<String> queryIds) {
        List<Tuple2<String, double[]>> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(Tuple2::_1));
        List<String> ids = sorted.stream().map(Tuple2::_1).toList();
        double[][] scores = sorted.stream().map(Tuple2::_2).toArray(double[][]::new);
        return new ScoreMatrix(ids, queryIds, scores);
    }

    private static List<String> queryIds(List<ProjectedGradient> queries) {
        return queries.stream().map(ProjectedGradient::id).toList();
    }

    private static float[][] features(List<ProjectedGradient> gradients) {
        return gradients.stream().map(ProjectedGradient::features).toArray(float[][]::new);
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    private static double dot(float[] a, float[] b, int offset, int length) {
        double sum = 0;
        for (int i = offset; i < offset + length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    private static double squaredNorm(float[] a, int offset, int length) {
        return dot(a, a, offset, length);
    }

    private static void addOuter(double[] sum, float[] phi, int k) {
        for (int i = 0; i < k; i++) {
            double value = phi[i];
            if (value == 0) {
                continue;
            }
            int row = i * k;
            for (int j = i; j < k; j++) {
                sum[row + j] += value * phi[j];
            }
        }
    }

    private static double[] add(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length);
        for (int i = 0; i < b.length; i++) {
            out[i] += b[i];
        }
        return out;
    }

    private static double[] addInPlace(double[] a, double[] b) {
        for (int i = 0; i < b.length; i++) {
            a[i] += b[i];
        }
        return a;
    }

}
