package org.ntkstudy.math;

import org.netlib.util.intW;

/**
 * The kernel-ridge predictor of SCIENCE §2, f_K(X*) = K(X*, X)(K(X, X) + λ_ridge I)^{-1} Y, by a
 * Cholesky factorisation (LAPACK dpotrf/dpotrs) of K + λ_ridge I, computed once and reused for
 * every right-hand side (the training and influence jobs solve against it many times).
 */
public final class KernelRidge {
  private final int n;
  /** The Cholesky factor of K + λI, row-major upper = column-major lower ("L"). */
  private final double[] factor;
  private final double lambda;

  private KernelRidge(int n, double[] factor, double lambda) {
    this.n = n;
    this.factor = factor;
    this.lambda = lambda;
  }

  /**
   * Factorises K + λ I.
   *
   * @throws ArithmeticException when K + λI is not positive definite (a kernel with a negative
   *     eigenvalue below −λ): the message says which pivot failed
   */
  public static KernelRidge factor(Matrix k, double lambda) {
    if (k.rows() != k.cols()) {
      throw new IllegalArgumentException("kernel is not square: " + k);
    }
    int n = k.rows();
    double[] a = k.data().clone();
    for (int i = 0; i < n; i++) {
      a[i * n + i] += lambda;
    }
    intW info = new intW(0);
    Blas.lapack().dpotrf("L", n, a, Math.max(1, n), info);
    if (info.val != 0) {
      throw new ArithmeticException(
          info.val > 0
              ? "K + lambda I is not positive definite (leading minor " + info.val + " of " + n
                  + "); raise --lambda (now " + lambda + ")"
              : "dpotrf: illegal argument " + (-info.val));
    }
    return new KernelRidge(n, a, lambda);
  }

  public double lambda() {
    return lambda;
  }

  /** α = (K + λI)^{-1} Y for Y (n×c); Y is not modified. */
  public Matrix solve(Matrix y) {
    if (y.rows() != n) {
      throw new IllegalArgumentException("right-hand side has " + y.rows() + " rows, kernel " + n);
    }
    int c = y.cols();
    // Column-major solve of c right-hand sides: transpose Y (n×c row-major) into an n×c
    // column-major array, which is Yᵀ read row-major.
    double[] b = y.transpose().data();
    intW info = new intW(0);
    Blas.lapack().dpotrs("L", n, c, factor, Math.max(1, n), b, Math.max(1, n), info);
    if (info.val != 0) {
      throw new ArithmeticException("dpotrs: illegal argument " + (-info.val));
    }
    return new Matrix(c, n, b).transpose();
  }

  /** f_K(X*) = K(X*, X) α for the cross kernel K(X*, X) (n*×n) and α from {@link #solve}. */
  public static Matrix predict(Matrix crossKernel, Matrix alpha) {
    return Blas.multiply(crossKernel, alpha);
  }
}
