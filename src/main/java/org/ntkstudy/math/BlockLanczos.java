package org.ntkstudy.math;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The top-k eigenvalues of a symmetric operator that can only be applied, never held (a kernel
 * stored as blocks on disk): block Lanczos with full reorthogonalisation and Rayleigh–Ritz. Each
 * step is one application of the operator to an n×p block (one pass over the blocks), so a block
 * size p ≈ 2k converges in a few passes. Because every K·Q is kept, the residual ‖K y − θ y‖ of
 * each Ritz pair is exact without another pass.
 */
public final class BlockLanczos {
  /** An n×n symmetric operator: V (n×p) ↦ K V. */
  @FunctionalInterface
  public interface Operator {
    Matrix apply(Matrix v);
  }

  /**
   * The result.
   *
   * @param values the top-k Ritz values, descending
   * @param residuals ‖K y_i − θ_i y_i‖ for each (unit) Ritz vector y_i
   * @param passes applications of the operator
   * @param converged every residual ≤ tol · |θ_1|
   */
  public record Result(double[] values, double[] residuals, int passes, boolean converged) {}

  private BlockLanczos() {}

  /**
   * @param n the operator's size
   * @param k eigenvalues wanted
   * @param p block size (≥ k)
   * @param maxPasses the most operator applications
   * @param tol relative residual at which a Ritz value counts as converged
   */
  public static Result topK(Operator op, int n, int k, int p, int maxPasses, double tol, long seed) {
    if (k < 1 || p < k || k > n) {
      throw new IllegalArgumentException("need 1 <= k <= p and k <= n; got k=" + k + ", p=" + p + ", n=" + n);
    }
    p = Math.min(p, n);
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix q = new Matrix(n, p);
    for (int i = 0; i < q.data().length; i++) {
      q.data()[i] = rnd.nextDouble() - 0.5;
    }
    List<Matrix> basis = new ArrayList<>();
    List<Matrix> products = new ArrayList<>();
    q = orthonormalize(q, basis);
    double[] values = null;
    double[] residuals = null;
    int passes = 0;
    while (passes < maxPasses && q.cols() > 0) {
      Matrix kq = op.apply(q);
      passes++;
      basis.add(q);
      products.add(kq);
      Matrix qAll = concat(basis);
      Matrix kqAll = concat(products);
      Matrix t = Blas.multiplyTransposeLeft(qAll, kqAll);
      Blas.symmetrize(t);
      SymmetricEigen.Decomposition e = SymmetricEigen.decompose(t);
      int kk = Math.min(k, t.rows());
      values = new double[kk];
      residuals = new double[kk];
      Matrix s = new Matrix(t.rows(), kk);
      for (int i = 0; i < t.rows(); i++) {
        for (int j = 0; j < kk; j++) {
          s.set(i, j, e.vectors().get(i, j));
        }
      }
      Matrix y = Blas.multiply(qAll, s);
      Matrix ky = Blas.multiply(kqAll, s);
      boolean done = kk == k;
      for (int j = 0; j < kk; j++) {
        values[j] = e.values()[j];
        double r = 0;
        for (int i = 0; i < n; i++) {
          double v = ky.get(i, j) - values[j] * y.get(i, j);
          r += v * v;
        }
        residuals[j] = Math.sqrt(r);
        done &= residuals[j] <= tol * Math.abs(e.values()[0]);
      }
      if (done || qAll.cols() >= n) {
        return new Result(values, residuals, passes, done || qAll.cols() >= n);
      }
      q = orthonormalize(kq.copy(), basis);
    }
    return new Result(values, residuals, passes, false);
  }

  /**
   * Orthonormalises the columns of {@code w} against every block of {@code basis} (block
   * Gram–Schmidt by GEMMs, twice: "twice is enough") and then among themselves (modified
   * Gram–Schmidt, twice), dropping columns that vanish.
   */
  static Matrix orthonormalize(Matrix w, List<Matrix> basis) {
    Matrix x = w.copy();
    for (int pass = 0; pass < 2; pass++) {
      for (Matrix b : basis) {
        Matrix proj = Blas.multiply(b, Blas.multiplyTransposeLeft(b, x));
        double[] xa = x.data();
        double[] pa = proj.data();
        for (int i = 0; i < xa.length; i++) {
          xa[i] -= pa[i];
        }
      }
    }
    // Columns as contiguous rows of the transpose.
    Matrix t = x.transpose();
    int n = t.cols();
    double[] a = t.data();
    List<Integer> kept = new ArrayList<>();
    for (int j = 0; j < t.rows(); j++) {
      int oj = j * n;
      double norm0 = norm(a, oj, n);
      for (int pass = 0; pass < 2; pass++) {
        for (int o : kept) {
          int oo = o * n;
          double dot = 0;
          for (int i = 0; i < n; i++) {
            dot += a[oo + i] * a[oj + i];
          }
          for (int i = 0; i < n; i++) {
            a[oj + i] -= dot * a[oo + i];
          }
        }
      }
      double norm = norm(a, oj, n);
      if (norm > 1e-10 * Math.max(norm0, Double.MIN_NORMAL) && norm > 0) {
        for (int i = 0; i < n; i++) {
          a[oj + i] /= norm;
        }
        kept.add(j);
      }
    }
    Matrix out = new Matrix(kept.size(), n);
    for (int r = 0; r < kept.size(); r++) {
      System.arraycopy(a, kept.get(r) * n, out.data(), r * n, n);
    }
    return out.transpose();
  }

  private static double norm(double[] a, int offset, int len) {
    double s = 0;
    for (int i = offset; i < offset + len; i++) {
      s += a[i] * a[i];
    }
    return Math.sqrt(s);
  }

  private static Matrix concat(List<Matrix> blocks) {
    int n = blocks.get(0).rows();
    int cols = 0;
    for (Matrix b : blocks) {
      cols += b.cols();
    }
    Matrix out = new Matrix(n, cols);
    int c0 = 0;
    for (Matrix b : blocks) {
      for (int i = 0; i < n; i++) {
        System.arraycopy(b.data(), i * b.cols(), out.data(), i * cols + c0, b.cols());
      }
      c0 += b.cols();
    }
    return out;
  }
}
