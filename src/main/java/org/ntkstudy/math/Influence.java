package org.ntkstudy.math;

import java.io.Serializable;
import java.util.Locale;
import org.netlib.util.intW;

/**
 * The closed-form NTK leave-one-out influence of SCIENCE §5 (kernel ridge, no retraining):
 *
 * <pre>
 *   B = (K + λ_ridge I)^{-1},  α = B Y
 *   I_c(x_i, x_t) = f_c(x_t) − f_{c,−i}(x_t) = (α_{i,c} / B_ii) · (K(X*, X) B)_{t,i}
 * </pre>
 *
 * <p>α_{i,c} / B_ii is also the leave-one-out residual y_{i,c} − f_{c,−i}(x_i). One factorisation
 * (Cholesky, LAPACK dpotrf, then dpotri for B) serves every training example; the n columns of
 * K(X*, X) B are then independent, so {@link #block} computes any range of them — a Spark task's
 * share — from B's rows for that range.
 */
public final class Influence implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What an influence measures (SCIENCE §5, {@code --influence-target}). */
  public enum Target {
    /**
     * y_t · I for binary; the true class's output I_{c_t} for multiclass: positive means example i
     * helps test point t.
     */
    MARGIN,
    /**
     * The raw output I for binary; for multiclass the output of the class the full kernel model
     * predicts for x_t (choice: the raw output of one class, never a sum over classes).
     */
    OUTPUT;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Target parse(String s) {
      for (Target t : values()) {
        if (t.key().equals(s.trim().toLowerCase(Locale.ROOT))) {
          return t;
        }
      }
      throw new IllegalArgumentException("influence target '" + s + "': expected margin or output");
    }
  }

  /**
   * Which output and which sign each test point's influence takes: I(x_i, x_t) = scale_t ·
   * I_{cls_t}(x_i, x_t).
   */
  public record TargetSpec(int[] cls, double[] scale) implements Serializable {
    public int size() {
      return cls.length;
    }

    /**
     * The spec for {@code target} with test targets Y* (n*×C: ±1 for one output, one-hot for
     * several) and the full model's test outputs f(X*) (needed for multiclass {@code output}).
     */
    public static TargetSpec of(Target target, Matrix yTest, Matrix fTest) {
      int nt = yTest.rows();
      int c = yTest.cols();
      int[] cls = new int[nt];
      double[] scale = new double[nt];
      for (int t = 0; t < nt; t++) {
        if (c == 1) {
          cls[t] = 0;
          scale[t] = target == Target.MARGIN ? yTest.get(t, 0) : 1.0;
        } else {
          Matrix src = target == Target.MARGIN ? yTest : fTest;
          int best = 0;
          for (int j = 1; j < c; j++) {
            if (src.get(t, j) > src.get(t, best)) {
              best = j;
            }
          }
          cls[t] = best;
          scale[t] = 1.0;
        }
      }
      return new TargetSpec(cls, scale);
    }
  }

  private final int n;
  /** B = (K + λI)^{-1}, full (both triangles), row-major. */
  private final Matrix inverse;
  private final Matrix alpha;
  private final double lambda;

  private Influence(Matrix inverse, Matrix alpha, double lambda) {
    this.n = inverse.rows();
    this.inverse = inverse;
    this.alpha = alpha;
    this.lambda = lambda;
  }

  /**
   * Factorises K + λI once (Cholesky) and forms B and α = BY.
   *
   * @throws ArithmeticException when K + λI is not positive definite (the message names the pivot
   *     and suggests a larger {@code --lambda})
   */
  public static Influence of(Matrix k, Matrix y, double lambda) {
    return factor(k, k.data().clone(), y, lambda);
  }

  /**
   * As {@link #of}, but factorises in {@code k}'s own array, which ends up holding B: no second
   * n×n copy (at n = 40,000 that is 12.8 GB). {@code k} must not be used afterwards.
   */
  public static Influence ofInPlace(Matrix k, Matrix y, double lambda) {
    return factor(k, k.data(), y, lambda);
  }

  private static Influence factor(Matrix k, double[] a, Matrix y, double lambda) {
    if (k.rows() != k.cols()) {
      throw new IllegalArgumentException("kernel is not square: " + k);
    }
    if (y.rows() != k.rows()) {
      throw new IllegalArgumentException("targets have " + y.rows() + " rows, kernel " + k.rows());
    }
    int n = k.rows();
    for (int i = 0; i < n; i++) {
      a[i * n + i] += lambda;
    }
    intW info = new intW(0);
    int ld = Math.max(1, n);
    Blas.lapack().dpotrf("L", n, a, ld, info);
    if (info.val != 0) {
      throw new ArithmeticException(info.val > 0
          ? "K + lambda I is not positive definite (leading minor " + info.val + " of " + n + "); raise --lambda (now "
              + lambda + ")"
          : "dpotrf: illegal argument " + (-info.val));
    }
    Blas.lapack().dpotri("L", n, a, ld, info);
    if (info.val != 0) {
      throw new ArithmeticException("dpotri: K + lambda I is singular at " + info.val);
    }
    // dpotri filled the column-major lower triangle = the row-major upper one; mirror it in tiles
    // (a plain strided transpose of a 4000² matrix costs more than a tenth of the factorisation).
    final int tile = 64;
    for (int i0 = 0; i0 < n; i0 += tile) {
      int i1 = Math.min(n, i0 + tile);
      for (int j0 = i0; j0 < n; j0 += tile) {
        int j1 = Math.min(n, j0 + tile);
        for (int i = i0; i < i1; i++) {
          for (int j = Math.max(j0, i + 1); j < j1; j++) {
            a[j * n + i] = a[i * n + j];
          }
        }
      }
    }
    Matrix b = new Matrix(n, n, a);
    return new Influence(b, Blas.multiply(b, y), lambda);
  }

  public int n() {
    return n;
  }

  public double lambda() {
    return lambda;
  }

  /** B = (K + λI)^{-1} (n×n, symmetric). */
  public Matrix inverse() {
    return inverse;
  }

  /** α = B Y (n×C). */
  public Matrix alpha() {
    return alpha;
  }

  /** The leave-one-out residuals α_{i,c} / B_ii = y_{i,c} − f_{c,−i}(x_i) (n×C). */
  public Matrix looResiduals() {
    Matrix r = new Matrix(n, alpha.cols());
    for (int i = 0; i < n; i++) {
      double bii = inverse.get(i, i);
      for (int c = 0; c < alpha.cols(); c++) {
        r.set(i, c, alpha.get(i, c) / bii);
      }
    }
    return r;
  }

  /** The full model's test outputs f(X*) = K(X*, X) α. */
  public Matrix predict(Matrix kCross) {
    return Blas.multiply(kCross, alpha);
  }

  /** The n*×n influence matrix I[t, i] in one piece (for a driver-sized problem). */
  public Matrix matrix(Matrix kCross, TargetSpec spec) {
    return block(kCross, inverse, 0, looResiduals(), spec);
  }

  /**
   * Columns {@code from .. from + rows.rows()} of the influence matrix: I[t, i] = scale_t ·
   * r_{i, cls_t} · (K* B)_{t,i}, with {@code rows} = B's rows for those examples (B is symmetric,
   * so they are its columns) and r the LOO residuals. Returns n*×w.
   */
  public static Matrix block(Matrix kCross, Matrix rows, int from, Matrix residuals, TargetSpec spec) {
    if (rows.cols() != kCross.cols()) {
      throw new IllegalArgumentException("B rows have " + rows.cols() + " columns, K* " + kCross.cols());
    }
    return block(kCross, rows.data(), 0, rows.rows(), from, residuals, spec);
  }

  /**
   * The same for B's rows {@code from .. from + w} read in place from B's row-major array
   * {@code inverse} (rows of length K*'s column count) starting at {@code offset}: no copy.
   */
  public static Matrix block(Matrix kCross, double[] inverse, int offset, int w, int from, Matrix residuals,
      TargetSpec spec) {
    int nt = kCross.rows();
    if (spec.size() != nt) {
      throw new IllegalArgumentException("target spec for " + spec.size() + " test points, K* has " + nt);
    }
    Matrix g = new Matrix(nt, w);
    Blas.gemmNT(kCross.data(), 0, nt, inverse, offset, w, kCross.cols(), g.data(), 0.0); // K* B[:, J]
    double[] ga = g.data();
    for (int t = 0; t < nt; t++) {
      int c = spec.cls()[t];
      double s = spec.scale()[t];
      int off = t * w;
      for (int j = 0; j < w; j++) {
        ga[off + j] *= s * residuals.get(from + j, c);
      }
    }
    return g;
  }

  /** Per training example, the total influence I_i = Σ_t I[t, i] over the test set (SCIENCE §5). */
  public static double[] totals(Matrix influence) {
    double[] s = new double[influence.cols()];
    int w = influence.cols();
    double[] a = influence.data();
    for (int t = 0; t < influence.rows(); t++) {
      for (int j = 0; j < w; j++) {
        s[j] += a[t * w + j];
      }
    }
    return s;
  }

  /**
   * The definition, computed the slow way: n kernel-ridge refits, each without one example,
   * I[t, i] = scale_t (f_{cls_t}(x_t) − f_{cls_t, −i}(x_t)). For tests and the benchmark's record.
   */
  public static Matrix naiveRefits(Matrix k, Matrix kCross, Matrix y, double lambda, TargetSpec spec) {
    int n = k.rows();
    int nt = kCross.rows();
    Matrix full = KernelRidge.predict(kCross, KernelRidge.factor(k, lambda).solve(y));
    Matrix out = new Matrix(nt, n);
    int[] keep = new int[n - 1];
    for (int i = 0; i < n; i++) {
      for (int j = 0, q = 0; j < n; j++) {
        if (j != i) {
          keep[q++] = j;
        }
      }
      Matrix kk = new Matrix(n - 1, n - 1);
      for (int a = 0; a < n - 1; a++) {
        for (int b = 0; b < n - 1; b++) {
          kk.set(a, b, k.get(keep[a], keep[b]));
        }
      }
      Matrix kc = new Matrix(nt, n - 1);
      for (int t = 0; t < nt; t++) {
        for (int b = 0; b < n - 1; b++) {
          kc.set(t, b, kCross.get(t, keep[b]));
        }
      }
      Matrix f = KernelRidge.predict(kc, KernelRidge.factor(kk, lambda).solve(y.selectRows(keep)));
      for (int t = 0; t < nt; t++) {
        int c = spec.cls()[t];
        out.set(t, i, spec.scale()[t] * (full.get(t, c) - f.get(t, c)));
      }
    }
    return out;
  }

  /** Applies a target spec to output changes Δf (n*×C) of one removed example: a length-n* column. */
  public static double[] applyTarget(Matrix deltaF, TargetSpec spec) {
    double[] v = new double[deltaF.rows()];
    for (int t = 0; t < v.length; t++) {
      v[t] = spec.scale()[t] * deltaF.get(t, spec.cls()[t]);
    }
    return v;
  }
}
