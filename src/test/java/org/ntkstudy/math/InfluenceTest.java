package org.ntkstudy.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.ntkstudy.data.DatasetLoader;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.data.StudyData;
import org.ntkstudy.testing.TestData;

class InfluenceTest {
  /** A random SPD kernel on n + nt points: Z Zᵀ for Gaussian Z with fewer columns than points (ill-conditioned). */
  private static Matrix randomKernel(int points, int rank, long seed) {
    Random rnd = new Random(seed);
    Matrix z = new Matrix(points, rank);
    for (int i = 0; i < z.data().length; i++) z.data()[i] = rnd.nextGaussian();
    return Blas.multiplyTransposed(z, z);
  }

  private static Matrix sub(Matrix k, int r0, int r1, int c0, int c1) {
    Matrix s = new Matrix(r1 - r0, c1 - c0);
    for (int i = r0; i < r1; i++) for (int j = c0; j < c1; j++) s.set(i - r0, j - c0, k.get(i, j));
    return s;
  }

  private static Matrix targets(int n, int c, long seed) {
    return org.ntkstudy.testing.TestData.targets(new Random(seed), n, c);
  }

  private static double maxAbs(Matrix m) {
    double s = 0;
    for (double v : m.data()) s = Math.max(s, Math.abs(v));
    return s;
  }

  private static void assertClosedFormEqualsRefits(Matrix k, Matrix kc, Matrix y, Matrix yTest, double lambda) {
    Influence inf = Influence.of(k, y, lambda);
    for (Influence.Target target : Influence.Target.values()) {
      Influence.TargetSpec spec = Influence.TargetSpec.of(target, yTest, inf.predict(kc));
      Matrix closed = inf.matrix(kc, spec);
      Matrix naive = Influence.naiveRefits(k, kc, y, lambda, spec);
      double err = closed.maxAbsDiff(naive) / maxAbs(naive);
      assertTrue(err <= 1e-9, target + ": max|dI|/max|I| = " + err);
    }
  }

  @Test
  void closedFormEqualsNaiveRefitsOnRandomSpdKernels() {
    for (int c : new int[] {1, 3}) {
      for (double lambda : new double[] {1e-3, 1e-1}) {
        int n = 40;
        int nt = 15;
        Matrix all = randomKernel(n + nt, 30, 7 + c);
        assertClosedFormEqualsRefits(sub(all, 0, n, 0, n), sub(all, n, n + nt, 0, n), targets(n, c, 1),
            targets(nt, c, 2), lambda);
      }
    }
  }

  @Test
  void closedFormEqualsNaiveRefitsOnRealDataHinf() {
    Assumptions.assumeTrue(TestData.fashionMnistInstalled(), "Fashion-MNIST not installed");
    StudyData data = DatasetLoader.load(DatasetSpec.of(DatasetSpec.FASHION_MNIST, null, 120).withNTest(40),
        new Configuration(), null);
    Matrix x = data.train().inputs();
    Matrix xt = data.test().inputs();
    Matrix k = NtkKernels.analyticNtk(x, x, true);
    Matrix kc = NtkKernels.analyticNtk(xt, x, false);
    assertClosedFormEqualsRefits(k, kc, data.train().targets(), data.test().targets(), 1e-3);
  }

  @Test
  void looResidualIsTheRefitResidual() {
    int n = 30;
    Matrix k = randomKernel(n, 20, 3);
    Matrix y = targets(n, 2, 4);
    double lambda = 1e-2;
    Matrix r = Influence.of(k, y, lambda).looResiduals();
    for (int i = 0; i < n; i++) {
      int[] keep = new int[n - 1];
      for (int j = 0, q = 0; j < n; j++) if (j != i) keep[q++] = j;
      Matrix kk = new Matrix(n - 1, n - 1);
      Matrix kx = new Matrix(1, n - 1);
      for (int a = 0; a < n - 1; a++) {
        kx.set(0, a, k.get(i, keep[a]));
        for (int b = 0; b < n - 1; b++) kk.set(a, b, k.get(keep[a], keep[b]));
      }
      Matrix f = KernelRidge.predict(kx, KernelRidge.factor(kk, lambda).solve(y.selectRows(keep)));
      for (int c = 0; c < 2; c++) {
        double expected = y.get(i, c) - f.get(0, c);
        assertEquals(expected, r.get(i, c), 1e-9 * Math.max(1, Math.abs(expected)), "example " + i);
      }
    }
  }

  @Test
  void blocksOfColumnsAssembleTheMatrix() {
    int n = 37;
    Matrix all = randomKernel(n + 9, 25, 11);
    Matrix k = sub(all, 0, n, 0, n);
    Matrix kc = sub(all, n, n + 9, 0, n);
    Matrix y = targets(n, 1, 5);
    Influence inf = Influence.of(k, y, 1e-3);
    Influence.TargetSpec spec = Influence.TargetSpec.of(Influence.Target.MARGIN, targets(9, 1, 6), inf.predict(kc));
    Matrix whole = inf.matrix(kc, spec);
    Matrix r = inf.looResiduals();
    for (int from = 0; from < n; from += 10) {
      int to = Math.min(n, from + 10);
      Matrix part = Influence.block(kc, inf.inverse().rowRange(from, to), from, r, spec);
      // Different GEMM shapes round differently: equal to the last few digits, not bit for bit.
      for (int t = 0; t < 9; t++) for (int j = from; j < to; j++) assertEquals(whole.get(t, j), part.get(t, j - from), 1e-12 * maxAbs(whole));
    }
    double[] tot = Influence.totals(whole);
    double s = 0;
    for (int t = 0; t < 9; t++) s += whole.get(t, 5);
    assertEquals(s, tot[5], 1e-15 * Math.abs(s) + 1e-300);
  }

  @Test
  void marginFlipsTheSignForNegativeTestPointsAndMulticlassTakesTheTrueClass() {
    Matrix yb = new Matrix(3, 1, new double[] {1, -1, 1});
    Influence.TargetSpec m = Influence.TargetSpec.of(Influence.Target.MARGIN, yb, null);
    assertEquals(-1.0, m.scale()[1]);
    Influence.TargetSpec o = Influence.TargetSpec.of(Influence.Target.OUTPUT, yb, null);
    assertEquals(1.0, o.scale()[1]);
    Matrix y3 = new Matrix(2, 3, new double[] {0, 0, 1, 1, 0, 0});
    Matrix f3 = new Matrix(2, 3, new double[] {0.9, 0.1, 0.2, 0.1, 0.5, 0.3});
    assertEquals(2, Influence.TargetSpec.of(Influence.Target.MARGIN, y3, f3).cls()[0]);
    assertEquals(0, Influence.TargetSpec.of(Influence.Target.OUTPUT, y3, f3).cls()[0]);
    assertEquals(1, Influence.TargetSpec.of(Influence.Target.OUTPUT, y3, f3).cls()[1]);
    assertThrows(IllegalArgumentException.class, () -> Influence.Target.parse("sum"));
  }

  @Test
  void indefiniteKernelIsAClearError() {
    Matrix k = new Matrix(2, 2, new double[] {1, 2, 2, 1});
    ArithmeticException e = assertThrows(ArithmeticException.class,
        () -> Influence.of(k, new Matrix(2, 1, new double[] {1, -1}), 1e-3));
    assertTrue(e.getMessage().contains("--lambda"), e.getMessage());
  }
}
