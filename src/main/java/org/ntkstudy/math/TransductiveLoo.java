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
 * <p>Accuracy: the kernel is updated, not recomputed. On image data C is nearly rank one, the
 * attended features are nearly parallel (1 − cos ≈ 1e-5), and arccos there turns the round-off
 * of a cosine (1e-16) into 1e-14 of θ, which the ridge solve (λ = 1e-3) and the subtraction
 * f − f_{−i} (the change is about 1% of f) amplify to 1e-9 of the change: recomputing each cosine
 * and θ per i, as the direct route does, is only that accurate. Here instead the full-context
 * cosines c⁰ and angles θ⁰ are computed once, and per i only the increments, without
 * cancellation:
 *
 * <pre>
 *   ρ_z = |u_z| / |v_z| = (1 − t_z)^{−1/2},  t_z = 2 a_z h_z / |u_z|²,  q_z = ρ_z − 1 = t_z / (r_z (1 + r_z)),  r_z = √(1 − t_z)
 *   Δc = c⁰ (q_z + q_w + q_z q_w) − (a_w h_z + a_z h_w) / (|v_z| |v_w|)           (c = c⁰ + Δc exactly)
 *   sin Δθ = −Δc (c⁰ (c⁰ + c) / (s⁰ + s) + s⁰),  s = √((1 − c)(1 + c)) with 1 − c = (1 − c⁰) − Δc
 *   Δθ = asin(sin Δθ),   ΔK = (Δc (π − θ⁰) − c Δθ) / (2π),   K = K⁰ + ΔK
 * </pre>
 *
 * so the round-off of c⁰ and θ⁰ is the same in f and in every f_{−i} and drops out of the change.
 * Measured against a double-double reference on 60 all-positive images (TransductiveLooTest and
 * Fashion-MNIST): 5e-11 to 1.4e-10 of max|change| here, 3e-10 to 1.3e-9 for the direct route
 * ({@link TransductiveLooReference#outputChange}); what remains is mostly the round-off of the two Cholesky solves.
 * When some |v_z|² falls below {@link #MIN_RETAINED}
 * ·|u_z|² (removing x_i takes away nearly all the attention of z, which does not happen on image
 * data) that i is recomputed from scratch instead, so no digits are silently lost. A neuron with
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
  /**
   * Row z (of n + n*), column w (train): c⁰ = x̃_z·x̃_w = u_z·u_w / (|u_z| |u_w|) with the full
   * context; 1 on the training diagonal, the training block exactly symmetric.
   */
  private final double[] cos0;
  /** H∞ only (else null): θ⁰ = arccos c⁰, laid out like {@link #cos0}; 0 on the diagonal. */
  private final double[] theta0;
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
    this.uu = new double[points];
    double[] ua = u.data();
    for (int z = 0; z < points; z++) {
      double acc = 0;
      for (int k = 0; k < d; k++) {
        acc += ua[z * d + k] * ua[z * d + k];
      }
      uu[z] = z < n ? sa[z * n + z] : acc;
      if (!(uu[z] > 0) || Double.isInfinite(uu[z])) {
        throw new ArithmeticException(
            "attended feature of " + (z < n ? "training row " + z : "test row " + (z - n))
                + " is zero or not finite: C x = 0, the input is orthogonal to every training input");
      }
    }
    double[] nu = new double[points];
    for (int z = 0; z < points; z++) {
      nu[z] = Math.sqrt(uu[z]);
    }
    for (int z = 0; z < points; z++) {
      for (int k = 0; k < n; k++) {
        sa[z * n + k] = sa[z * n + k] / nu[z] / nu[k];
      }
    }
    for (int j = 0; j < n; j++) {
      sa[j * n + j] = 1.0;
      for (int k = j + 1; k < n; k++) {
        double v = 0.5 * (sa[j * n + k] + sa[k * n + j]);
        sa[j * n + k] = v;
        sa[k * n + j] = v;
      }
    }
    this.cos0 = sa;
    if (w == null) {
      double[] th = new double[sa.length];
      for (int q = 0; q < th.length; q++) {
        th[q] = acos(sa[q]);
      }
      for (int j = 0; j < n; j++) {
        th[j * n + j] = 0.0; // the same example
      }
      this.theta0 = th;
    } else {
      this.theta0 = null;
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

  static void validate(Matrix x, Matrix xTest, Matrix y, double lambda, Matrix w) {
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
  public boolean isAnalytic() {
    return width == 0;
  }

  /** f(X*) with the full context and all n examples (n*×c); a copy. */
  public Matrix fullPrediction() {
    return full.copy();
  }

  /**
   * f(X*) − f_{−i}(X*) (n*×c), exact: example i removed from the regression and from the attention
   * context (SCIENCE §5, transductive). Safe to call from several threads at once. In the rare case
   * that removing x_i takes nearly all the attention of some point ({@link #MIN_RETAINED}), f_{−i}
   * is recomputed from scratch, at the cost of {@link TransductiveLooReference#outputChange}.
   */
  public Matrix outputChange(int i) {
    if (i < 0 || i >= n) {
      throw new IndexOutOfBoundsException("training example " + i + " of " + n);
    }
    Matrix minus = predictWithout(i, scratch().get());
    if (minus == null) {
      // Removing x_i takes nearly all the attention of some point: recompute from scratch.
      minus = TransductiveLooReference.prediction(x, xTest, yMatrix, lambda, w, i);
    }
    double[] a = minus.data();
    double[] fa = full.data();
    for (int k = 0; k < a.length; k++) {
      a[k] = fa[k] - a[k];
    }
    return minus;
  }

  /** Per-thread work arrays, sized for the n − 1 system (and the full n one in prepare). */
  private static final class Scratch {
    final double[] kernel; // nn×nn, row-major upper = column-major lower
    final double[] cross; // n*×nn
    final double[] rhs; // c×nn: column-major nn×c
    final double[] a; // a_z, per point
    final double[] h; // h_z
    final double[] inv; // 1/|v_z|
    final double[] q; // ρ_z − 1 = |u_z|/|v_z| − 1
    final long[] bits; // packed activation patterns, per point
    final int[] popDiag; // popcount of each point's pattern

    Scratch(int nn, int nTest, int points, int outputs, int width) {
      kernel = new double[nn * nn];
      cross = new double[nTest * nn];
      rhs = new double[outputs * nn];
      a = new double[points];
      h = new double[points];
      inv = new double[points];
      q = new double[points];
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

    // Per point: a_z = z·x_i, h_z = b_z − a_z s/2, |v_z|² = |u_z|² − 2 a_z h_z = |u_z|² (1 − t_z)
    // (SCIENCE §1: x̃ = Cz/|Cz| with C → C_{−i}), and q_z = |u_z|/|v_z| − 1 without cancellation.
    double[] q = sc.q;
    if (removed < 0) {
      for (int z = 0; z < nTot; z++) {
        a[z] = 0;
        h[z] = 0;
        q[z] = 0;
        inv[z] = 1.0 / Math.sqrt(uu[z]);
      }
    } else {
      int row = removed * nTot;
      double sHalf = 0.5 * gT[row + removed];
      for (int z = 0; z < nTot; z++) {
        double az = gT[row + z];
        double hz = bT[row + z] - az * sHalf;
        double t = 2 * az * hz / uu[z];
        double kept = 1 - t;
        if (z != removed && !(kept > MIN_RETAINED)) {
          return null;
        }
        double r = Math.sqrt(kept);
        a[z] = az;
        h[z] = hz;
        q[z] = z == removed ? 0.0 : t / (r * (1 + r));
        inv[z] = z == removed ? 0.0 : 1.0 / Math.sqrt(uu[z] - 2 * az * hz);
      }
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
        for (int wd = 0; wd < words; wd++) {
          bits[base + wd] = 0L;
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

    // The training kernel K_{−i} + λI, only the row-major upper triangle (column-major lower),
    // and the cross kernel K(X̃*_{−i}, X̃_{−i}) (n*×nn). Compact index of example k: k below the
    // removed one, k − 1 above it.
    double[] kernel = sc.kernel;
    double[] cross = sc.cross;
    int cut = removed < 0 ? n : removed;
    double invM = width > 0 ? 1.0 / width : 0.0;
    for (int j = 0; j < n; j++) {
      if (j == removed) {
        continue;
      }
      int jj = j < cut ? j : j - 1;
      int kRow = jj * nn;
      // x̃_j·x̃_j = 1 exactly (θ = 0 for the same example): H∞_jj = 1/2, Θ_jj = #active/m.
      kernel[kRow + jj] = (width > 0 ? popDiag[j] * invM : 0.5) + lambda;
      // Columns k > j: [j + 1, cut) keep their index, [max(j + 1, cut + 1), n) shift by one.
      kernelRow(sc, j, j + 1, cut, 0, kernel, kRow, bits, words, invM);
      kernelRow(sc, j, Math.max(j + 1, cut + 1), n, 1, kernel, kRow, bits, words, invM);
    }
    for (int t = 0; t < nTest; t++) {
      int z = n + t;
      kernelRow(sc, z, 0, cut, 0, cross, t * nn, bits, words, invM);
      kernelRow(sc, z, cut + 1, n, 1, cross, t * nn, bits, words, invM);
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
      if (j == removed) {
        continue;
      }
      int jj = j < cut ? j : j - 1;
      for (int o = 0; o < c; o++) {
        rhs[o * nn + jj] = y[j * c + o];
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

  /**
   * Kernel entries between point z and training examples k ∈ [k0, k1), written to
   * out[outOffset + k − shift]: the cosine increment Δc from the rank-one formula (class comment),
   * then H∞ (updated from θ⁰) or the empirical NTK. Reads the per-call arrays of the scratch.
   */
  private void kernelRow(Scratch sc, int z, int k0, int k1, int shift, double[] out, int outOffset,
      long[] bits, int words, double invM) {
    double[] a = sc.a;
    double[] h = sc.h;
    double[] inv = sc.inv;
    double[] q = sc.q;
    int sRow = z * n;
    double az = a[z];
    double hz = h[z];
    double iz = inv[z];
    double qz = q[z];
    int o = outOffset - shift;
    if (width == 0) {
      for (int k = k0; k < k1; k++) {
        double c0 = cos0[sRow + k];
        double dc = c0 * (qz + q[k] + qz * q[k]) - (a[k] * hz + az * h[k]) * (iz * inv[k]);
        out[o + k] = analyticUpdated(c0, theta0[sRow + k], dc);
      }
    } else {
      int bz = z * words;
      for (int k = k0; k < k1; k++) {
        double c0 = cos0[sRow + k];
        double dc = c0 * (qz + q[k] + qz * q[k]) - (a[k] * hz + az * h[k]) * (iz * inv[k]);
        int bk = k * words;
        int count = 0;
        for (int wd = 0; wd < words; wd++) {
          count += Long.bitCount(bits[bz + wd] & bits[bk + wd]);
        }
        out[o + k] = (c0 + dc) * count * invM;
      }
    }
  }

  /**
   * H∞ at cosine c⁰ + Δc from H∞ at c⁰ (angle θ⁰ = arccos c⁰): K⁰ + ΔK with ΔK = (Δc (π − θ⁰) −
   * (c⁰ + Δc) Δθ)/(2π) and Δθ from sin Δθ = −Δc (c⁰ (c⁰ + c) / (s⁰ + s) + s⁰), which has no
   * cancellation (class comment). With Δc = 0 it is exactly {@link #analytic}(c⁰). Falls back to
   * the direct formula where the increment is not small (|Δθ| ≥ π/6) or c reaches ±1.
   */
  static double analyticUpdated(double c0, double theta0, double dc) {
    double k0 = c0 * (Math.PI - theta0) / TWO_PI;
    if (dc == 0) {
      return k0;
    }
    double c = c0 + dc;
    double om0 = 1 - c0;
    double op0 = 1 + c0;
    double om = om0 - dc; // 1 − c without cancellation (1 − c⁰ is exact for c⁰ ≥ 1/2)
    double op = op0 + dc;
    if (!(om > 0 && op > 0 && om0 > 0 && op0 > 0)) {
      return analytic(c);
    }
    double s0 = Math.sqrt(om0 * op0);
    double s = Math.sqrt(om * op);
    double sinD = -dc * (c0 * (c0 + c) / (s0 + s) + s0);
    double cosD = c0 * c + s0 * s;
    if (!(cosD > 0 && Math.abs(sinD) < 0.5)) {
      return analytic(c);
    }
    double dTheta = sinD + sinD * ratio(sinD * sinD); // fdlibm asin on |x| < 1/2
    return k0 + (dc * (Math.PI - theta0) - c * dTheta) / TWO_PI;
  }

  /**
   * H∞ on unit vectors with cosine u (SCIENCE §2): u (π − θ)/(2π), θ = arccos(clip(u, −1, 1)), the
   * value of {@link NtkKernels#analyticNtk} up to the last bits of θ (see {@link #acos}).
   */
  static double analytic(double u) {
    return u * (Math.PI - acos(u)) / TWO_PI;
  }

  // fdlibm's rational approximation of (asin(x) − x)/x³ on [0, 1/4] (e_asin.c / e_acos.c):
  //   Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
  //   Developed at SunSoft, a Sun Microsystems, Inc. business.
  //   Permission to use, copy, modify, and distribute this software is freely granted, provided
  //   that this notice is preserved.
  private static final double PIO2_HI = 1.57079632679489655800e+00;
  private static final double PIO2_LO = 6.12323399573676603587e-17;
  private static final double PS0 = 1.66666666666666657415e-01;
  private static final double PS1 = -3.25565818622400915405e-01;
  private static final double PS2 = 2.01212532134862925881e-01;
  private static final double PS3 = -4.00555345006794114027e-02;
  private static final double PS4 = 7.91534994289814532176e-04;
  private static final double PS5 = 3.47933107596021167570e-05;
  private static final double QS1 = -2.40339491173441421878e+00;
  private static final double QS2 = 2.02094576023350569471e+00;
  private static final double QS3 = -6.88283971605453293030e-01;
  private static final double QS4 = 7.70381505559019352791e-02;

  /**
   * arccos(clip(u, −1, 1)) by fdlibm's method (e_acos.c: |u| ≤ 1/2 from asin's rational
   * approximation, else 2 asin(√((1 − |u|)/2)) with a split square root), error below 1 ulp like
   * StrictMath.acos, and about twice as fast as {@link NtkKernels#arccos}'s Math.atan2 (not
   * intrinsified on Java 17); the two agree to a few ulps (tested). Used for θ⁰ ((n + n*)·n
   * values in {@link #prepare}) and where {@link #analyticUpdated} falls back.
   */
  static double acos(double u) {
    if (!(u > -1.0)) {
      return u <= -1.0 ? Math.PI : Double.NaN;
    }
    if (u >= 1.0) {
      return 0.0;
    }
    double ax = Math.abs(u);
    if (ax < 0.5) {
      if (ax < 0x1p-57) {
        return PIO2_HI + PIO2_LO;
      }
      double z = u * u;
      return PIO2_HI - (u - (PIO2_LO - u * ratio(z)));
    }
    if (u < 0) {
      double z = (1.0 + u) * 0.5;
      double s = Math.sqrt(z);
      double w = ratio(z) * s - PIO2_LO;
      return Math.PI - 2.0 * (s + w);
    }
    double z = (1.0 - u) * 0.5;
    double s = Math.sqrt(z);
    double df = Double.longBitsToDouble(Double.doubleToRawLongBits(s) & 0xFFFFFFFF00000000L);
    double c = (z - df * df) / (s + df);
    double w = ratio(z) * s + c;
    return 2.0 * (df + w);
  }

  /** fdlibm's R(z) = p(z)/q(z). */
  private static double ratio(double z) {
    double p = z * (PS0 + z * (PS1 + z * (PS2 + z * (PS3 + z * (PS4 + z * PS5)))));
    double q = 1.0 + z * (QS1 + z * (QS2 + z * (QS3 + z * QS4)));
    return p / q;
  }
}
