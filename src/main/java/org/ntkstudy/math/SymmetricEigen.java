package org.ntkstudy.math;

import org.netlib.util.intW;

/**
 * Eigenvalues of a real symmetric matrix by LAPACK's divide-and-conquer {@code dsyevd} (called
 * directly: Breeze's {@code eigSym} is about 10× slower, see NOTES-spark-blas).
 */
public final class SymmetricEigen {
  private SymmetricEigen() {}

  /**
   * All eigenvalues of the symmetric matrix {@code s}, in descending order. Only the upper
   * triangle (row-major) is read; {@code s} is not modified. A negative eigenvalue made by
   * round-off is returned as it is.
   */
  public static double[] values(Matrix s) {
    if (s.rows() != s.cols()) {
      throw new IllegalArgumentException("not square: " + s);
    }
    int n = s.rows();
    double[] w = new double[n];
    if (n == 0) {
      return w;
    }
    // Row-major upper = column-major lower: same array, uplo "L".
    double[] a = s.data().clone();
    double[] workQuery = new double[1];
    int[] iworkQuery = new int[1];
    intW info = new intW(0);
    Blas.lapack().dsyevd("N", "L", n, a, n, w, workQuery, -1, iworkQuery, -1, info);
    checkInfo(info, n);
    int lwork = Math.max(1, (int) workQuery[0]);
    int liwork = Math.max(1, iworkQuery[0]);
    info = new intW(0);
    Blas.lapack().dsyevd("N", "L", n, a, n, w, new double[lwork], lwork, new int[liwork], liwork, info);
    checkInfo(info, n);
    return reverse(w);
  }

  private static void checkInfo(intW info, int n) {
    if (info.val != 0) {
      throw new ArithmeticException(
          "LAPACK dsyevd failed on a " + n + "x" + n + " matrix (info = " + info.val
              + (info.val < 0 ? ": illegal argument" : ": did not converge") + ")");
    }
  }

  /** dsyevd returns ascending; the project's convention is descending (λ1 ≥ λ2 ≥ …). */
  private static double[] reverse(double[] w) {
    double[] out = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      out[i] = w[w.length - 1 - i];
    }
    return out;
  }

  /**
   * Eigenvalues (descending) and eigenvectors of a symmetric matrix: column k of
   * {@code vectors} (row-major n×n) belongs to {@code values[k]}.
   */
  public record Decomposition(double[] values, Matrix vectors) {}

  /** All eigenvalues and eigenvectors by dsyevd (jobz = "V"); {@code s} is not modified. */
  public static Decomposition decompose(Matrix s) {
    if (s.rows() != s.cols()) {
      throw new IllegalArgumentException("not square: " + s);
    }
    int n = s.rows();
    double[] w = new double[n];
    if (n == 0) {
      return new Decomposition(w, new Matrix(0, 0));
    }
    double[] a = s.data().clone();
    double[] workQuery = new double[1];
    int[] iworkQuery = new int[1];
    intW info = new intW(0);
    Blas.lapack().dsyevd("V", "L", n, a, n, w, workQuery, -1, iworkQuery, -1, info);
    checkInfo(info, n);
    int lwork = Math.max(1, (int) workQuery[0]);
    int liwork = Math.max(1, iworkQuery[0]);
    info = new intW(0);
    Blas.lapack().dsyevd("V", "L", n, a, n, w, new double[lwork], lwork, new int[liwork], liwork, info);
    checkInfo(info, n);
    // Column-major eigenvectors: a[k * n + i] is component i of vector k (ascending order).
    double[] values = new double[n];
    Matrix vectors = new Matrix(n, n);
    for (int k = 0; k < n; k++) {
      int src = n - 1 - k;
      values[k] = w[src];
      for (int i = 0; i < n; i++) {
        vectors.set(i, k, a[src * n + i]);
      }
    }
    return new Decomposition(values, vectors);
  }
}
