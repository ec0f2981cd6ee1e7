package org.ntkstudy.math;

import java.io.Serializable;

/**
 * The trained network's loss on one example as a function of its pixels p, and the exact gradient
 * dLoss/dp through the whole input chain of SCIENCE §5 step 2 — what the attacks of {@link Attacks}
 * ascend.
 *
 * <p>The chain (SCIENCE §0–§2), with the input normalisation of SCIENCE §0.1 ({@link InputNorm},
 * its statistics fixed constants):
 *
 * <ul>
 *   <li>z = z(p): p ({@code unit}), p − μ, (p − μ)/σ per pixel or (p − m)/s; x = z/|z| (ℓ2);
 *   <li>{@code relu}: the network input v = x;
 *   <li>{@code attn}: u = C(p) x, v = x̃ = u/|u| (SCIENCE §1), with the context
 *       C(p) = C0 − x0 x0ᵀ + x(p) x(p)ᵀ when the example is itself a training example whose clean
 *       input x0 is inside the clean context C0 = XᵀX (its pixels move, so its term in C moves
 *       with them), and C(p) = C0 when it is not ({@code x0 == null}) or with {@code frozenContext}
 *       (SCIENCE §5 step 2, {@code --frozen-context}: the gradient stops at C).
 * </ul>
 *
 * then the network of SCIENCE §2 exactly as {@link Trainer#outputs}: f_c(v) = (1/√m) Σ_r a_{r,c}
 * relu(w_r·v), and the loss of {@link Trainer#loss} on a batch of one: ½‖f − y‖² ({@link
 * Trainer.Loss#MSE}) or −Σ_c y_c log softmax(f)_c ({@link Trainer.Loss#CROSS_ENTROPY}).
 *
 * <p>The gradient is reverse mode, O(md + d²) per call: matrix–vector products only, by DGEMV on
 * {@link Blas#blas()} (W·v and Wᵀ·g are the main cost):
 *
 * <ul>
 *   <li>dL/df = f − y (MSE) or (Σ_c y_c) softmax(f) − y (cross-entropy; = softmax(f) − y for a
 *       one-hot y);
 *   <li>dL/dh_r = 1[h_r > 0] (1/√m) Σ_c a_{r,c} dL/df_c with h = W v; dL/dv = Wᵀ dL/dh;
 *   <li>{@code attn}: dx̃/du = (I − x̃x̃ᵀ)/|u|; du/dx = C0 − x0x0ᵀ + (xᵀx) I + 2 x xᵀ with the context
 *       live (u = (C0 − x0x0ᵀ) x + x (xᵀx), differentiated at the actual x), du/dx = C0 when frozen
 *       or x0 == null; the transposes are applied (C0ᵀ explicitly, so a non-symmetric C0 would
 *       still be handled correctly);
 *   <li>dx/dz = (I − x xᵀ)/|z|;
 *   <li>dz/dp diagonal ({@link InputNorm#backward}): I ({@code unit}, {@code center}), 1/σ_j (0 where
 *       σ_j &lt; 0.01, {@code standardize}), 1/s ({@code scalar}).
 * </ul>
 *
 * <p>The loss depends on z only through x = z/|z| (scale invariant), so dLoss/dz ⟂ z, and every
 * part of dL/dx along x — such as the 2 x xᵀ term of du/dx — is annihilated by I − x xᵀ. Only for
 * {@code unit} (z = p) does this make dLoss/dp ⟂ p; for the other normalisations dLoss/dp ⟂ z only
 * after the diagonal dz/dp is undone.
 *
 * <p>Immutable and thread-safe; the scratch buffers live in a {@link Workspace}, one per thread
 * (the convenience methods allocate one per call).
 *
 * <p>x0 must be the clean input of the example exactly as it entered C0 (x0 = z(p0)/|z(p0)| with
 * the same {@link InputNorm}); at p = p0 the live context gives u = C0 x0, the attended feature of
 * {@link Attention#attend}.
 */
public final class InputChain implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Model model;
  private final Matrix w;
  private final Matrix a;
  private final Trainer.Loss loss;
  private final Matrix c0;
  private final boolean frozenContext;
  private final InputNorm norm;
  private final int width;
  private final int dim;
  private final int outputs;
  private final double scale;

  private InputChain(Model model, Matrix w, Matrix a, Trainer.Loss loss, Matrix c0, boolean frozenContext,
      InputNorm norm) {
    if (w == null || a == null || loss == null || norm == null) {
      throw new IllegalArgumentException("W, a, the loss and the input normalisation are required");
    }
    if (norm.dimension() >= 0 && norm.dimension() != w.cols()) {
      throw new IllegalArgumentException("the input normalisation was fitted on " + norm.dimension()
          + " pixels but W has d = " + w.cols());
    }
    if (w.rows() == 0 || w.cols() == 0) {
      throw new IllegalArgumentException("W must be non-empty (m×d), got " + w);
    }
    if (a.rows() != w.rows() || a.cols() == 0) {
      throw new IllegalArgumentException("output signs a must be " + w.rows() + "×C (C ≥ 1), got " + a
          + " for W " + w);
    }
    if (model == Model.ATTN) {
      if (c0 == null) {
        throw new IllegalArgumentException("attn needs the clean context C0 = XᵀX");
      }
      if (c0.rows() != w.cols() || c0.cols() != w.cols()) {
        throw new IllegalArgumentException("C0 must be " + w.cols() + "×" + w.cols() + " (d×d), got " + c0);
      }
    }
    this.model = model;
    this.w = w;
    this.a = a;
    this.loss = loss;
    this.c0 = c0;
    this.frozenContext = frozenContext;
    this.norm = norm;
    this.width = w.rows();
    this.dim = w.cols();
    this.outputs = a.cols();
    this.scale = 1.0 / Math.sqrt(width);
  }

  /** The {@code relu} chain with {@code unit} inputs: v = x = p/|p|. */
  public static InputChain relu(Matrix w, Matrix a, Trainer.Loss loss) {
    return relu(w, a, loss, InputNorm.unit());
  }

  /**
   * The {@code relu} chain: v = x = z(p)/|z(p)| with {@code norm} (SCIENCE §0.1). W is m×d, a is
   * m×C (not copied: do not modify them).
   */
  public static InputChain relu(Matrix w, Matrix a, Trainer.Loss loss, InputNorm norm) {
    return new InputChain(Model.RELU, w, a, loss, null, false, norm);
  }

  /** The {@code attn} chain with {@code unit} inputs (see {@link #attn(Matrix, Matrix, Trainer.Loss, Matrix, boolean, InputNorm)}). */
  public static InputChain attn(Matrix w, Matrix a, Trainer.Loss loss, Matrix c0, boolean frozenContext) {
    return attn(w, a, loss, c0, frozenContext, InputNorm.unit());
  }

  /**
   * The {@code attn} chain: v = x̃ = C(p)x/|C(p)x| with x = z(p)/|z(p)| by {@code norm} and the
   * clean context {@code c0} = XᵀX (d×d, the training covariance of the inputs, SCIENCE §1). With
   * {@code frozenContext} C(p) = C0 always. Matrices are not copied: do not modify them.
   */
  public static InputChain attn(Matrix w, Matrix a, Trainer.Loss loss, Matrix c0, boolean frozenContext,
      InputNorm norm) {
    return new InputChain(Model.ATTN, w, a, loss, c0, frozenContext, norm);
  }

  public Model model() {
    return model;
  }

  /** d, the number of pixels. */
  public int dimension() {
    return dim;
  }

  /** m, the width. */
  public int width() {
    return width;
  }

  /** C, the number of outputs (the length of y). */
  public int outputs() {
    return outputs;
  }

  public Trainer.Loss lossKind() {
    return loss;
  }

  public boolean frozenContext() {
    return frozenContext;
  }

  /** The input normalisation p → z (SCIENCE §0.1), its statistics fixed. */
  public InputNorm inputNorm() {
    return norm;
  }

  /**
   * True when x is defined at p, i.e. z(p) ≠ 0 (for {@code unit}: p is not the all-zero image);
   * pixel values are not checked.
   */
  public boolean defined(double[] p) {
    if (p == null || p.length != dim) {
      throw new IllegalArgumentException("pixel vector must have length d = " + dim + ", got "
          + (p == null ? "null" : String.valueOf(p.length)));
    }
    double[] z = norm.isUnit() ? p : norm.z(p);
    for (double v : z) {
      if (v != 0) {
        return true;
      }
    }
    return false;
  }

  /** Scratch buffers for one thread's evaluations of this chain's shape (not thread-safe). */
  public Workspace workspace() {
    return new Workspace(dim, width, outputs);
  }

  /**
   * v(p): the network input (x for relu, x̃ for attn); x0 = the clean input of the example if it
   * is in C0, else null (ignored by relu).
   *
   * @throws IllegalArgumentException when z(p) = 0 (x = z/|z| undefined, SCIENCE §0, §0.1; for
   *     unit: p all zero), p not finite, or of the wrong length
   * @throws ArithmeticException when C(p)x = 0 (attn: x orthogonal to every context input)
   */
  public double[] features(double[] p, double[] x0) {
    Workspace ws = workspace();
    forwardInput(p, x0, ws);
    return ws.v.clone();
  }

  /** The loss on this example at pixels p with target y (length C). */
  public double loss(double[] p, double[] y, double[] x0) {
    return evaluate(p, y, x0, workspace(), null);
  }

  /** The exact dLoss/dp, length d. */
  public double[] gradient(double[] p, double[] y, double[] x0) {
    double[] g = new double[dim];
    evaluate(p, y, x0, workspace(), g);
    return g;
  }

  /**
   * The loss at p and, when {@code gradient} is not null, dLoss/dp written into it (length d) —
   * with the caller's workspace, so repeated calls (the attack iterations) allocate nothing.
   *
   * @return the loss
   */
  public double evaluate(double[] p, double[] y, double[] x0, Workspace ws, double[] gradient) {
    if (y == null || y.length != outputs) {
      throw new IllegalArgumentException("target y must have length C = " + outputs + ", got "
          + (y == null ? "null" : String.valueOf(y.length)));
    }
    if (gradient != null && gradient.length != dim) {
      throw new IllegalArgumentException("gradient buffer must have length d = " + dim + ", got " + gradient.length);
    }
    if (ws.d != dim || ws.m != width || ws.c != outputs) {
      throw new IllegalArgumentException("workspace was made for another chain's shape");
    }
    forwardInput(p, x0, ws);
    double value = forwardNetwork(y, ws);
    if (gradient != null) {
      backward(y, x0, ws, gradient);
    }
    return value;
  }

  /** p → z → x (and for attn u, x̃) into ws; ws.v is the network input. */
  private void forwardInput(double[] p, double[] x0, Workspace ws) {
    if (p == null || p.length != dim) {
      throw new IllegalArgumentException("pixel vector must have length d = " + dim + ", got "
          + (p == null ? "null" : String.valueOf(p.length)));
    }
    double[] z = p;
    if (!norm.isUnit()) {
      for (int j = 0; j < dim; j++) {
        if (!Double.isFinite(p[j])) {
          throw new IllegalArgumentException("pixel " + j + " is not finite: " + p[j]);
        }
      }
      norm.z(p, 0, ws.zp, dim);
      z = ws.zp;
    }
    // |z| computed on z / max|z_j| so tiny values cannot underflow the sum of squares.
    double amax = 0;
    for (int j = 0; j < dim; j++) {
      double v = Math.abs(z[j]);
      if (!(v <= Double.MAX_VALUE)) {
        throw new IllegalArgumentException("pixel " + j + " is not finite: " + p[j]);
      }
      amax = Math.max(amax, v);
    }
    if (amax == 0) {
      throw new IllegalArgumentException(norm.zeroMessage());
    }
    double[] x = ws.x;
    double inv = 1.0 / amax;
    double s2 = 0;
    for (int j = 0; j < dim; j++) {
      double v = z[j] * inv;
      x[j] = v;
      s2 += v * v;
    }
    double r = Math.sqrt(s2);
    ws.normZ = amax * r;
    double invR = 1.0 / r;
    for (int j = 0; j < dim; j++) {
      x[j] *= invR;
    }
    if (model == Model.RELU) {
      System.arraycopy(x, 0, ws.v, 0, dim);
      return;
    }
    boolean live = liveContext(x0);
    double[] u = ws.u;
    // u = C0 x: row-major C0 read column-major is C0ᵀ, hence "T".
    Blas.blas().dgemv("T", dim, dim, 1.0, c0.data(), dim, x, 1, 0.0, u, 1);
    if (live) {
      // u = (C0 − x0x0ᵀ) x + x (xᵀx)
      double x0x = dot(x0, 0, x, dim);
      double xx = dot(x, 0, x, dim);
      ws.xx = xx;
      for (int i = 0; i < dim; i++) {
        u[i] += -x0[i] * x0x + x[i] * xx;
      }
    }
    double nu = 0;
    for (int i = 0; i < dim; i++) {
      nu += u[i] * u[i];
    }
    nu = Math.sqrt(nu);
    if (!(nu > 0) || Double.isInfinite(nu)) {
      throw new ArithmeticException("attended input is zero or not finite: C(p) x = 0, the input is"
          + " orthogonal to every context input");
    }
    ws.normU = nu;
    double invU = 1.0 / nu;
    double[] v = ws.v;
    for (int i = 0; i < dim; i++) {
      v[i] = u[i] * invU;
    }
  }

  private boolean liveContext(double[] x0) {
    if (model != Model.ATTN || frozenContext || x0 == null) {
      return false;
    }
    if (x0.length != dim) {
      throw new IllegalArgumentException("x0 must have length d = " + dim + ", got " + x0.length);
    }
    return true;
  }

  /** h = W v, f = aᵀ relu(h)/√m and the loss; leaves h and f in ws. */
  private double forwardNetwork(double[] y, Workspace ws) {
    double[] wd = w.data();
    double[] ad = a.data();
    double[] v0 = ws.v;
    double[] h = ws.h;
    double[] f = ws.f;
    java.util.Arrays.fill(f, 0.0);
    // h = W v (the main cost): row-major W (m×d) read column-major is Wᵀ (d×m), hence "T".
    Blas.blas().dgemv("T", dim, width, 1.0, wd, dim, v0, 1, 0.0, h, 1);
    for (int r = 0; r < width; r++) {
      double v = h[r];
      if (v > 0) {
        int base = r * outputs;
        for (int c = 0; c < outputs; c++) {
          f[c] += ad[base + c] * v;
        }
      }
    }
    for (int c = 0; c < outputs; c++) {
      f[c] *= scale;
    }
    double total = 0;
    if (loss == Trainer.Loss.MSE) {
      for (int c = 0; c < outputs; c++) {
        double res = f[c] - y[c];
        total += 0.5 * res * res;
      }
    } else {
      double logZ = logSumExp(f);
      for (int c = 0; c < outputs; c++) {
        total -= y[c] * (f[c] - logZ);
      }
    }
    return total;
  }

  /** Reverse mode from the loss to p; needs forwardInput and forwardNetwork on the same ws. */
  private void backward(double[] y, double[] x0, Workspace ws, double[] out) {
    double[] f = ws.f;
    double[] gf = ws.gf;
    if (loss == Trainer.Loss.MSE) {
      for (int c = 0; c < outputs; c++) {
        gf[c] = f[c] - y[c];
      }
    } else {
      double logZ = logSumExp(f);
      double ySum = 0;
      for (int c = 0; c < outputs; c++) {
        ySum += y[c];
      }
      for (int c = 0; c < outputs; c++) {
        gf[c] = ySum * Math.exp(f[c] - logZ) - y[c];
      }
    }
    // dL/dv = Wᵀ dL/dh over the active neurons only.
    double[] ad = a.data();
    double[] h = ws.h;
    double[] gh = ws.gh;
    for (int r = 0; r < width; r++) {
      double v = 0;
      if (h[r] > 0) {
        int base = r * outputs;
        for (int c = 0; c < outputs; c++) {
          v += ad[base + c] * gf[c];
        }
        v *= scale;
      }
      gh[r] = v;
    }
    // dL/dv = Wᵀ dL/dh: Wᵀ is W read column-major, hence "N".
    double[] gv = ws.gv;
    Blas.blas().dgemv("N", dim, width, 1.0, w.data(), dim, gh, 1, 0.0, gv, 1);
    double[] x = ws.x;
    double[] gx;
    if (model == Model.RELU) {
      gx = gv;
    } else {
      // dL/du = (I − x̃x̃ᵀ) dL/dx̃ / |u|
      double[] v = ws.v;
      double[] gu = ws.gu;
      double vg = dot(v, 0, gv, dim);
      double invU = 1.0 / ws.normU;
      for (int i = 0; i < dim; i++) {
        gu[i] = (gv[i] - v[i] * vg) * invU;
      }
      // dL/dx = (du/dx)ᵀ dL/du.
      gx = ws.gx;
      Blas.blas().dgemv("N", dim, dim, 1.0, c0.data(), dim, gu, 1, 0.0, gx, 1); // C0ᵀ gu
      if (liveContext(x0)) {
        // + (−x0x0ᵀ + (xᵀx) I + 2 x xᵀ)ᵀ gu
        double x0g = dot(x0, 0, gu, dim);
        double xg = dot(x, 0, gu, dim);
        double xx = ws.xx;
        for (int i = 0; i < dim; i++) {
          gx[i] += -x0[i] * x0g + xx * gu[i] + 2 * x[i] * xg;
        }
      }
    }
    // dL/dz = (I − x xᵀ) dL/dx / |z|
    double xg = dot(x, 0, gx, dim);
    double invZ = 1.0 / ws.normZ;
    for (int j = 0; j < dim; j++) {
      out[j] = (gx[j] - x[j] * xg) * invZ;
    }
    // dL/dp = (dz/dp)ᵀ dL/dz, the diagonal of the fixed statistics (identity for unit and center).
    norm.backward(out);
  }

  private static double logSumExp(double[] f) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : f) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : f) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum);
  }

  /** Σ_k a[off+k] b[k], k < n, with four accumulators (latency-bound loop otherwise). */
  static double dot(double[] a, int off, double[] b, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int k = 0;
    for (; k + 3 < n; k += 4) {
      s0 += a[off + k] * b[k];
      s1 += a[off + k + 1] * b[k + 1];
      s2 += a[off + k + 2] * b[k + 2];
      s3 += a[off + k + 3] * b[k + 3];
    }
    for (; k < n; k++) {
      s0 += a[off + k] * b[k];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Scratch buffers for {@link #evaluate}; one per thread, reusable across calls. */
  public static final class Workspace {
    final int d;
    final int m;
    final int c;
    final double[] zp;
    final double[] x;
    final double[] u;
    final double[] v;
    final double[] h;
    final double[] gh;
    final double[] f;
    final double[] gf;
    final double[] gv;
    final double[] gu;
    final double[] gx;
    double normZ;
    double normU;
    double xx;

    Workspace(int d, int m, int c) {
      this.d = d;
      this.m = m;
      this.c = c;
      zp = new double[d];
      x = new double[d];
      u = new double[d];
      v = new double[d];
      h = new double[m];
      gh = new double[m];
      f = new double[c];
      gf = new double[c];
      gv = new double[d];
      gu = new double[d];
      gx = new double[d];
    }
  }
}
