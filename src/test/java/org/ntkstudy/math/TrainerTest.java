package org.ntkstudy.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.Test;

/** SCIENCE §4: the analytic gradient equals central differences; Adam matches a hand-worked step. */
class TrainerTest {
  /** Both losses, both models: relu on x, attn on x̃ = Cx/|Cx| (SCIENCE §1–§2). */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"MSE, RELU", "MSE, ATTN", "CROSS_ENTROPY, RELU", "CROSS_ENTROPY, ATTN"})
  void gradientMatchesCentralDifferences(Trainer.Loss loss, Model model) {
    Random r = new Random(3);
    int b = 6;
    int d = 5;
    int m = 7;
    int c = loss == Trainer.Loss.MSE ? 1 : 3;
    Matrix x = NtkKernelsTest.unitRows(b, d, 9);
    if (model == Model.ATTN) {
      Matrix cov = new Matrix(d, d);
      Blas.addGramian(x, cov.data());
      x = Attention.attend(x, cov, 0);
    }
    Matrix w = new Matrix(m, d);
    for (int k = 0; k < w.data().length; k++) {
      w.data()[k] = r.nextGaussian();
    }
    Matrix a = new Matrix(m, c);
    for (int k = 0; k < a.data().length; k++) {
      a.data()[k] = r.nextBoolean() ? 1 : -1;
    }
    Matrix y = new Matrix(b, c);
    for (int i = 0; i < b; i++) {
      if (c == 1) {
        y.set(i, 0, r.nextBoolean() ? 1 : -1);
      } else {
        y.set(i, r.nextInt(c), 1);
      }
    }
    double wd = 1e-3;
    Matrix g = Trainer.gradient(x, y, w, a, loss, wd);
    double h = 1e-6;
    for (int k = 0; k < w.data().length; k++) {
      Matrix wp = w.copy();
      Matrix wm = w.copy();
      wp.data()[k] += h;
      wm.data()[k] -= h;
      // The coupled decay is the gradient of (λ/2)|W|², added to the loss for the check.
      double lp = Trainer.loss(Trainer.outputs(x, wp, a), y, loss) + 0.5 * wd * sq(wp);
      double lm = Trainer.loss(Trainer.outputs(x, wm, a), y, loss) + 0.5 * wd * sq(wm);
      assertEquals((lp - lm) / (2 * h), g.data()[k], 1e-8, "dL/dW entry " + k);
    }
  }

  private static double sq(Matrix w) {
    double s = 0;
    for (double v : w.data()) {
      s += v * v;
    }
    return s;
  }

  /** Two Adam steps on w = (1, −2) with gradients (0.5, 0.1) then (−0.2, 0.3), lr 0.01, by hand. */
  @Test
  void adamMatchesAHandWorkedStep() {
    Matrix w = new Matrix(1, 2, new double[] {1.0, -2.0});
    Trainer.Adam adam = new Trainer.Adam(2);
    adam.step(w, new Matrix(1, 2, new double[] {0.5, 0.1}), 0.01);
    // Step 1: m̂ = g, v̂ = g², so Δ = lr · g/(|g| + ε) ≈ lr · sign(g).
    assertEquals(1.0 - 0.01 * 0.5 / (0.5 + 1e-8), w.get(0, 0), 1e-15);
    assertEquals(-2.0 - 0.01 * 0.1 / (0.1 + 1e-8), w.get(0, 1), 1e-15);
    double w0 = w.get(0, 0);
    adam.step(w, new Matrix(1, 2, new double[] {-0.2, 0.3}), 0.01);
    // Step 2, first coordinate: m = 0.9·0.05 + 0.1·(−0.2) = 0.025; m̂ = 0.025/0.19;
    // v = 0.999·0.00025 + 0.001·0.04 = 0.00028975; v̂ = 0.00028975/0.001999.
    double mHat = 0.025 / 0.19;
    double vHat = 0.00028975 / (1 - 0.999 * 0.999);
    assertEquals(w0 - 0.01 * mHat / (Math.sqrt(vHat) + 1e-8), w.get(0, 0), 1e-15);
  }

  @Test
  void epochOrderIsAPermutationFixedBySeedAndEpoch() {
    int[] a = Trainer.epochOrder(50, 7, 3);
    int[] sorted = a.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < 50; i++) {
      assertEquals(i, sorted[i]);
    }
    assertArrayEquals(a, Trainer.epochOrder(50, 7, 3));
    assertNotEquals(Arrays.toString(a), Arrays.toString(Trainer.epochOrder(50, 7, 4)));
    assertNotEquals(Arrays.toString(a), Arrays.toString(Trainer.epochOrder(50, 8, 3)));
  }
}
