package org.ntkstudy.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InputChainTest {
  static final int D = 12;
  static final int M = 16;
  static final int N = 20;

  /**
   * A small random problem: training rows X (from pixels in (0.05, 0.95)) normalised by an input
   * normalisation fitted on them (SCIENCE §0.1; pixel 0 nearly constant, σ_0 < 0.01, so that
   * {@code standardize} zeroes it), C0 = XᵀX, W, a.
   */
  static final class Problem {
    final double[][] pixels = new double[N][];
    /** The clean inputs x_i (unit rows), as they enter C0. */
    final double[][] units = new double[N][];
    final Matrix c0 = new Matrix(D, D);
    final Matrix w;
    final Matrix a;
    final SplittableRandom rnd;
    final InputNorm norm;

    Problem(long seed, int outputs) {
      this(seed, outputs, InputNorm.Kind.UNIT);
    }

    Problem(long seed, int outputs, InputNorm.Kind kind) {
      rnd = new SplittableRandom(seed);
      Matrix p = new Matrix(N, D);
      for (int i = 0; i < N; i++) {
        pixels[i] = randomPixels(rnd, D, 0.05, 0.95);
        if (kind != InputNorm.Kind.UNIT) {
          pixels[i][0] = 0.5 + 0.005 * (2 * rnd.nextDouble() - 1);
        }
        System.arraycopy(pixels[i], 0, p.data(), i * D, D);
      }
      norm = InputNorm.fit(kind, p);
      Matrix x = norm.apply(p);
      for (int i = 0; i < N; i++) {
        units[i] = kind == InputNorm.Kind.UNIT ? unit(pixels[i]) : java.util.Arrays.copyOfRange(x.data(), i * D,
            (i + 1) * D);
        System.arraycopy(units[i], 0, x.data(), i * D, D);
      }
      Blas.addGramian(x, c0.data());
      w = new Matrix(M, D);
      for (int k = 0; k < w.data().length; k++) {
        w.data()[k] = gaussian(rnd);
      }
      a = new Matrix(M, outputs);
      for (int k = 0; k < a.data().length; k++) {
        a.data()[k] = rnd.nextBoolean() ? 1 : -1;
      }
    }

    InputChain chain(Model model, Trainer.Loss loss, boolean frozen) {
      return model == Model.RELU ? InputChain.relu(w, a, loss, norm) : InputChain.attn(w, a, loss, c0, frozen, norm);
    }
  }

  static double[] randomPixels(SplittableRandom rnd, int d, double lo, double hi) {
    double[] p = new double[d];
    for (int j = 0; j < d; j++) {
      p[j] = lo + (hi - lo) * rnd.nextDouble();
    }
    return p;
  }

  static double[] unit(double[] p) {
    double s = 0;
    for (double v : p) {
      s += v * v;
    }
    double[] x = new double[p.length];
    for (int j = 0; j < p.length; j++) {
      x[j] = p[j] / Math.sqrt(s);
    }
    return x;
  }

  static double gaussian(SplittableRandom rnd) {
    return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }

  static double[] target(SplittableRandom rnd, Trainer.Loss loss, int outputs) {
    double[] y = new double[outputs];
    if (loss == Trainer.Loss.MSE && outputs == 1) {
      y[0] = rnd.nextBoolean() ? 1 : -1;
    } else if (loss == Trainer.Loss.MSE) {
      for (int c = 0; c < outputs; c++) {
        y[c] = gaussian(rnd);
      }
    } else {
      y[rnd.nextInt(outputs)] = 1;
    }
    return y;
  }

  /** min_r |w_r · z|: the distance of the network input from the nearest ReLU kink (scaled). */
  static double kinkMargin(Matrix w, double[] z) {
    double min = Double.POSITIVE_INFINITY;
    for (int r = 0; r < w.rows(); r++) {
      double h = 0;
      for (int j = 0; j < w.cols(); j++) {
        h += w.get(r, j) * z[j];
      }
      min = Math.min(min, Math.abs(h));
    }
    return min;
  }

  static double[] centralDifferences(InputChain chain, double[] p, double[] y, double[] x0, double step) {
    double[] g = new double[p.length];
    for (int j = 0; j < p.length; j++) {
      double[] plus = p.clone();
      double[] minus = p.clone();
      plus[j] += step;
      minus[j] -= step;
      g[j] = (chain.loss(plus, y, x0) - chain.loss(minus, y, x0)) / (2 * step);
    }
    return g;
  }

  static double maxAbs(double[] v) {
    double m = 0;
    for (double e : v) {
      m = Math.max(m, Math.abs(e));
    }
    return m;
  }

  static double maxAbsDiff(double[] u, double[] v) {
    double m = 0;
    for (int j = 0; j < u.length; j++) {
      m = Math.max(m, Math.abs(u[j] - v[j]));
    }
    return m;
  }

  /** The context cases: x0 given and live, x0 given but frozen, x0 = null. */
  enum Context { LIVE, FROZEN, ABSENT }

  private static void checkGradient(Model model, Trainer.Loss loss, int outputs, Context context, long seed) {
    checkGradient(model, loss, outputs, context, seed, InputNorm.Kind.UNIT);
  }

  private static void checkGradient(Model model, Trainer.Loss loss, int outputs, Context context, long seed,
      InputNorm.Kind kind) {
    Problem pr = new Problem(seed, outputs, kind);
    InputChain chain = pr.chain(model, loss, context == Context.FROZEN);
    int checked = 0;
    for (int trial = 0; trial < 50 && checked < 3; trial++) {
      int i = pr.rnd.nextInt(N);
      double[] x0 = context == Context.ABSENT ? null : pr.units[i];
      // A point near training example i (so it is "the attacked example"), pixels inside (0, 1).
      double[] p = pr.pixels[i].clone();
      for (int j = 0; j < D; j++) {
        p[j] = Math.min(0.99, Math.max(0.01, p[j] + 0.04 * (2 * pr.rnd.nextDouble() - 1)));
      }
      double[] z = chain.features(p, x0);
      if (kinkMargin(pr.w, z) < 1e-3) {
        continue; // too close to a ReLU kink for a finite difference
      }
      double[] y = target(pr.rnd, loss, outputs);
      double[] g = chain.gradient(p, y, x0);
      double[] num = centralDifferences(chain, p, y, x0, 1e-6);
      double scale = maxAbs(g);
      assertTrue(scale > 1e-6, "degenerate gradient " + scale);
      double rel = maxAbsDiff(g, num) / scale;
      assertTrue(rel <= 1e-6, kind + " " + model + " " + loss + " " + context + ": relative error " + rel);
      if (kind == InputNorm.Kind.STANDARDIZE) {
        assertEquals(0.0, g[0], 0.0, "σ_0 < 0.01: z_0 = 0 whatever p_0, so dLoss/dp_0 = 0");
      }
      checked++;
    }
    assertEquals(3, checked, "could not find points away from ReLU kinks");
  }

  @Test
  void reluGradientMatchesCentralDifferences() {
    for (Trainer.Loss loss : Trainer.Loss.values()) {
      checkGradient(Model.RELU, loss, loss == Trainer.Loss.MSE ? 1 : 4, Context.ABSENT, 11);
      checkGradient(Model.RELU, loss, 3, Context.LIVE, 12); // x0 is ignored by relu
    }
  }

  @Test
  void attnGradientMatchesCentralDifferencesInEveryContextCase() {
    long seed = 100;
    for (Trainer.Loss loss : Trainer.Loss.values()) {
      for (Context context : Context.values()) {
        checkGradient(Model.ATTN, loss, loss == Trainer.Loss.MSE ? 1 : 4, context, seed++);
        checkGradient(Model.ATTN, loss, 3, context, seed++);
      }
    }
  }

  @Test
  void gradientThroughEveryInputNormalisationMatchesCentralDifferences() {
    long seed = 500;
    for (InputNorm.Kind kind : InputNorm.Kind.values()) {
      for (Trainer.Loss loss : Trainer.Loss.values()) {
        int outputs = loss == Trainer.Loss.MSE ? 1 : 4;
        checkGradient(Model.RELU, loss, outputs, Context.ABSENT, seed++, kind);
        for (Context context : Context.values()) {
          checkGradient(Model.ATTN, loss, outputs, context, seed++, kind);
        }
      }
    }
  }

  @Test
  void featuresUseTheFixedStatistics() {
    for (InputNorm.Kind kind : InputNorm.Kind.values()) {
      Problem pr = new Problem(21, 1, kind);
      double[] p = pr.pixels[3];
      // relu at a training example's clean pixels: its clean input x0 = z(p0)/|z(p0)|.
      assertArrayEquals(pr.units[3], pr.chain(Model.RELU, Trainer.Loss.MSE, false).features(p, null), 1e-14);
      // attn: x̃ = C0 x0 / |C0 x0|, live or not.
      double[] want = Attention.attend(new Matrix(1, D, pr.units[3].clone()), pr.c0, 0).data();
      assertArrayEquals(want, pr.chain(Model.ATTN, Trainer.Loss.MSE, false).features(p, pr.units[3]), 1e-14);
      // dLoss/dz ⟂ z: undo the diagonal dz/dp where it is not zero.
      InputChain chain = pr.chain(Model.ATTN, Trainer.Loss.MSE, false);
      double[] q = p.clone();
      q[2] = 0.5 * q[2];
      double[] g = chain.gradient(q, new double[] {1}, pr.units[3]);
      double[] z = pr.norm.z(q);
      double dot = 0;
      for (int j = 0; j < D; j++) {
        double dz = pr.norm.derivative(j);
        dot += dz == 0 ? 0 : g[j] / dz * z[j];
      }
      assertEquals(0, dot, 1e-13 * maxAbs(g) * D * maxAbs(z), kind.toString());
      if (kind != InputNorm.Kind.UNIT) {
        assertTrue(chain.defined(new double[D]), "the all-zero image has z = −μ ≠ 0 under " + kind);
      }
    }
  }

  @Test
  void liveContextChangesTheGradient() {
    for (Trainer.Loss loss : Trainer.Loss.values()) {
      Problem pr = new Problem(7 + loss.ordinal(), 3);
      InputChain live = pr.chain(Model.ATTN, loss, false);
      InputChain frozen = pr.chain(Model.ATTN, loss, true);
      double[] p = pr.pixels[3].clone();
      p[0] = Math.min(0.99, p[0] + 0.05);
      double[] x0 = pr.units[3];
      double[] y = target(pr.rnd, loss, 3);
      double[] gLive = live.gradient(p, y, x0);
      double[] gFrozen = frozen.gradient(p, y, x0);
      double diff = maxAbsDiff(gLive, gFrozen) / maxAbs(gLive);
      assertTrue(diff > 1e-3, "the context's dependence on the example made no difference: " + diff);
      // Frozen with x0 and live without x0 are both C(p) = C0.
      assertArrayEquals(gFrozen, live.gradient(p, y, null), 1e-15);
      assertEquals(frozen.loss(p, y, x0), live.loss(p, y, null), 1e-15);
      // ... and the losses differ too when the context is live.
      assertTrue(Math.abs(live.loss(p, y, x0) - frozen.loss(p, y, x0)) > 1e-9);
    }
  }

  @Test
  void lossAgreesWithTrainerOnABatchOfOne() {
    for (Model model : Model.values()) {
      for (Trainer.Loss loss : Trainer.Loss.values()) {
        for (int outputs : new int[] {1, 3}) {
          Problem pr = new Problem(31 + outputs, outputs);
          InputChain chain = pr.chain(model, loss, false);
          for (int t = 0; t < 5; t++) {
            double[] p = randomPixels(pr.rnd, D, 0, 1);
            double[] x0 = t % 2 == 0 ? pr.units[t] : null;
            double[] y = target(pr.rnd, loss, outputs);
            double[] z = chain.features(p, x0);
            double want =
                Trainer.loss(Trainer.outputs(new Matrix(1, D, z), pr.w, pr.a), new Matrix(1, outputs, y), loss);
            double got = chain.loss(p, y, x0);
            assertEquals(want, got, 1e-12 * Math.max(1, Math.abs(want)), model + " " + loss + " C=" + outputs);
          }
        }
      }
    }
  }

  @Test
  void featuresFollowTheChain() {
    Problem pr = new Problem(5, 1);
    double[] p = pr.pixels[2];
    // relu: x = p/|p|, whatever x0 is.
    assertArrayEquals(unit(p), InputChain.relu(pr.w, pr.a, Trainer.Loss.MSE).features(p, pr.units[2]), 1e-15);
    // attn at the clean pixels of a training example, live context: x̃ = C0 x0 / |C0 x0| (Attention.attend).
    InputChain attn = pr.chain(Model.ATTN, Trainer.Loss.MSE, false);
    double[] want = Attention.attend(new Matrix(1, D, pr.units[2].clone()), pr.c0, 0).data();
    assertArrayEquals(want, attn.features(p, pr.units[2]), 1e-14);
    assertArrayEquals(want, attn.features(p, null), 1e-14);
    // Away from p0 the live context moves x's own term: u = (C0 − x0x0ᵀ + xxᵀ) x.
    double[] q = p.clone();
    q[1] = 0.5 * q[1];
    double[] x = unit(q);
    double[] x0 = pr.units[2];
    double[] u = new double[D];
    for (int i = 0; i < D; i++) {
      for (int j = 0; j < D; j++) {
        u[i] += (pr.c0.get(i, j) - x0[i] * x0[j] + x[i] * x[j]) * x[j];
      }
    }
    assertArrayEquals(unit(u), attn.features(q, x0), 1e-14);
  }

  @Test
  void scaleInvariantSoTheGradientIsOrthogonalToP() {
    Problem pr = new Problem(9, 3);
    for (Model model : Model.values()) {
      InputChain chain = pr.chain(model, Trainer.Loss.CROSS_ENTROPY, false);
      double[] p = pr.pixels[4];
      double[] y = {0, 1, 0};
      double[] g = chain.gradient(p, y, pr.units[4]);
      double dot = 0;
      for (int j = 0; j < D; j++) {
        dot += g[j] * p[j];
      }
      assertEquals(0, dot, 1e-14 * maxAbs(g) * D);
      double[] p2 = p.clone();
      for (int j = 0; j < D; j++) {
        p2[j] *= 0.5;
      }
      // x0 is x(p) = x(p/2), so the loss is the same at p/2.
      assertEquals(chain.loss(p, y, pr.units[4]), chain.loss(p2, y, pr.units[4]), 1e-13);
    }
  }

  @Test
  void allZeroImageIsAnInputError() {
    Problem pr = new Problem(1, 1);
    for (Model model : Model.values()) {
      InputChain chain = pr.chain(model, Trainer.Loss.MSE, false);
      var e = assertThrows(IllegalArgumentException.class, () -> chain.gradient(new double[D], new double[] {1}, null));
      assertTrue(e.getMessage().contains("all-zero"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> chain.loss(new double[D], new double[] {1}, null));
      assertThrows(IllegalArgumentException.class, () -> chain.features(new double[D], null));
    }
  }

  @Test
  void shapesAreChecked() {
    Problem pr = new Problem(2, 3);
    assertThrows(IllegalArgumentException.class, () -> InputChain.attn(pr.w, pr.a, Trainer.Loss.MSE, null, false));
    assertThrows(IllegalArgumentException.class,
        () -> InputChain.attn(pr.w, pr.a, Trainer.Loss.MSE, new Matrix(D - 1, D - 1), false));
    assertThrows(IllegalArgumentException.class, () -> InputChain.relu(pr.w, new Matrix(M + 1, 3), Trainer.Loss.MSE));
    InputChain chain = pr.chain(Model.ATTN, Trainer.Loss.MSE, false);
    assertThrows(IllegalArgumentException.class, () -> chain.loss(new double[D], new double[3], null));
    assertThrows(IllegalArgumentException.class, () -> chain.loss(pr.pixels[0], new double[2], null));
    assertThrows(IllegalArgumentException.class, () -> chain.loss(pr.pixels[0], new double[3], new double[D + 1]));
    assertThrows(IllegalArgumentException.class, () -> chain.loss(new double[D + 1], new double[3], null));
  }
}
