package org.ntkstudy.math;

/**
 * Linearized attention of SCIENCE §1: W_Q = W_K = W_V = I, the score x·x' used directly, no
 * softmax, transductive over the training set. A point x attends as a(x) = C x with C = XᵀX, and
 * its attended feature is x̃ = Cx / |Cx|.
 */
public final class Attention {
  private Attention() {}

  /**
   * The attended features of the rows of {@code x}: rows of X C, each scaled to unit ℓ2 norm
   * (C symmetric, so row i of XC is (C x_i)ᵀ). Training rows and test rows use the same C, the
   * training set's.
   *
   * @param firstRow index of x's first row in its split, for the error message
   * @throws ArithmeticException when some Cx is zero (x orthogonal to every training input)
   */
  public static Matrix attend(Matrix x, Matrix c, int firstRow) {
    if (c.rows() != c.cols() || c.rows() != x.cols()) {
      throw new IllegalArgumentException("C is " + c + " but inputs are " + x);
    }
    Matrix out = Blas.multiply(x, c);
    normalizeRows(out, firstRow);
    return out;
  }

  /** Scales every row to unit ℓ2 norm in place. */
  static void normalizeRows(Matrix m, int firstRow) {
    double[] a = m.data();
    int d = m.cols();
    for (int i = 0; i < m.rows(); i++) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        double v = a[i * d + j];
        s += v * v;
      }
      if (!(s > 0) || Double.isInfinite(s)) {
        throw new ArithmeticException(
            "attended feature of row " + (firstRow + i) + " is zero or not finite: C x = 0,"
                + " the input is orthogonal to every training input");
      }
      double inv = 1.0 / Math.sqrt(s);
      for (int j = 0; j < d; j++) {
        a[i * d + j] *= inv;
      }
    }
  }
}
