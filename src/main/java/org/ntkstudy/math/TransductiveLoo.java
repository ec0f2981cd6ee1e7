package org.ntkstudy.math;

import java.io.Serializable;
import org.netlib.util.intW;

/**
 * Exact transductive leave-one-out for the {@code attn} model's kernel regression (SCIENCE §1, §2,
 * §5): removing training example i removes it from the ridge regression AND from the attention
 * context, so every other attended feature, hence the whole kernel, changes.
 *
 * <p>The model. Training rows X (n×d), test rows X* (n*×d), targets Y (n×c); C = XᵀX, and the
 * attended feature of a point z is x̃(z) = Cz / |Cz| (SCIENCE §1). The predictor is kernel ridge
 * on the attended features (SCIENCE §2), f(X*) = K(X̃*, X̃)(K(X̃, X̃) + λI)^{-1} Y, with K either
 * <ul>
 *   <li>H∞(x̃, x̃') = (x̃·x̃')(π − θ)/(2π), θ = arccos(clip(x̃·x̃', −1, 1)), θ = 0 exactly for the
 *       same example (SCIENCE §2; {@link NtkKernels#analyticNtk} semantics), or
 *   <li>the empirical NTK of a fixed first layer W (m×d), Θ(x̃, x̃') = (x̃·x̃')·(1/m)·#{r: w_r·x̃ > 0
 *       and w_r·x̃' > 0} (SCIENCE §2; {@link NtkKernels#empiricalNtkPacked} semantics).
 * </ul>
 * Without example i the context is C_{−i} = C − x_i x_iᵀ and f_{−i} is kernel ridge on the other
 * n − 1 examples with every train and test feature recomputed from C_{−i}; {@link
 * #outputChange(int)} is f(X*) − f_{−i}(X*) (SCIENCE §5's I_c(x_i, x_t), transductive).
 *
 * <p>The fast route (rank one). For every point z (train or test) let u_z = Cz; then
 * v_z = C_{−i} z = u_z − a_z x_i with a_z = z·x_i, and with b_z = u_z·x_i = zᵀC x_i, s = |x_i|²,
 * h_z = b_z − a_z s / 2:
 *
 * <pre>
 *   v_z·v_w = u_z·u_w − a_w b_z − a_z b_w + a_z a_w s = u_z·u_w − a_w h_z − a_z h_w
 *   |v_z|²  = |u_z|² − 2 a_z h_z
 *   x̃_z(−i)·x̃_w(−i) = v_z·v_w / (|v_z| |v_w|)
 * </pre>
 *
 * where u_z·u_w = zᵀC²w, a and b come from P C² Xᵀ, P Xᵀ and P C Xᵀ (P = [X; X*]), computed once
 * in {@link #prepare}. Per i the feature Gram costs O((n + n*)·n), the kernel map the same, the
 * Cholesky of the (n−1)×(n−1) system (n−1)³/3 flops (LAPACK dpotrf), the prediction O(n*·n·c).
 * For the empirical kernel the activation pattern of x̃_z(−i) is sign(W v_z) = sign(W u_z − a_z
 * W x_i) (the normalisation does not change a sign), from W U and W Xᵀ precomputed: O((n + n*)·m)
 * per i, then bit-packed popcounts as in {@link NtkKernels#empiricalNtkPacked}.
 *
 * <p>Accuracy. The formula for v_z·v_w subtracts O(|u|·|x_i|) corrections from O(|u|²) terms; the
 * absolute error of every term is about ε|u_z||u_w|, so the cosine carries a relative error about
 * ε|u_z||u_w| / (|v_z||v_w|), as does the direct route (C_{−i} is itself formed with errors
 * ε|C|). When some |v_z|² falls below {@link #MIN_RETAINED}·|u_z|² (removing x_i takes away nearly
 * all the attention of z, which does not happen on image data), that i is recomputed from scratch
 * ({@link #outputChangeNaive} semantics) instead, so no digits are silently lost. A neuron with
 * w_r·x̃ within round-off of 0 may take a different sign on the fast and the direct route; both
 * are then correct to round-off of the inputs.
 *
 * <p>Serializable (it is broadcast to Spark executors) and safe for concurrent {@link
 * #outputChange} calls: per-thread scratch buffers live in a transient {@link ThreadLocal}.
 */
public final class TransductiveLoo implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final double TWO_PI = 2 * Math.PI;

  /**
   * The smallest |v_z|² / |u_z|² (the share of z's squared attention left without example i) the
   * rank-one route accepts: below it the cancellation would cost more than 4 of 16 digits and the
   * example is recomputed from scratch.
   */
  public static final double MIN_RETAINED = 1e-4;

  private final int n;
  private final int nTest;
  private final int outputs;
  /** n + n*: points are indexed train first, then test. */
  private final int points;
  private final double lambda;
  /** Row z (of n + n*), column w (train): u_z·u_w = zᵀC²w; the train block exactly symmetric. */
  private final double[] s2;
  /** |u_z|² = zᵀC²z for every point z. */
  private final double[] uu;
  /** Row i (train), column z: a_z = x_i·z (the transpose of P Xᵀ, so that row i is contiguous). */
  private final double[] gT;
  /** Row i (train), column z: b_z = x_iᵀ C z (the transpose of P C Xᵀ). */
  private final double[] bT;
  /** Targets, row-major n×c. */
  private final double[] y;
  /** Empirical kernel only (else null): width m, W u_z (row z, (n+n*)×m), W x_i (row i, n×m). */
  private final int width;
  private final double[] wu;
  private final double[] wx;
  /** For the rare from-scratch fallback (and nothing else): the inputs themselves. */
  private final Matrix x;
  private final Matrix xTest;
  private final Matrix yMatrix;
  private final Matrix w;
  private final Matrix full;

  private transient volatile ThreadLocal<Scratch> scratch;

  private TransductiveLoo(Matrix x, Matrix xTest, Matrix y, double lambda, Matrix w) {
    this.n = x.rows();
    this.nTest = xTest.rows();
    this.outputs = y.cols();
    this.points = n + nTest;
    this.lambda = lambda;
    this.x = x;
    this.xTest = xTest;
    this.yMatrix = y;
    this.w = w;
    this.y = y.data();
    int d = x.cols();

    Matrix p = new Matrix(points, d);
    System.arraycopy(x.data(), 0, p.data(), 0, n * d);
    System.arraycopy(xTest.data(), 0, p.data(), n * d, nTest * d);
    Matrix c = new Matrix(d, d);
    Blas.addGramian(x, c.data());
    Blas.symmetrize(c);
    Matrix u = Blas.multiply(p, c); // row z: u_zᵀ = (C z)ᵀ
    Matrix uTrain = u.rowRange(0, n);

    Matrix s = Blas.multiplyTransposed(u, uTrain); // (n+n*)×n: u_z·u_w
    double[] sa = s.data();
    for (int j = 0; j < n; j++) {
      for (int k = j + 1; k < n; k++) {
        double v = 0.5 * (sa[j * n + k] + sa[k * n + j]);
        sa[j * n + k] = v;
        sa[k * n + j] = v;
      }
    }
    this.s2 = sa;
    this.uu = new double[points];
    double[] ua = u.data();
    for (int z = 0; z < points; z++) {
      double acc = 0;
      for (int k = 0; k < d; k++) {
        acc += ua[z * d + k] * ua[z * d + k];
      }
      uu[z] = z < n ? sa[z * n + z] : acc;
    }
    this.gT = Blas.multiplyTransposed(x, p).data(); // n×(n+n*): x_i·z
    this.bT = Blas.multiplyTransposed(x, u).data(); // n×(n+n*): x_i·Cz
    if (w != null) {
      this.width = w.rows();
      this.wu = Blas.multiplyTransposed(u, w).data(); // (n+n*)×m: w_r·u_z
      this.wx = Blas.multiplyTransposed(x, w).data(); // n×m: w_r·x_i
    } else {
      this.width = 0;
      this.wu = null;
      this.wx = null;
    }
    for (int z = 0; z < points; z++) {
      if (!(uu[z] > 0) || Double.isInfinite(uu[z])) {
        throw new ArithmeticException(
            "attended feature of " + (z < n ? "training row " + z : "test row " + (z - n))
                + " is zero or not finite: C x = 0, the input is orthogonal to every training input");
      }
    }
    Matrix f = predictWithout(-1, new Scratch(n, nTest, points, outputs, width));
    if (f == null) {
      throw new IllegalStateException("unreachable: the full context retains every attention");
    }
    this.full = f;
  }

  /**
   * Precomputes everything the per-example changes share.
   *
   * @param x training rows (n×d), the clean relu inputs (unit rows, SCIENCE §0), NOT attended
   * @param xTest test rows (n*×d), likewise
   * @param y targets (n×c): ±1 (binary) or one-hot (multiclass)
   * @param lambda λ_ridge
   * @param w null for the analytic H∞; else the first layer W (m×d) of the empirical NTK
   * @throws ArithmeticException when some attended feature is zero, or K + λI is not positive
   *     definite
   */
  public static TransductiveLoo prepare(Matrix x, Matrix xTest, Matrix y, double lambda, Matrix w) {
    validate(x, xTest, y, lambda, w);
    return new TransductiveLoo(x, xTest, y, lambda, w);
  }

  private static void validate(Matrix x, Matrix xTest, Matrix y, double lambda, Matrix w) {
    if (x.rows() < 2) {
      throw new IllegalArgumentException("need at least 2 training rows, got " + x.rows());
    }
    if (xTest.cols() != x.cols()) {
      throw new IllegalArgumentException("test rows " + xTest + " vs training rows " + x);
    }
    if (y.rows() != x.rows()) {
      throw new IllegalArgumentException("targets " + y + " for " + x.rows() + " training rows");
    }
    if (w != null && w.cols() != x.cols()) {
      throw new IllegalArgumentException("first layer " + w + " for inputs of dimension " + x.cols());
    }
    if (!(lambda >= 0)) {
      throw new IllegalArgumentException("lambda must be >= 0, got " + lambda);
    }
  }

  /** The number of training examples. */
  public int n() {
    return n;
  }

  /** The number of test points n*. */
  public int nTest() {
    return nTest;
  }

  /** The number of outputs c. */
  public int outputs() {
    return outputs;
  }

  /** True for the analytic H∞, false for the empirical NTK of a fixed W. */
  public boolean analytic() {
    return width == 0;
  }

  /** f(X*) with the full context and all n examples (n*×c); a copy. */
  public Matrix fullPrediction() {
    return full.copy();
  }

  /**
   * f(X*) − f_{−i}(X*) (n*×c), exact: example i removed from the regression and from the attention
   * context (SCIENCE §5, transductive). Safe to call from several threads at once.
   */
  public Matrix outputChange(int i) {
    if (i < 0 || i >= n) {
      throw new IndexOutOfBoundsException("training example " + i + " of " + n);
    }
    Matrix minus = predictWithout(i, scratch().get());
    if (minus == null) {
      // Removing x_i takes nearly all the attention of some point: recompute from scratch.
      minus = naivePrediction(x, xTest, yMatrix, lambda, w, i);
    }
    double[] a = minus.data();
    double[] fa = full.data();
    for (int k = 0; k < a.length; k++) {
      a[k] = fa[k] - a[k];
    }
    return minus;
  }

  /**
   * The same as {@link #outputChange} by recomputing everything from scratch without i: C_{−i} =
   * X_{−i}ᵀX_{−i}, every x̃ ({@link Attention#attend}), the kernel ({@link NtkKernels}), the solve
   * ({@link KernelRidge}); and f likewise with all n. Slow; for tests and checks.
   */
  public static Matrix outputChangeNaive(Matrix x, Matrix xTest, Matrix y, double lambda, Matrix w, int i) {
    validate(x, xTest, y, lambda, w);
    if (i < 0 || i >= x.rows()) {
      throw new IndexOutOfBoundsException("training example " + i + " of " + x.rows());
    }
    Matrix f = naivePrediction(x, xTest, y, lambda, w, -1);
    Matrix minus = naivePrediction(x, xTest, y, lambda, w, i);
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
  static Matrix naivePrediction(Matrix x, Matrix xTest, Matrix y, double lambda, Matrix w, int removed) {
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

  /** Per-thread work arrays, sized for the n − 1 system (and the full n one in prepare). */
  private static final class Scratch {
    final double[] kernel; // nn×nn, row-major upper = column-major lower
    final double[] cross; // n*×nn
    final double[] rhs; // c×nn: column-major nn×c
    final double[] a; // a_z, per point
    final double[] h; // h_z
    final double[] inv; // 1/|v_z|
    final int[] index; // compact position of each training example (−1 for the removed one)
    final long[] bits; // packed activation patterns, per point
    final int[] popDiag; // popcount of each point's pattern

    Scratch(int nn, int nTest, int points, int outputs, int width) {
      kernel = new double[nn * nn];
      cross = new double[nTest * nn];
      rhs = new double[outputs * nn];
      a = new double[points];
      h = new double[points];
      inv = new double[points];
      index = new int[points];
      int words = (width + 63) >>> 6;
      bits = width > 0 ? new long[points * words] : null;
      popDiag = width > 0 ? new int[points] : null;
    }
  }

  private ThreadLocal<Scratch> scratch() {
    ThreadLocal<Scratch> s = scratch;
    if (s == null) {
      synchronized (this) {
        s = scratch;
        if (s == null) {
          s = ThreadLocal.withInitial(() -> new Scratch(n - 1, nTest, points, outputs, width));
          scratch = s;
        }
      }
    }
    return s;
  }

  /**
   * f_{−removed}(X*) by the rank-one route (removed = −1: the full f), or null when some point
   * keeps less than {@link #MIN_RETAINED} of its squared attention without x_removed.
   */
  private Matrix predictWithout(int removed, Scratch sc) {
    final int nn = removed < 0 ? n : n - 1;
    final int nTot = points;
    double[] a = sc.a;
    double[] h = sc.h;
    double[] inv = sc.inv;
    int[] index = sc.index;

    // Per point: a_z = z·x_i, h_z = b_z − a_z s/2, |v_z|² = |u_z|² − 2 a_z h_z (SCIENCE §1: x̃ = Cz/|Cz|
    // with C → C_{−i}).
    if (removed < 0) {
      for (int z = 0; z < nTot; z++) {
        a[z] = 0;
        h[z] = 0;
        inv[z] = 1.0 / Math.sqrt(uu[z]);
      }
    } else {
      int row = removed * nTot;
      double sHalf = 0.5 * gT[row + removed];
      for (int z = 0; z < nTot; z++) {
        double az = gT[row + z];
        double hz = bT[row + z] - az * sHalf;
        double vv = uu[z] - 2 * az * hz;
        if (z != removed && !(vv > MIN_RETAINED * uu[z])) {
          return null;
        }
        a[z] = az;
        h[z] = hz;
        inv[z] = z == removed ? 0.0 : 1.0 / Math.sqrt(vv);
      }
    }
    for (int j = 0, k = 0; j < n; j++) {
      index[j] = j == removed ? -1 : k++;
    }

    // Activation patterns for the empirical kernel: sign(W v_z) = sign(W u_z − a_z W x_i).
    int words = (width + 63) >>> 6;
    long[] bits = sc.bits;
    int[] popDiag = sc.popDiag;
    if (width > 0) {
      int m = width;
      int wxRow = removed < 0 ? -1 : removed * m;
      for (int z = 0; z < nTot; z++) {
        int base = z * words;
        for (int q = 0; q < words; q++) {
          bits[base + q] = 0L;
        }
        if (z == removed) {
          continue;
        }
        int off = z * m;
        double az = a[z];
        int count = 0;
        if (removed < 0) {
          for (int r = 0; r < m; r++) {
            if (wu[off + r] > 0) {
              bits[base + (r >>> 6)] |= 1L << (r & 63);
              count++;
            }
          }
        } else {
          for (int r = 0; r < m; r++) {
            if (wu[off + r] - az * wx[wxRow + r] > 0) {
              bits[base + (r >>> 6)] |= 1L << (r & 63);
              count++;
            }
          }
        }
        popDiag[z] = count;
      }
    }

    // The training kernel K_{−i} + λI, only the row-major upper triangle (column-major lower).
    double[] kernel = sc.kernel;
    double invM = width > 0 ? 1.0 / width : 0.0;
    for (int j = 0; j < n; j++) {
      int jj = index[j];
      if (jj < 0) {
        continue;
      }
      int kRow = jj * nn;
      // x̃_j·x̃_j = 1 exactly (θ = 0 for the same example): H∞_jj = 1/2, Θ_jj = #active/m.
      kernel[kRow + jj] = (width > 0 ? popDiag[j] * invM : 0.5) + lambda;
      int sRow = j * n;
      double aj = a[j];
      double hj = h[j];
      double ij = inv[j];
      if (width == 0) {
        for (int k = j + 1; k < n; k++) {
          int kk = index[k];
          if (kk < 0) {
            continue;
          }
          double cos = (s2[sRow + k] - a[k] * hj - aj * h[k]) * ij * inv[k];
          kernel[kRow + kk] = analytic(cos);
        }
      } else {
        int bj = j * words;
        for (int k = j + 1; k < n; k++) {
          int kk = index[k];
          if (kk < 0) {
            continue;
          }
          double cos = (s2[sRow + k] - a[k] * hj - aj * h[k]) * ij * inv[k];
          int bk = k * words;
          int count = 0;
          for (int q = 0; q < words; q++) {
            count += Long.bitCount(bits[bj + q] & bits[bk + q]);
          }
          kernel[kRow + kk] = cos * count * invM;
        }
      }
    }

    // The cross kernel K(X̃*_{−i}, X̃_{−i}) (n*×nn, row-major).
    double[] cross = sc.cross;
    for (int t = 0; t < nTest; t++) {
      int z = n + t;
      int sRow = z * n;
      int cRow = t * nn;
      double az = a[z];
      double hz = h[z];
      double iz = inv[z];
      if (width == 0) {
        for (int k = 0; k < n; k++) {
          int kk = index[k];
          if (kk < 0) {
            continue;
          }
          double cos = (s2[sRow + k] - a[k] * hz - az * h[k]) * iz * inv[k];
          cross[cRow + kk] = analytic(cos);
        }
      } else {
        int bz = z * words;
        for (int k = 0; k < n; k++) {
          int kk = index[k];
          if (kk < 0) {
            continue;
          }
          double cos = (s2[sRow + k] - a[k] * hz - az * h[k]) * iz * inv[k];
          int bk = k * words;
          int count = 0;
          for (int q = 0; q < words; q++) {
            count += Long.bitCount(bits[bz + q] & bits[bk + q]);
          }
          cross[cRow + kk] = cos * count * invM;
        }
      }
    }

    // α = (K_{−i} + λI)^{-1} Y_{−i} by Cholesky (SCIENCE §2's kernel ridge), then f = K* α.
    intW info = new intW(0);
    Blas.lapack().dpotrf("L", nn, kernel, Math.max(1, nn), info);
    if (info.val != 0) {
      throw new ArithmeticException(
          info.val > 0
              ? "K + lambda I is not positive definite (leading minor " + info.val + " of " + nn
                  + (removed >= 0 ? ", without training example " + removed : "")
                  + "); raise --lambda (now " + lambda + ")"
              : "dpotrf: illegal argument " + (-info.val));
    }
    double[] rhs = sc.rhs;
    int c = outputs;
    for (int j = 0; j < n; j++) {
      int jj = index[j];
      if (jj < 0) {
        continue;
      }
      for (int q = 0; q < c; q++) {
        rhs[q * nn + jj] = y[j * c + q];
      }
    }
    Blas.lapack().dpotrs("L", nn, c, kernel, Math.max(1, nn), rhs, Math.max(1, nn), info);
    if (info.val != 0) {
      throw new ArithmeticException("dpotrs: illegal argument " + (-info.val));
    }
    // rhs read row-major is αᵀ (c×nn): f = K* (αᵀ)ᵀ.
    Matrix f = new Matrix(nTest, c);
    Blas.gemmNT(cross, 0, nTest, rhs, 0, c, nn, f.data(), 0.0);
    return f;
  }

  /** H∞ on unit vectors with cosine u (SCIENCE §2): u (π − θ)/(2π), θ = arccos(clip(u, −1, 1)). */
  private static double analytic(double u) {
    return u * (Math.PI - NtkKernels.arccos(u)) / TWO_PI;
  }
}
