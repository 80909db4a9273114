package io.tributary.indexing.influence;

/** Solves A X = B for a symmetric positive definite A (the damped TRAK kernel), on the driver. */
final class Cholesky {
    private Cholesky() {}

    /** X for A [k][k] (row-major, symmetric positive definite) and B [k][m]; A is not modified. */
    static double[][] solve(double[] a, int k, double[][] b) {
        double[] lower = factor(a, k);
        int m = b[0].length;
        double[][] x = new double[k][m];
        for (int column = 0; column < m; column++) {
            double[] y = new double[k];
            for (int i = 0; i < k; i++) {
                double sum = b[i][column];
                for (int p = 0; p < i; p++) {
                    sum -= lower[i * k + p] * y[p];
                }
                y[i] = sum / lower[i * k + i];
            }
            for (int i = k - 1; i >= 0; i--) {
                double sum = y[i];
                for (int p = i + 1; p < k; p++) {
                    sum -= lower[p * k + i] * x[p][column];
                }
                x[i][column] = sum / lower[i * k + i];
            }
        }
        return x;
    }

    /** The lower-triangular L (row-major) with L L^T = A. */
    static double[] factor(double[] a, int k) {
        double[] lower = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i * k + j];
                for (int p = 0; p < j; p++) {
                    sum -= lower[i * k + p] * lower[j * k + p];
                }
                if (i == j) {
                    if (!(sum > 0)) {
                        throw new InfluenceException("the damped kernel is not positive definite at row " + i
                                + "; raise tributary.influence.trak-damping");
                    }
                    lower[i * k + i] = Math.sqrt(sum);
                } else {
                    lower[i * k + j] = sum / lower[j * k + j];
                }
            }
        }
        return lower;
    }

    /** ||L^-1 v||^2 = v^T A^-1 v by forward substitution, for the factor L of A. */
    static double inverseQuadratic(double[] lower, int k, float[] v) {
        double[] y = new double[k];
        double total = 0;
        for (int i = 0; i < k; i++) {
            double sum = v[i];
            int row = i * k;
            for (int p = 0; p < i; p++) {
                sum -= lower[row + p] * y[p];
            }
            y[i] = sum / lower[row + i];
            total += y[i] * y[i];
        }
        return total;
    }
}
