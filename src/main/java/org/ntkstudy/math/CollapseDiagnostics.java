package org.ntkstudy.math;

/**
 * How far linearized attention collapses its features (SCIENCE §6, "Collapse diagnostics"): with
 * x = p/|p| the covariance C = XᵀX is dominated by its top eigenvalue and every attended x̃ = Cx/|Cx|
 * points nearly the same way, so a network on x̃ cannot tell the examples apart.
 *
 * @param topShare λ1(C) / tr(C), the share of C's top eigenvalue in its trace
 * @param meanAlignment the mean over the training rows of |x̃·v1|, v1 the top eigenvector of X̃ᵀX̃
 * @param minCosine the smallest pairwise cosine x̃_i·x̃_j (i ≠ j) over the first {@link #MAX_ROWS} rows
 * @param rows the rows the smallest cosine was taken over
 */
public record CollapseDiagnostics(double topShare, double meanAlignment, double minCosine, int rows) {
  /** The smallest cosine is taken over at most this many training rows (SCIENCE §6). */
  public static final int MAX_ROWS = 2000;

  /** The top share above which the log warns that the attended features collapse. */
  public static final double WARN_TOP_SHARE = 0.4;

  /**
   * The diagnostics of training inputs {@code x} (n×d, rows of unit norm) and their attended
   * features {@code xt} (n×d, rows x̃ of unit norm, SCIENCE §1).
   */
  public static CollapseDiagnostics of(Matrix x, Matrix xt) {
    if (x.rows() != xt.rows() || x.cols() != xt.cols() || x.rows() < 2) {
      throw new IllegalArgumentException("x and x~ must both be n x d with n >= 2, got " + x + " and " + xt);
    }
    Matrix c = Blas.multiplyTransposeLeft(x, x);
    Blas.symmetrize(c);
    double trace = 0;
    for (int j = 0; j < c.rows(); j++) {
      trace += c.get(j, j);
    }
    double topShare = SymmetricEigen.values(c)[0] / trace;

    Matrix ct = Blas.multiplyTransposeLeft(xt, xt);
    Blas.symmetrize(ct);
    SymmetricEigen.Decomposition e = SymmetricEigen.decompose(ct);
    int n = xt.rows();
    int d = xt.cols();
    double[] v1 = new double[d];
    for (int j = 0; j < d; j++) {
      v1[j] = e.vectors().get(j, 0);
    }
    double[] a = xt.data();
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double dot = 0;
      for (int j = 0; j < d; j++) {
        dot += a[i * d + j] * v1[j];
      }
      sum += Math.abs(dot);
    }

    int rows = Math.min(n, MAX_ROWS);
    Matrix head = rows == n ? xt : xt.selectRows(firstRows(rows));
    Matrix cos = Blas.multiplyTransposed(head, head);
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < rows; i++) {
      for (int j = i + 1; j < rows; j++) {
        min = Math.min(min, cos.get(i, j));
      }
    }
    return new CollapseDiagnostics(topShare, sum / n, min, rows);
  }

  private static int[] firstRows(int k) {
    int[] r = new int[k];
    for (int i = 0; i < k; i++) {
      r[i] = i;
    }
    return r;
  }

  /** True when the attended features have collapsed enough that the log should say so. */
  public boolean collapsed() {
    return topShare > WARN_TOP_SHARE;
  }
}
