package org.ntkstudy.math;

/**
 * The attn transductive leave-one-out of SCIENCE §5 computed the slow, direct way: without example
 * i, the context C, every attended x̃, the kernel and the kernel-ridge solve are all recomputed from
 * scratch. The reference {@link TransductiveLoo}'s rank-one updates are checked against, and its
 * fallback when an update would lose too many digits.
 */
public final class TransductiveLooReference {
  private TransductiveLooReference() {}

  /**
   * The same as {@link TransductiveLoo#outputChange} by recomputing everything from scratch without i: C_{−i} =
   * X_{−i}ᵀX_{−i}, every x̃ ({@link Attention#attend}), the kernel ({@link NtkKernels}), the solve
   * ({@link KernelRidge}); and f likewise with all n. Slow; for tests and checks.
   */
  public static Matrix outputChange(Matrix x, Matrix xTest, Matrix y, double lambda, Matrix w, int i) {
    TransductiveLoo.validate(x, xTest, y, lambda, w);
    if (i < 0 || i >= x.rows()) {
      throw new IndexOutOfBoundsException("training example " + i + " of " + x.rows());
    }
    Matrix f = prediction(x, xTest, y, lambda, w, -1);
    Matrix minus = prediction(x, xTest, y, lambda, w, i);
    double[] a = minus.data();
    double[] fa = f.data();
    for (int k = 0; k < a.length; k++) {
      a[k] = fa[k] - a[k];
    }
    return minus;
  }

  /**
   * f(X*) of the attn kernel regression with training example {@code removed} left out of both
   * the context and the regression (−1: none), computed directly: the reference route.
   */
  public static Matrix prediction(Matrix x, Matrix xTest, Matrix y, double lambda, Matrix w, int removed) {
    int n = x.rows();
    Matrix xr = x;
    Matrix yr = y;
    if (removed >= 0) {
      int[] keep = new int[n - 1];
      for (int j = 0, k = 0; j < n; j++) {
        if (j != removed) {
          keep[k++] = j;
        }
      }
      xr = x.selectRows(keep);
      yr = y.selectRows(keep);
    }
    Matrix c = new Matrix(x.cols(), x.cols());
    Blas.addGramian(xr, c.data());
    Blas.symmetrize(c);
    Matrix xt = Attention.attend(xr, c, 0);
    Matrix xs = Attention.attend(xTest, c, 0);
    Matrix k;
    Matrix ks;
    if (w == null) {
      k = NtkKernels.analyticNtk(xt, xt, true);
      ks = NtkKernels.analyticNtk(xs, xt, false);
    } else {
      long[] pt = NtkKernels.packedPattern(xt, w);
      long[] ps = NtkKernels.packedPattern(xs, w);
      k = NtkKernels.empiricalNtkPacked(xt, pt, xt, pt, w.rows(), true);
      ks = NtkKernels.empiricalNtkPacked(xs, ps, xt, pt, w.rows(), false);
    }
    Matrix alpha = KernelRidge.factor(k, lambda).solve(yr);
    return KernelRidge.predict(ks, alpha);
  }

}
