package org.ntkstudy.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ntkstudy.testing.Fixtures;

/** SCIENCE §2: the three routes to Θ_m agree, E Θ_m = H∞, and H∞ matches NumPy. */
class NtkKernelsTest {
  static Matrix unitRows(int n, int d, long seed) {
    Random r = new Random(seed);
    Matrix x = new Matrix(n, d);
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        double v = r.nextGaussian();
        x.set(i, k, v);
        s += v * v;
      }
      for (int k = 0; k < d; k++) {
        x.set(i, k, x.get(i, k) / Math.sqrt(s));
      }
    }
    return x;
  }

  @Test
  void analyticNtkMatchesNumpyWithExactDiagonal() {
    Matrix x = Fixtures.npy("spectrum_tall_X.npy");
    double[] want = Fixtures.doubles(Fixtures.json("ntk_tall.json"), "H_inf");
    Matrix h = NtkKernels.analyticNtk(x, x, true);
    assertArrayEquals(want, h.data(), 1e-14);
    for (int i = 0; i < x.rows(); i++) {
      assertEquals(0.5, h.get(i, i), 1e-15, "θ = 0 on the diagonal: H∞_ii = |x|²/2");
    }
    // Off-diagonal blocks take arccos everywhere; the same pairs agree with the diagonal block.
    Matrix top = x.rowRange(0, 20);
    Matrix rest = x.rowRange(20, 60);
    Matrix hb = NtkKernels.analyticNtk(top, rest, false);
    for (int i = 0; i < 20; i++) {
      for (int j = 0; j < 40; j++) {
        assertEquals(h.get(i, 20 + j), hb.get(i, j), 0.0);
      }
    }
  }

  @Test
  void arccosAgreesWithMathAcosToAFewUlps() {
    java.util.Random r = new java.util.Random(5);
    for (int k = 0; k < 200_000; k++) {
      double u = k < 100_000 ? 2 * r.nextDouble() - 1 : Math.copySign(1 - Math.pow(10, -16 * r.nextDouble()), r.nextDouble() - 0.5);
      double want = Math.acos(u);
      assertEquals(want, NtkKernels.arccos(u), 4 * Math.ulp(want) + 1e-300, "u = " + u);
    }
    assertEquals(0.0, NtkKernels.arccos(1.0000000000000002), 0.0, "clipped");
    assertEquals(Math.PI, NtkKernels.arccos(-1.5), 0.0);
  }

  /** Popcount of packed patterns = the GEMM of 0/1 patterns, for widths that do not fill a word. */
  @Test
  void packedPatternsGiveTheSameKernel() {
    Matrix x = unitRows(13, 6, 21);
    Matrix y = unitRows(9, 6, 22);
    for (int m : new int[] {1, 63, 64, 70, 200}) {
      Matrix w = TwoLayerNetwork.initial(m, 6, 1.0, m, false).weights();
      Matrix dx = NtkKernels.activationPattern(x, w);
      Matrix dy = NtkKernels.activationPattern(y, w);
      long[] px = NtkKernels.packedPattern(x, w);
      long[] py = NtkKernels.packedPattern(y, w);
      assertTrue(NtkKernels.empiricalNtkPacked(x, px, y, py, m, false)
          .maxAbsDiff(NtkKernels.empiricalNtk(x, dx, y, dy, false)) <= 1e-15, "m = " + m);
      Matrix sym = NtkKernels.empiricalNtkPacked(x, px, x, px, m, true);
      assertTrue(sym.maxAbsDiff(NtkKernels.empiricalNtk(x, dx, x, dx, true)) <= 1e-15, "diagonal, m = " + m);
      assertTrue(sym.maxAbsDiff(sym.transpose()) == 0.0, "exactly symmetric");
    }
  }

  /** Structured = Jacobian contraction = NTK of a central-difference Jacobian of f. */
  @Test
  void threeRoutesToTheEmpiricalNtkAgree() {
    int n = 7;
    int d = 5;
    int m = 12;
    Matrix x = unitRows(n, d, 3);
    TwoLayerNetwork net = TwoLayerNetwork.initial(m, d, 1.0, 42, false);
    Matrix dPattern = NtkKernels.activationPattern(x, net.weights());
    Matrix structured = NtkKernels.empiricalNtk(x, dPattern, x, dPattern, true);
    for (int chunk : new int[] {1, 5, 12}) {
      Matrix jac = NtkKernels.jacobianNtk(x, x, net.weights(), net.signs(), chunk, true);
      assertTrue(jac.maxAbsDiff(structured) < 1e-14, "chunk " + chunk + ": " + jac.maxAbsDiff(structured));
    }
    Matrix fd = finiteDifferenceNtk(x, net, 1e-6);
    assertTrue(fd.maxAbsDiff(structured) < 1e-8, "central differences: " + fd.maxAbsDiff(structured));
  }

  /** Θ = J Jᵀ with J_{i,(r,k)} = (f(W + h e_rk)(x_i) − f(W − h e_rk)(x_i)) / 2h. */
  static Matrix finiteDifferenceNtk(Matrix x, TwoLayerNetwork net, double h) {
    Matrix w = net.weights();
    int p = w.data().length;
    Matrix j = new Matrix(x.rows(), p);
    for (int q = 0; q < p; q++) {
      Matrix plus = w.copy();
      Matrix minus = w.copy();
      plus.data()[q] += h;
      minus.data()[q] -= h;
      double[] fp = new TwoLayerNetwork(plus, net.signs()).outputs(x);
      double[] fm = new TwoLayerNetwork(minus, net.signs()).outputs(x);
      for (int i = 0; i < x.rows(); i++) {
        j.set(i, q, (fp[i] - fm[i]) / (2 * h));
      }
    }
    return Blas.multiplyTransposed(j, j);
  }

  /**
   * E Θ_m = H∞ at every width (SCIENCE §3): at m = 8, the mean over 2000 seeds matches H∞
   * entrywise within 5 standard errors.
   */
  @Test
  void empiricalNtkIsUnbiasedAtWidthEight() {
    int n = 10;
    int d = 6;
    int m = 8;
    int seeds = 2000;
    Matrix x = unitRows(n, d, 11);
    double[] sum = new double[n * n];
    double[] sumSq = new double[n * n];
    for (int s = 0; s < seeds; s++) {
      TwoLayerNetwork net = TwoLayerNetwork.initial(m, d, 0.01, s, false);
      Matrix dp = NtkKernels.activationPattern(x, net.weights());
      double[] t = NtkKernels.empiricalNtk(x, dp, x, dp, true).data();
      for (int k = 0; k < t.length; k++) {
        sum[k] += t[k];
        sumSq[k] += t[k] * t[k];
      }
    }
    Matrix h = NtkKernels.analyticNtk(x, x, true);
    for (int k = 0; k < n * n; k++) {
      double mean = sum[k] / seeds;
      double var = (sumSq[k] - seeds * mean * mean) / (seeds - 1);
      double se = Math.sqrt(Math.max(var, 0) / seeds);
      assertTrue(Math.abs(mean - h.data()[k]) <= 5 * se + 1e-15,
          "entry " + k + ": mean " + mean + " vs H∞ " + h.data()[k] + " (se " + se + ")");
    }
  }

  @Test
  void symmetricInitialisationGivesZeroOutput() {
    TwoLayerNetwork net = TwoLayerNetwork.initial(16, 4, 1.0, 5, true);
    double[] f = net.outputs(unitRows(9, 4, 2));
    for (double v : f) {
      assertEquals(0.0, v, 1e-15);
    }
    double plus = 0;
    for (double a : TwoLayerNetwork.initial(17, 4, 1.0, 5, false).signs()) {
      plus += a;
    }
    assertEquals(1.0, plus, 0.0, "half of each sign (odd width: one more +1)");
  }

  @Test
  void nngpTermScalesWithTheInitialisation() {
    Matrix x = unitRows(5, 3, 8);
    Matrix a = NtkKernels.nngp(x, x, true, 1.0);
    Matrix b = NtkKernels.nngp(x, x, true, 0.1);
    for (int k = 0; k < a.data().length; k++) {
      assertEquals(a.data()[k] * 0.01, b.data()[k], 1e-15);
    }
    // On the diagonal θ = 0: σ0² |x|² π / 2π = 1/2 for unit rows at σ0 = 1.
    assertEquals(0.5, a.get(2, 2), 1e-15);
  }
}
