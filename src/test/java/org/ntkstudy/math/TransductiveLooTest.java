package org.ntkstudy.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The rank-one transductive LOO of {@link TransductiveLoo} against the from-scratch refit, on
 * random and on all-positive "pixel" data (C nearly rank one), for H∞ and the empirical NTK.
 */
class TransductiveLooTest {
  /** The agreement demanded: max|fast − naive| ≤ TOL · max|naive change|, for every i. */
  private static final double TOL = 1e-9;
  /** No neuron of the empirical-kernel tests may sit closer than this to its ReLU kink. */
  private static final double MARGIN = 1e-9;
  /**
   * The direct refit's own accuracy on nearly parallel features (see
   * {@link #pixelDataAnalyticIsExactForEveryExample}): 1.3e-9 at worst measured, with margin.
   */
  private static final double NAIVE_TOL = 5e-9;
  private static final double LAMBDA = 1e-3;

  @Test
  void randomDataAnalyticMatchesRefitForEveryExample() {
    for (int c : new int[] {1, 3}) {
      Random r = new Random(11 + c);
      Matrix x = gaussianUnitRows(r, 30, 8);
      Matrix xs = gaussianUnitRows(r, 10, 8);
      Matrix y = targets(r, 30, c);
      assertMatchesNaive(x, xs, y, null, "random analytic c=" + c);
    }
  }

  @Test
  void randomDataEmpiricalMatchesRefitForEveryExample() {
    for (int c : new int[] {1, 3}) {
      Random r = new Random(21 + c);
      Matrix x = gaussianUnitRows(r, 30, 8);
      Matrix xs = gaussianUnitRows(r, 10, 8);
      Matrix y = targets(r, 30, c);
      Matrix w = gaussian(r, 100, 8); // 100: two packed words, the second partly used
      assertNoNeuronAtTheKink(x, xs, w);
      assertMatchesNaive(x, xs, y, w, "random empirical c=" + c);
    }
  }

  /**
   * The hard case: all-positive pixels make C nearly rank one and the attended features nearly
   * parallel (1 − cos down to 1e-5), where arccos(x̃·x̃') loses half its digits. Here the direct
   * refit ({@link TransductiveLooReference#outputChange}, NtkKernels' arithmetic) is itself only good
   * to about 1e-9 of the change (measured against the double-double reference: 3e-10 to 1.3e-9
   * over seeds and on 60 Fashion-MNIST images), so the 1e-9 claim is checked against that
   * reference (the rank-one route measured 5e-11 to 1.4e-10 there), and the refit is checked to
   * its own accuracy.
   */
  @Test
  void pixelDataAnalyticIsExactForEveryExample() {
    Random r = new Random(31);
    Matrix x = pixelRows(r, 60);
    Matrix xs = pixelRows(r, 12);
    assertNearlyRankOne(x);
    for (int c : new int[] {1, 3}) {
      Matrix y = targets(r, 60, c);
      TransductiveLoo loo = TransductiveLoo.prepare(x, xs, y, LAMBDA, null);
      Matrix f = accuratePrediction(x, xs, y, LAMBDA, -1);
      assertClose(f, loo.fullPrediction(), 1e-10, "full prediction");
      double worstFast = 0;
      double worstNaive = 0;
      double worstBetween = 0;
      for (int i = 0; i < x.rows(); i++) {
        Matrix want = minus(f, accuratePrediction(x, xs, y, LAMBDA, i));
        double scale = maxAbs(want);
        Matrix fast = loo.outputChange(i);
        Matrix naive = TransductiveLooReference.outputChange(x, xs, y, LAMBDA, null, i);
        worstFast = Math.max(worstFast, fast.maxAbsDiff(want) / scale);
        worstNaive = Math.max(worstNaive, naive.maxAbsDiff(want) / scale);
        worstBetween = Math.max(worstBetween, fast.maxAbsDiff(naive) / scale);
      }
      System.out.printf(
          "pixel analytic c=%d: max|fast − reference| / max|change| = %.3g, naive %.3g, fast − naive %.3g%n",
          c, worstFast, worstNaive, worstBetween);
      assertTrue(worstFast <= TOL, "fast route vs double-double reference: " + worstFast);
      assertTrue(worstNaive <= NAIVE_TOL, "direct refit vs double-double reference: " + worstNaive);
      assertTrue(worstBetween <= NAIVE_TOL, "fast vs direct refit: " + worstBetween);
    }
  }

  @Test
  void pixelDataEmpiricalMatchesRefitForEveryExample() {
    Random r = new Random(41);
    Matrix x = pixelRows(r, 60);
    Matrix xs = pixelRows(r, 12);
    Matrix w = gaussian(r, 128, x.cols());
    assertNoNeuronAtTheKink(x, xs, w);
    assertMatchesNaive(x, xs, targets(r, 60, 3), w, "pixel empirical c=3");
  }

  @Test
  void fullPredictionIsTheDirectKernelRidge() {
    Random r = new Random(51);
    Matrix x = pixelRows(r, 40);
    Matrix xs = pixelRows(r, 9);
    Matrix y = targets(r, 40, 3);
    Matrix w = gaussian(r, 70, x.cols());
    Matrix c = new Matrix(x.cols(), x.cols());
    Blas.addGramian(x, c.data());
    Matrix xt = Attention.attend(x, c, 0);
    Matrix xst = Attention.attend(xs, c, 0);

    Matrix kh = NtkKernels.analyticNtk(xt, xt, true);
    Matrix wantH = KernelRidge.predict(
        NtkKernels.analyticNtk(xst, xt, false), KernelRidge.factor(kh, LAMBDA).solve(y));
    Matrix gotH = TransductiveLoo.prepare(x, xs, y, LAMBDA, null).fullPrediction();
    assertClose(wantH, gotH, 1e-10, "H∞ full prediction");

    long[] pt = NtkKernels.packedPattern(xt, w);
    long[] ps = NtkKernels.packedPattern(xst, w);
    Matrix ke = NtkKernels.empiricalNtkPacked(xt, pt, xt, pt, w.rows(), true);
    Matrix wantE = KernelRidge.predict(
        NtkKernels.empiricalNtkPacked(xst, ps, xt, pt, w.rows(), false),
        KernelRidge.factor(ke, LAMBDA).solve(y));
    TransductiveLoo loo = TransductiveLoo.prepare(x, xs, y, LAMBDA, w);
    assertClose(wantE, loo.fullPrediction(), 1e-10, "empirical full prediction");
    assertEquals(40, loo.n());
    assertEquals(9, loo.nTest());
    assertEquals(3, loo.outputs());
  }

  /**
   * Forgetting the context (the kernel fixed at the full-context features, example i only dropped
   * from the regression: SCIENCE §5's closed form) gives a different answer, far outside the
   * tolerance of the equality tests: they would catch it.
   */
  @Test
  void transductiveChangeIsNotTheFixedKernelChange() {
    Random r = new Random(61);
    int n = 40;
    Matrix x = pixelRows(r, n);
    Matrix xs = pixelRows(r, 10);
    Matrix y = targets(r, n, 1);
    Matrix c = new Matrix(x.cols(), x.cols());
    Blas.addGramian(x, c.data());
    Matrix xt = Attention.attend(x, c, 0);
    Matrix xst = Attention.attend(xs, c, 0);
    Matrix k = NtkKernels.analyticNtk(xt, xt, true);
    Matrix ks = NtkKernels.analyticNtk(xst, xt, false);
    Matrix f = KernelRidge.predict(ks, KernelRidge.factor(k, LAMBDA).solve(y));
    TransductiveLoo loo = TransductiveLoo.prepare(x, xs, y, LAMBDA, null);
    assertClose(f, loo.fullPrediction(), 1e-10, "full prediction");

    double smallest = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      int[] keep = without(n, i);
      Matrix kMinus = k.selectRows(keep).transpose().selectRows(keep); // symmetric
      Matrix ksMinus = ks.transpose().selectRows(keep).transpose();
      Matrix fixedMinus =
          KernelRidge.predict(ksMinus, KernelRidge.factor(kMinus, LAMBDA).solve(y.selectRows(keep)));
      Matrix fixedChange = minus(f, fixedMinus);
      Matrix change = loo.outputChange(i);
      double rel = change.maxAbsDiff(fixedChange) / maxAbs(change);
      smallest = Math.min(smallest, rel);
    }
    System.out.printf("transductive vs fixed-kernel LOO: smallest relative difference %.3g%n", smallest);
    assertTrue(smallest > 1e-3, "the context matters for every i, but min relative difference " + smallest);
  }

  @Test
  void survivesSerializationAndConcurrentCalls() throws Exception {
    Random r = new Random(71);
    Matrix x = pixelRows(r, 30);
    Matrix xs = pixelRows(r, 7);
    Matrix y = targets(r, 30, 2);
    Matrix w = gaussian(r, 64, x.cols());
    TransductiveLoo loo = TransductiveLoo.prepare(x, xs, y, LAMBDA, w);
    Matrix[] want = new Matrix[30];
    for (int i = 0; i < 30; i++) {
      want[i] = loo.outputChange(i);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(loo);
    }
    TransductiveLoo back;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (TransductiveLoo) in.readObject();
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Matrix>> got = new ArrayList<>();
      for (int rep = 0; rep < 3; rep++) {
        for (int i = 0; i < 30; i++) {
          int ii = i;
          got.add(pool.submit(() -> back.outputChange(ii)));
        }
      }
      for (int k = 0; k < got.size(); k++) {
        // The same arithmetic in the same order: bit-identical.
        assertEquals(0.0, want[k % 30].maxAbsDiff(got.get(k).get()), "example " + (k % 30));
      }
    } finally {
      pool.shutdown();
    }
  }

  /** The pure-Java arccos (θ⁰ and the fallbacks) is StrictMath's to 1 ulp, and clips like NtkKernels. */
  @Test
  void fastArccosIsAccurate() {
    Random r = new Random(81);
    double worst = 0;
    for (int k = 0; k < 200_000; k++) {
      double u;
      switch (k % 4) {
        case 0 -> u = 2 * r.nextDouble() - 1;
        case 1 -> u = 1 - Math.scalb(r.nextDouble(), -r.nextInt(60)); // near 1: the kernel's range
        case 2 -> u = -1 + Math.scalb(r.nextDouble(), -r.nextInt(60));
        default -> u = Math.scalb(2 * r.nextDouble() - 1, -r.nextInt(60)); // near 0
      }
      double want = StrictMath.acos(u);
      worst = Math.max(worst, Math.abs(TransductiveLoo.acos(u) - want) / Math.ulp(want));
      assertEquals(NtkKernels.arccos(u), TransductiveLoo.acos(u), 4 * Math.ulp(want), "u = " + u);
    }
    assertTrue(worst <= 1.0, "worst error " + worst + " ulp");
    for (double u : new double[] {-1, -0.5, 0, 0.5, 1, Math.nextDown(1.0), Math.nextUp(-1.0), 0.5 - 1e-17}) {
      assertEquals(StrictMath.acos(u), TransductiveLoo.acos(u), Math.ulp(StrictMath.acos(u)), "u = " + u);
    }
    assertEquals(0.0, TransductiveLoo.acos(1 + 1e-15));
    assertEquals(Math.PI, TransductiveLoo.acos(-1 - 1e-15));
    assertTrue(Double.isNaN(TransductiveLoo.acos(Double.NaN)));
  }

  /** The incremental H∞ (K⁰ + ΔK) is the direct formula at c⁰ + Δc, on every branch. */
  @Test
  void kernelUpdateIsTheDirectFormula() {
    Random r = new Random(91);
    for (int k = 0; k < 100_000; k++) {
      double c0 = k % 3 == 0 ? 2 * r.nextDouble() - 1 : 1 - Math.scalb(r.nextDouble(), -r.nextInt(30));
      double dc = (2 * r.nextDouble() - 1) * Math.scalb(1.0, -r.nextInt(40));
      double c = c0 + dc;
      double got = TransductiveLoo.analyticUpdated(c0, TransductiveLoo.acos(c0), dc);
      double want = TransductiveLoo.analytic(c);
      // The direct formula's own error at c: |dH/dc| ulp(c) = (π − θ + c / sin θ) ulp(c) / 2π.
      double theta = TransductiveLoo.acos(Math.max(-1, Math.min(1, c)));
      double slope = (Math.PI - theta + Math.abs(c) / Math.max(Math.sin(theta), 1e-8)) / (2 * Math.PI);
      assertEquals(want, got, 8 * (Math.ulp(1.0) + slope * Math.ulp(1.0)), "c0 = " + c0 + ", dc = " + dc);
    }
    assertEquals(TransductiveLoo.analytic(0.3), TransductiveLoo.analyticUpdated(0.3, TransductiveLoo.acos(0.3), 0.0));
  }

  /**
   * A test point that only x_0 attends to loses (nearly) all its attention without x_0 (|v|²/|u|²
   * about 1e-10): the rank-one formula would cancel catastrophically, so that example is recomputed
   * from scratch. (With MIN_RETAINED = 0 this test fails, off by 4.5e-6 of the change.)
   */
  @Test
  void vanishingAttentionFallsBackToTheRefit() {
    Random r = new Random(101);
    int n = 12;
    int d = 5;
    Matrix x = new Matrix(n, d);
    x.set(0, 0, 1.0); // x_0 = e_0
    for (int j = 1; j < n; j++) {
      for (int k = 1; k < d; k++) {
        x.set(j, k, r.nextGaussian());
      }
    }
    x.set(1, 0, 1e-5); // one other example sees e_0 faintly
    normalizeRows(x);
    Matrix xs = new Matrix(3, d);
    xs.set(0, 0, 1.0);
    xs.set(0, 1, 1e-6);
    for (int t = 1; t < 3; t++) {
      for (int k = 0; k < d; k++) {
        xs.set(t, k, r.nextGaussian());
      }
    }
    normalizeRows(xs);
    Matrix y = targets(r, n, 1);
    TransductiveLoo loo = TransductiveLoo.prepare(x, xs, y, LAMBDA, null);
    for (int i = 0; i < n; i++) {
      Matrix naive = TransductiveLooReference.outputChange(x, xs, y, LAMBDA, null, i);
      Matrix fast = loo.outputChange(i);
      assertTrue(fast.maxAbsDiff(naive) <= TOL * maxAbs(naive), "example " + i + ": " + fast.maxAbsDiff(naive));
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static void assertMatchesNaive(Matrix x, Matrix xs, Matrix y, Matrix w, String what) {
    TransductiveLoo loo = TransductiveLoo.prepare(x, xs, y, LAMBDA, w);
    double worst = 0;
    double smallestChange = Double.POSITIVE_INFINITY;
    for (int i = 0; i < x.rows(); i++) {
      Matrix fast = loo.outputChange(i);
      Matrix naive = TransductiveLooReference.outputChange(x, xs, y, LAMBDA, w, i);
      double scale = maxAbs(naive);
      assertTrue(scale > 0, what + ": example " + i + " changes nothing");
      double ratio = fast.maxAbsDiff(naive) / scale;
      assertTrue(
          ratio <= TOL,
          what + ": example " + i + ": max|fast − naive| = " + fast.maxAbsDiff(naive)
              + " vs max|change| = " + scale);
      worst = Math.max(worst, ratio);
      smallestChange = Math.min(smallestChange, scale);
    }
    System.out.printf(
        "%s: worst max|fast − naive| / max|change| = %.3g (smallest max|change| %.3g)%n",
        what, worst, smallestChange);
  }

  /**
   * Every |w_r·x̃| over the full-context features and the features without each i is at least
   * {@link #MARGIN}, so no activation bit is decided by round-off.
   */
  private static void assertNoNeuronAtTheKink(Matrix x, Matrix xs, Matrix w) {
    int n = x.rows();
    double smallest = Double.POSITIVE_INFINITY;
    for (int i = -1; i < n; i++) {
      Matrix xr = i < 0 ? x : x.selectRows(without(n, i));
      Matrix c = new Matrix(x.cols(), x.cols());
      Blas.addGramian(xr, c.data());
      for (Matrix features : new Matrix[] {Attention.attend(xr, c, 0), Attention.attend(xs, c, 0)}) {
        for (double v : Blas.multiplyTransposed(features, w).data()) {
          smallest = Math.min(smallest, Math.abs(v));
        }
      }
    }
    assertTrue(smallest >= MARGIN, "a neuron sits at its kink: min |w_r·x̃| = " + smallest);
  }

  /** All-positive data makes C nearly rank one: the hard case for the rank-one correction. */
  private static void assertNearlyRankOne(Matrix x) {
    Matrix c = new Matrix(x.cols(), x.cols());
    Blas.addGramian(x, c.data());
    double[] e = SymmetricEigen.values(c); // descending
    double trace = 0;
    for (double v : e) {
      trace += v;
    }
    // λ1 carries most of the trace (MNIST: about half), and C is singular (the border pixels are zero everywhere).
    assertTrue(e[0] / trace > 0.7, "λ1 / tr C = " + e[0] / trace);
    assertTrue(e[e.length - 1] < 1e-12 * e[0], "λ_min / λ1 = " + e[e.length - 1] / e[0]);
  }

  /**
   * The reference for H∞ on nearly parallel features: f_{−removed}(X*) (removed = −1: f) with C,
   * Cz and every Gram entry in double-double arithmetic (about 32 digits), 1 − cos from them
   * without cancellation, and θ = 2 asin(√((1 − cos)/2)), so that θ is accurate to a few ulps
   * even where arccos(x̃·x̃') loses half the digits (1 − cos ≈ 1e-5 here). The kernel is rounded
   * to double and solved by {@link KernelRidge}, whose round-off is far smaller than that.
   */
  static Matrix accuratePrediction(Matrix x, Matrix xs, Matrix y, double lambda, int removed) {
    int[] keep = removed < 0 ? without(x.rows() + 1, x.rows()) : without(x.rows(), removed);
    int n = keep.length;
    int d = x.cols();
    DD[][] c = new DD[d][d];
    for (int k = 0; k < d; k++) {
      for (int l = k; l < d; l++) {
        DD acc = DD.ZERO;
        for (int j : keep) {
          acc = acc.add(DD.prod(x.get(j, k), x.get(j, l)));
        }
        c[k][l] = acc;
        c[l][k] = acc;
      }
    }
    int points = n + xs.rows();
    DD[][] u = new DD[points][d];
    DD[] norm2 = new DD[points];
    for (int z = 0; z < points; z++) {
      Matrix src = z < n ? x : xs;
      int row = z < n ? keep[z] : z - n;
      DD nz = DD.ZERO;
      for (int k = 0; k < d; k++) {
        DD acc = DD.ZERO;
        for (int l = 0; l < d; l++) {
          acc = acc.add(c[k][l].mul(src.get(row, l)));
        }
        u[z][k] = acc;
        nz = nz.add(acc.mul(acc));
      }
      norm2[z] = nz;
    }
    Matrix k = new Matrix(n, n);
    Matrix ks = new Matrix(xs.rows(), n);
    for (int z = 0; z < points; z++) {
      for (int w = 0; w < n; w++) {
        double value;
        if (z == w) {
          value = 0.5; // θ = 0 for the same example
        } else {
          DD g = DD.ZERO;
          for (int q = 0; q < d; q++) {
            g = g.add(u[z][q].mul(u[w][q]));
          }
          DD root = norm2[z].mul(norm2[w]).sqrt();
          double oneMinusCos = Math.max(0.0, root.sub(g).hi() / root.hi());
          double cos = g.hi() / root.hi();
          double theta = 2 * StrictMath.asin(Math.min(1.0, Math.sqrt(oneMinusCos / 2)));
          value = cos * (Math.PI - theta) / (2 * Math.PI);
        }
        if (z < n) {
          k.set(z, w, value);
        } else {
          ks.set(z - n, w, value);
        }
      }
    }
    Blas.symmetrize(k);
    return KernelRidge.predict(ks, KernelRidge.factor(k, lambda).solve(y.selectRows(keep)));
  }

  /** A double-double number hi + lo (Dekker, Knuth; products by fma). */
  record DD(double hi, double lo) {
    static final DD ZERO = new DD(0, 0);

    static DD twoSum(double a, double b) {
      double s = a + b;
      double bb = s - a;
      return new DD(s, (a - (s - bb)) + (b - bb));
    }

    static DD quick(double a, double b) {
      double s = a + b;
      return new DD(s, b - (s - a));
    }

    static DD prod(double a, double b) {
      double p = a * b;
      return new DD(p, Math.fma(a, b, -p));
    }

    DD add(DD o) {
      DD s = twoSum(hi, o.hi);
      DD t = twoSum(lo, o.lo);
      DD v = quick(s.hi, s.lo + t.hi);
      return quick(v.hi, v.lo + t.lo);
    }

    DD sub(DD o) {
      return add(new DD(-o.hi, -o.lo));
    }

    DD mul(DD o) {
      DD p = prod(hi, o.hi);
      return quick(p.hi, p.lo + (hi * o.lo + lo * o.hi));
    }

    DD mul(double b) {
      DD p = prod(hi, b);
      return quick(p.hi, p.lo + lo * b);
    }

    DD sqrt() {
      double r = Math.sqrt(hi);
      DD rest = sub(prod(r, r));
      return quick(r, rest.hi / (2 * r));
    }
  }

  private static void assertClose(Matrix want, Matrix got, double rel, String what) {
    double scale = Math.max(maxAbs(want), 1e-300);
    double diff = want.maxAbsDiff(got);
    assertTrue(diff <= rel * scale, what + ": max diff " + diff + " vs scale " + scale);
  }

  private static int[] without(int n, int i) {
    int[] keep = new int[n - 1];
    for (int j = 0, k = 0; j < n; j++) {
      if (j != i) {
        keep[k++] = j;
      }
    }
    return keep;
  }

  private static Matrix minus(Matrix a, Matrix b) {
    Matrix out = a.copy();
    for (int k = 0; k < out.data().length; k++) {
      out.data()[k] -= b.data()[k];
    }
    return out;
  }

  private static double maxAbs(Matrix m) {
    double s = 0;
    for (double v : m.data()) {
      s = Math.max(s, Math.abs(v));
    }
    return s;
  }

  private static Matrix gaussian(Random r, int rows, int cols) {
    Matrix m = new Matrix(rows, cols);
    for (int k = 0; k < m.data().length; k++) {
      m.data()[k] = r.nextGaussian();
    }
    return m;
  }

  private static Matrix gaussianUnitRows(Random r, int rows, int cols) {
    Matrix m = gaussian(r, rows, cols);
    normalizeRows(m);
    return m;
  }

  /**
   * 10×5 "images" (d = 50) in [0, 1]: a background stroke shared by all plus two random bumps,
   * the border row and column zero in every image (so C is singular, as for MNIST), then each
   * row scaled to unit length (SCIENCE §0).
   */
  static Matrix pixelRows(Random r, int rows) {
    int h = 10;
    int wd = 5;
    Matrix m = new Matrix(rows, h * wd);
    for (int i = 0; i < rows; i++) {
      double[] cy = {1 + r.nextDouble() * 7, 1 + r.nextDouble() * 7};
      double[] cx = {1 + r.nextDouble() * 3, 1 + r.nextDouble() * 3};
      for (int py = 0; py < h; py++) {
        for (int px = 0; px < wd; px++) {
          double v = 0;
          if (py > 0 && px > 0) {
            v = 0.3 * Math.exp(-Math.pow(px - 2.5, 2) / 2);
            for (int b = 0; b < 2; b++) {
              double dy = py - cy[b];
              double dx = px - cx[b];
              v += Math.exp(-(dy * dy + dx * dx) / 2.0);
            }
            v = Math.min(1.0, v * (0.8 + 0.4 * r.nextDouble()));
          }
          m.set(i, py * wd + px, v);
        }
      }
    }
    normalizeRows(m);
    return m;
  }

  static Matrix targets(Random r, int rows, int outputs) {
    return org.ntkstudy.testing.TestData.targets(r, rows, outputs);
  }

  private static void normalizeRows(Matrix m) {
    for (int i = 0; i < m.rows(); i++) {
      double s = 0;
      for (int j = 0; j < m.cols(); j++) {
        s += m.get(i, j) * m.get(i, j);
      }
      double inv = 1 / Math.sqrt(s);
      for (int j = 0; j < m.cols(); j++) {
        m.set(i, j, m.get(i, j) * inv);
      }
    }
  }
}
