package org.ntkstudy.math;

/**
 * The per-cell metrics of the width sweep (SCIENCE §3): how far one empirical NTK Θ_m is from H∞,
 * in the norms §3 defines, against a {@link Reference} computed once per model.
 */
public final class SweepMetrics {
  private SweepMetrics() {}

  /**
   * What every cell of a model compares against: H∞ on train×train and test×train, its norms,
   * W = (H∞ + λI)^{-1/2} and the kernel-ridge prediction f_{H∞} on the test set.
   */
  public static final class Reference implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final Matrix h;
    final Matrix whiten;
    final double normF;
    final double norm2;
    final Matrix fH;
    final double normFH;
    final Matrix targets;
    final double lambda;
    final double[] eigenvalues;

    private Reference(Matrix h, Matrix whiten, double normF, double norm2, Matrix fH, Matrix targets,
        double lambda, double[] eigenvalues) {
      this.h = h;
      this.whiten = whiten;
      this.normF = normF;
      this.norm2 = norm2;
      this.fH = fH;
      this.normFH = frobenius(fH);
      this.targets = targets;
      this.lambda = lambda;
      this.eigenvalues = eigenvalues;
    }

    /**
     * @param h H∞(X, X) (n×n)
     * @param hTest H∞(X*, X) (n*×n)
     * @param targets Y (n×c)
     */
    public static Reference of(Matrix h, Matrix hTest, Matrix targets, double lambda) {
      SymmetricEigen.Decomposition e = SymmetricEigen.decompose(h);
      int n = h.rows();
      // (H + λI)^{-1/2} = Q diag((λ_i + λ)^{-1/2}) Qᵀ; a λ_i + λ ≤ 0 would make W undefined.
      Matrix qs = e.vectors().copy();
      for (int k = 0; k < n; k++) {
        double v = e.values()[k] + lambda;
        if (!(v > 0)) {
          throw new ArithmeticException("H_inf + lambda I is not positive definite (eigenvalue " + e.values()[k]
              + "); raise --lambda");
        }
        double s = 1.0 / Math.sqrt(v);
        for (int i = 0; i < n; i++) {
          qs.set(i, k, qs.get(i, k) * s);
        }
      }
      Matrix whiten = Blas.multiplyTransposed(qs, e.vectors());
      Blas.symmetrize(whiten);
      Matrix fH = KernelRidge.predict(hTest, KernelRidge.factor(h, lambda).solve(targets));
      double norm2 = Math.max(Math.abs(e.values()[0]), Math.abs(e.values()[n - 1]));
      return new Reference(h, whiten, frobenius(h), norm2, fH, targets, lambda, e.values());
    }

    /** H∞'s eigenvalues, descending. */
    public double[] eigenvalues() {
      return eigenvalues;
    }
  }

  /**
   * One cell's figures.
   *
   * @param eigenvalues Θ_m's eigenvalues, descending
   * @param kappa λ1/λn, NaN when λn ≤ 0 (no condition number)
   */
  public record Cell(double[] eigenvalues, double lambdaMax, double lambdaMin, double kappa,
      double eF, double eOp, double eW, double ef) implements java.io.Serializable {}

  /**
   * The §3 metrics of Θ_m (train×train) and Θ_m(X*, X) against the reference: e_F, e_op, e_W
   * and e_f (on the test set's kernel-ridge predictions; NaN with no test set).
   */
  public static Cell of(Matrix theta, Matrix thetaTest, Reference ref) {
    int n = theta.rows();
    double[] eig = SymmetricEigen.values(theta);
    Matrix diff = new Matrix(n, n);
    double[] dd = diff.data();
    double[] t = theta.data();
    double[] h = ref.h.data();
    for (int k = 0; k < dd.length; k++) {
      dd[k] = t[k] - h[k];
    }
    double eF = frobenius(diff) / ref.normF;
    double eOp = spectralNorm(diff) / ref.norm2;
    Matrix w = Blas.multiply(Blas.multiply(ref.whiten, diff), ref.whiten);
    Blas.symmetrize(w);
    double eW = spectralNorm(w);
    double ef = Double.NaN;
    if (thetaTest != null && thetaTest.rows() > 0 && ref.normFH > 0) {
      Matrix f = KernelRidge.predict(thetaTest, KernelRidge.factor(theta, ref.lambda).solve(ref.targets));
      double s = 0;
      for (int k = 0; k < f.data().length; k++) {
        double v = f.data()[k] - ref.fH.data()[k];
        s += v * v;
      }
      ef = Math.sqrt(s) / ref.normFH;
    }
    double lmin = eig[n - 1];
    return new Cell(eig, eig[0], lmin, lmin > 0 ? eig[0] / lmin : Double.NaN, eF, eOp, eW, ef);
  }

  /** ‖A‖₂ of a symmetric matrix: its largest |eigenvalue|. */
  static double spectralNorm(Matrix sym) {
    double[] e = SymmetricEigen.values(sym);
    return Math.max(Math.abs(e[0]), Math.abs(e[e.length - 1]));
  }

  static double frobenius(Matrix a) {
    double s = 0;
    for (double v : a.data()) {
      s += v * v;
    }
    return Math.sqrt(s);
  }
}
