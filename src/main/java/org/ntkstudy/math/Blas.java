package org.ntkstudy.math;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.lapack.LAPACK;

/**
 * Row-major matrix products on the BLAS that Spark MLlib bundles (dev.ludovic.netlib: native
 * OpenBLAS through JNI — the one bundled in the jar ({@link NativeBlas}) or the system's
 * libblas.so.3 — else a pure-Java fallback).
 *
 * <p>BLAS is column-major: a row-major r×c array read column-major is the c×r transpose, so every
 * product below is computed as its transpose, C^T = B^T A^T, with no copies.
 */
public final class Blas {
  static {
    // Before netlib's first load: the OpenBLAS bundled in the jar, unless the user chose otherwise.
    NativeBlas.install();
  }

  private static final BLAS BLAS_INSTANCE = BLAS.getInstance();
  private static final LAPACK LAPACK_INSTANCE = LAPACK.getInstance();

  private Blas() {}

  public static BLAS blas() {
    return BLAS_INSTANCE;
  }

  public static LAPACK lapack() {
    return LAPACK_INSTANCE;
  }

  /** The BLAS implementation netlib selected, e.g. {@code JNIBLAS} or {@code VectorBLAS}. */
  public static String blasName() {
    return BLAS_INSTANCE.getClass().getSimpleName();
  }

  public static String lapackName() {
    return LAPACK_INSTANCE.getClass().getSimpleName();
  }

  /** True when both BLAS and LAPACK run native code (the fast path). */
  public static boolean isNative() {
    return blasName().startsWith("JNI") && lapackName().startsWith("JNI");
  }

  /**
   * C = A B^T for row-major A (m×k) and B (n×k): the Gram-type product of two row blocks.
   * Row-major C (m×n) is column-major C^T = B A^T.
   */
  public static Matrix multiplyTransposed(Matrix a, Matrix b) {
    requireCols(a, b);
    Matrix c = new Matrix(a.rows(), b.rows());
    gemmNT(a.data(), 0, a.rows(), b.data(), 0, b.rows(), a.cols(), c.data(), 0.0);
    return c;
  }

  /**
   * c = beta·c + A Bᵀ, all row-major: A is the m×k matrix starting at {@code a[aOffset]}, B the
   * n×k matrix starting at {@code b[bOffset]}, c is m×n. Lets callers multiply row ranges of a
   * larger array without copying them.
   */
  public static void gemmNT(
      double[] a, int aOffset, int m, double[] b, int bOffset, int n, int k, double[] c, double beta) {
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      scaleInPlace(c, m * n, beta);
      return;
    }
    BLAS_INSTANCE.dgemm("T", "N", n, m, k, 1.0, b, bOffset, k, a, aOffset, k, beta, c, 0, n);
  }

  /** C = A B for row-major A (m×k) and B (k×n). Column-major: C^T = B^T A^T. */
  public static Matrix multiply(Matrix a, Matrix b) {
    if (a.cols() != b.rows()) {
      throw new IllegalArgumentException("inner dimensions differ: " + a + " · " + b);
    }
    Matrix c = new Matrix(a.rows(), b.cols());
    if (a.rows() == 0 || b.cols() == 0 || a.cols() == 0) {
      return c;
    }
    BLAS_INSTANCE.dgemm(
        "N", "N", b.cols(), a.rows(), a.cols(), 1.0, b.data(), b.cols(), a.data(), a.cols(), 0.0,
        c.data(), b.cols());
    return c;
  }

  /** C = Aᵀ B for row-major A (k×m) and B (k×n): C is m×n. Column-major: Cᵀ = Bᵀ A. */
  public static Matrix multiplyTransposeLeft(Matrix a, Matrix b) {
    if (a.rows() != b.rows()) {
      throw new IllegalArgumentException("row counts differ: " + a + " vs " + b);
    }
    int k = a.rows();
    int m = a.cols();
    int n = b.cols();
    Matrix c = new Matrix(m, n);
    if (k == 0 || m == 0 || n == 0) {
      return c;
    }
    BLAS_INSTANCE.dgemm("N", "T", n, m, k, 1.0, b.data(), n, a.data(), m, 0.0, c.data(), n);
    return c;
  }

  /**
   * acc (m×m) += A^T A for row-major A (k×m): a Gramian partial sum. Uses DGEMM rather than DSYRK
   * (netlib's Java DSYRK is unoptimised; see NOTES-spark-blas) and keeps the result symmetric.
   */
  public static void addGramian(Matrix a, double[] acc) {
    int k = a.rows();
    int m = a.cols();
    if (acc.length != m * m) {
      throw new IllegalArgumentException("accumulator is not " + m + "x" + m);
    }
    if (k == 0 || m == 0) {
      return;
    }
    // Row-major C = A^T A is column-major C^T = (A^T A)^T = A^T A; A read column-major is A^T (m×k).
    BLAS_INSTANCE.dgemm("N", "T", m, m, k, 1.0, a.data(), m, a.data(), m, 1.0, acc, m);
  }

  /** Makes a square row-major matrix exactly symmetric by averaging it with its transpose. */
  public static void symmetrize(Matrix s) {
    if (s.rows() != s.cols()) {
      throw new IllegalArgumentException("not square: " + s);
    }
    int n = s.rows();
    double[] d = s.data();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double v = 0.5 * (d[i * n + j] + d[j * n + i]);
        d[i * n + j] = v;
        d[j * n + i] = v;
      }
    }
  }

  private static void requireCols(Matrix a, Matrix b) {
    if (a.cols() != b.cols()) {
      throw new IllegalArgumentException("column counts differ: " + a + " vs " + b);
    }
  }

  private static void scaleInPlace(double[] c, int len, double beta) {
    for (int i = 0; i < len; i++) {
      c[i] = beta == 0.0 ? 0.0 : beta * c[i];
    }
  }
}
