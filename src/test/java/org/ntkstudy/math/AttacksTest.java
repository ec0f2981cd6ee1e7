package org.ntkstudy.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AttacksTest {
  static final int D = 30;
  static final int M = 32;
  static final int N = 40;

  /** Training pixels with exact 0s and 1s and values close to both bounds, so the clip is active. */
  static final class Problem {
    final double[][] pixels = new double[N][];
    final double[][] units = new double[N][];
    final Matrix c0 = new Matrix(D, D);
    final Matrix w;
    final Matrix a;

    Problem(long seed, int outputs) {
      SplittableRandom rnd = new SplittableRandom(seed);
      Matrix x = new Matrix(N, D);
      for (int i = 0; i < N; i++) {
        double[] p = new double[D];
        for (int j = 0; j < D; j++) {
          switch (j % 6) {
            case 0 -> p[j] = 0.0;
            case 1 -> p[j] = 1.0;
            case 2 -> p[j] = 0.02 * rnd.nextDouble();
            case 3 -> p[j] = 1 - 0.02 * rnd.nextDouble();
            default -> p[j] = rnd.nextDouble();
          }
        }
        pixels[i] = p;
        units[i] = InputChainTest.unit(p);
        System.arraycopy(units[i], 0, x.data(), i * D, D);
      }
      Blas.addGramian(x, c0.data());
      w = new Matrix(M, D);
      for (int k = 0; k < w.data().length; k++) {
        w.data()[k] = InputChainTest.gaussian(rnd);
      }
      a = new Matrix(M, outputs);
      for (int k = 0; k < a.data().length; k++) {
        a.data()[k] = rnd.nextBoolean() ? 1 : -1;
      }
    }
  }

  /** relu, attn with the context live, attn frozen. */
  static InputChain[] chains(Problem pr, Trainer.Loss loss) {
    return new InputChain[] {
      InputChain.relu(pr.w, pr.a, loss),
      InputChain.attn(pr.w, pr.a, loss, pr.c0, false),
      InputChain.attn(pr.w, pr.a, loss, pr.c0, true)
    };
  }

  static double[] target(int i, Trainer.Loss loss, int outputs) {
    double[] y = new double[outputs];
    if (outputs == 1) {
      y[0] = i % 2 == 0 ? 1 : -1;
    } else {
      y[i % outputs] = 1;
    }
    return y;
  }

  static void assertInBallAndBox(double[] p0, double[] p, double eps, String what) {
    assertEquals(p0.length, p.length);
    for (int j = 0; j < p.length; j++) {
      assertTrue(p[j] >= 0 && p[j] <= 1, what + ": pixel " + j + " = " + p[j] + " outside [0, 1]");
      assertTrue(Math.abs(p[j] - p0[j]) <= eps + 1e-12,
          what + ": pixel " + j + " moved " + Math.abs(p[j] - p0[j]) + " > eps " + eps);
    }
  }

  @Test
  void everyAttackStaysInTheBallAndTheBoxAndIncreasesTheLoss() {
    int clippedAtOne = 0;
    int clippedAtZero = 0;
    int runs = 0;
    for (Trainer.Loss loss : Trainer.Loss.values()) {
      int outputs = loss == Trainer.Loss.MSE ? 1 : 3;
      Problem pr = new Problem(40 + outputs, outputs);
      for (InputChain chain : chains(pr, loss)) {
        for (Attacks.Kind kind : Attacks.Kind.values()) {
          for (double eps : new double[] {0.1, 0.3}) {
            for (int i = 0; i < 4; i++) {
              double[] p0 = pr.pixels[i];
              double[] x0 = pr.units[i];
              double[] y = target(i, loss, outputs);
              String what = chain.model() + (chain.frozenContext() ? "/frozen " : " ") + loss + " " + kind.key()
                  + " eps=" + eps + " example " + i;
              double[] p = Attacks.perturb(kind, Attacks.Params.defaults(kind, eps), chain, p0, y, x0, 1000 + i);
              assertInBallAndBox(p0, p, eps, what);
              double before = chain.loss(p0, y, x0);
              double after = chain.loss(p, y, x0);
              assertTrue(after > before, what + ": loss " + before + " -> " + after);
              for (int j = 0; j < D; j++) {
                clippedAtOne += p0[j] > 1 - eps && p[j] == 1.0 ? 1 : 0;
                clippedAtZero += p0[j] < eps && p[j] == 0.0 ? 1 : 0;
              }
              runs++;
            }
          }
        }
      }
    }
    assertEquals(2 * 3 * 3 * 2 * 4, runs);
    assertTrue(clippedAtOne > 0 && clippedAtZero > 0, "the [0, 1] clip was never active: " + clippedAtOne + ", "
        + clippedAtZero);
  }

  @Test
  void fgsmIsOneClippedSignStepOfEps() {
    Problem pr = new Problem(3, 3);
    for (InputChain chain : chains(pr, Trainer.Loss.CROSS_ENTROPY)) {
      double[] p0 = pr.pixels[5];
      double[] y = target(5, Trainer.Loss.CROSS_ENTROPY, 3);
      double eps = 0.3;
      double[] g = chain.gradient(p0, y, pr.units[5]);
      double[] p = Attacks.perturb(Attacks.Kind.FGSM, Attacks.Params.defaults(Attacks.Kind.FGSM, eps), chain, p0, y,
          pr.units[5], 0);
      for (int j = 0; j < D; j++) {
        double lo = Math.max(0, p0[j] - eps);
        double hi = Math.min(1, p0[j] + eps);
        double want = Math.min(hi, Math.max(lo, p0[j] + eps * Math.signum(g[j])));
        assertEquals(want, p[j], 0.0, "pixel " + j);
      }
      // MIM with one step of eps is FGSM: sign(g/‖g‖₁) = sign(g).
      double[] mim = Attacks.perturb(Attacks.Kind.MIM, new Attacks.Params(eps, 1, eps, 1.0), chain, p0, y,
          pr.units[5], 0);
      assertArrayEquals(p, mim, 0.0);
    }
  }

  /** MIM written out step by step: g_acc ← μ g_acc + g/‖g‖₁, p ← Π(p + α sign(g_acc)). */
  @Test
  void mimAccumulatesTheL1NormalisedGradient() {
    Problem pr = new Problem(12, 3);
    double eps = 0.3;
    Attacks.Params params = Attacks.Params.defaults(Attacks.Kind.MIM, eps);
    int differsFromNoMomentum = 0;
    for (InputChain chain : chains(pr, Trainer.Loss.CROSS_ENTROPY)) {
      for (int i = 0; i < 3; i++) {
        double[] p0 = pr.pixels[i];
        double[] y = target(i, Trainer.Loss.CROSS_ENTROPY, 3);
        double[] p = p0.clone();
        double[] acc = new double[D];
        for (int t = 0; t < params.steps(); t++) {
          double[] g = chain.gradient(p, y, pr.units[i]);
          double l1 = 0;
          for (double v : g) {
            l1 += Math.abs(v);
          }
          for (int j = 0; j < D; j++) {
            acc[j] = params.momentum() * acc[j] + (l1 > 0 ? g[j] / l1 : g[j]);
            double v = p[j] + params.alpha() * Math.signum(acc[j]);
            p[j] = Math.min(Math.min(1, p0[j] + eps), Math.max(Math.max(0, p0[j] - eps), v));
          }
        }
        double[] got = Attacks.perturb(Attacks.Kind.MIM, params, chain, p0, y, pr.units[i], 0);
        assertArrayEquals(p, got, 0.0, chain.model() + " example " + i);
        double[] noMomentum = Attacks.perturb(Attacks.Kind.MIM,
            new Attacks.Params(eps, params.steps(), params.alpha(), 0.0), chain, p0, y, pr.units[i], 0);
        differsFromNoMomentum += Arrays.equals(got, noMomentum) ? 0 : 1;
      }
    }
    assertTrue(differsFromNoMomentum > 0, "momentum never changed the result");
  }

  @Test
  void pgdStartsUniformlyInTheBall() {
    Problem pr = new Problem(4, 1);
    InputChain chain = InputChain.relu(pr.w, pr.a, Trainer.Loss.MSE);
    double[] p0 = pr.pixels[0];
    double eps = 0.3;
    double[] start = Attacks.perturb(Attacks.Kind.PGD, new Attacks.Params(eps, 0, 0.01, 0), chain, p0, new double[] {1},
        null, 77);
    SplittableRandom rnd = new SplittableRandom(77);
    for (int j = 0; j < D; j++) {
      double v = p0[j] + (2 * rnd.nextDouble() - 1) * eps;
      assertEquals(Math.min(Math.min(1, p0[j] + eps), Math.max(Math.max(0, p0[j] - eps), v)), start[j], 0.0);
    }
    assertInBallAndBox(p0, start, eps, "start");
  }

  @Test
  void sameSeedSameResult() {
    Problem pr = new Problem(5, 3);
    InputChain chain = InputChain.attn(pr.w, pr.a, Trainer.Loss.CROSS_ENTROPY, pr.c0, false);
    double[] p0 = pr.pixels[1];
    double[] y = target(1, Trainer.Loss.CROSS_ENTROPY, 3);
    for (Attacks.Kind kind : Attacks.Kind.values()) {
      Attacks.Params params = Attacks.Params.defaults(kind, 0.3);
      double[] first = Attacks.perturb(kind, params, chain, p0, y, pr.units[1], 9);
      double[] second = Attacks.perturb(kind, params, chain, p0, y, pr.units[1], 9);
      assertArrayEquals(first, second, 0.0, kind.key());
    }
    Attacks.Params pgd = Attacks.Params.defaults(Attacks.Kind.PGD, 0.3);
    assertFalse(Arrays.equals(Attacks.perturb(Attacks.Kind.PGD, pgd, chain, p0, y, pr.units[1], 9),
        Attacks.perturb(Attacks.Kind.PGD, pgd, chain, p0, y, pr.units[1], 10)));
    double[] clean = pr.pixels[1].clone();
    Attacks.perturb(Attacks.Kind.MIM, Attacks.Params.defaults(Attacks.Kind.MIM, 0.3), chain, p0, y, pr.units[1], 9);
    assertArrayEquals(clean, p0, 0.0, "p0 was modified");
  }

  @Test
  void randomSignsStayInTheBallAndTheBox() {
    Problem pr = new Problem(6, 1);
    double eps = 0.3;
    for (int i = 0; i < 5; i++) {
      double[] p0 = pr.pixels[i];
      double[] p = Attacks.randomSigns(p0, eps, i);
      assertInBallAndBox(p0, p, eps, "randomSigns " + i);
      int up = 0;
      for (int j = 0; j < D; j++) {
        double plus = Math.min(1, p0[j] + eps);
        double minus = Math.max(0, p0[j] - eps);
        assertTrue(p[j] == plus || p[j] == minus, "pixel " + j + " is neither clip(p0 ± eps)");
        up += p[j] == plus && plus != minus ? 1 : 0;
      }
      assertTrue(up > 0 && up < D, "signs are not random: " + up + " of " + D + " up");
      assertArrayEquals(p, Attacks.randomSigns(p0, eps, i), 0.0);
      assertFalse(Arrays.equals(p, Attacks.randomSigns(p0, eps, i + 100)));
    }
  }

  @Test
  void defaultsAreThoseOfScience5() {
    assertEquals(new Attacks.Params(0.3, 1, 0.3, 0), Attacks.Params.defaults(Attacks.Kind.FGSM, 0.3));
    assertEquals(new Attacks.Params(0.3, 40, 0.01, 0), Attacks.Params.defaults(Attacks.Kind.PGD, 0.3));
    Attacks.Params mim = Attacks.Params.defaults(Attacks.Kind.MIM, 0.3);
    assertEquals(10, mim.steps());
    assertEquals(0.03, mim.alpha(), 1e-15);
    assertEquals(1.0, mim.momentum());
    assertThrows(IllegalArgumentException.class, () -> new Attacks.Params(-0.1, 1, 0.1, 0));
    assertThrows(IllegalArgumentException.class, () -> new Attacks.Params(0.1, -1, 0.1, 0));
  }

  @Test
  void kindParsesKeysAndRejectsOthers() {
    for (Attacks.Kind kind : Attacks.Kind.values()) {
      assertEquals(kind, Attacks.Kind.parse(kind.key()));
    }
    assertEquals("fgsm", Attacks.Kind.FGSM.key());
    assertEquals(Attacks.Kind.PGD, Attacks.Kind.parse(" PGD "));
    var e = assertThrows(IllegalArgumentException.class, () -> Attacks.Kind.parse("cw-l2"));
    assertTrue(e.getMessage().contains("cw-l2") && e.getMessage().contains("fgsm") && e.getMessage().contains("pgd")
        && e.getMessage().contains("mim"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Attacks.Kind.parse(null));
  }

  @Test
  void badCleanPixelsAreRejected() {
    Problem pr = new Problem(8, 1);
    InputChain chain = InputChain.relu(pr.w, pr.a, Trainer.Loss.MSE);
    Attacks.Params params = Attacks.Params.defaults(Attacks.Kind.FGSM, 0.3);
    double[] y = {1};
    var zero = assertThrows(IllegalArgumentException.class,
        () -> Attacks.perturb(Attacks.Kind.FGSM, params, chain, new double[D], y, null, 0));
    assertTrue(zero.getMessage().contains("all-zero"), zero.getMessage());
    double[] bad = pr.pixels[0].clone();
    bad[3] = 1.5;
    assertThrows(IllegalArgumentException.class,
        () -> Attacks.perturb(Attacks.Kind.PGD, params, chain, bad, y, null, 0));
  }

  /** PGD's 40 steps at MNIST size (d = 784, m = 1024): a guard against accidental O(d³) work. */
  @Test
  void pgdIsFastAtMnistSize() {
    int d = 784;
    int m = 1024;
    SplittableRandom rnd = new SplittableRandom(1);
    Matrix w = new Matrix(m, d);
    for (int k = 0; k < w.data().length; k++) {
      w.data()[k] = 0.05 * InputChainTest.gaussian(rnd);
    }
    Matrix a = TrainingRun.signs(m, 10, 0.01, d, 1, false);
    double[][] p0 = new double[6][d];
    Matrix x = new Matrix(p0.length, d);
    for (int i = 0; i < p0.length; i++) {
      for (int j = 0; j < d; j++) {
        p0[i][j] = rnd.nextDouble() < 0.8 ? 0 : rnd.nextDouble();
      }
      double[] u = InputChainTest.unit(p0[i]);
      System.arraycopy(u, 0, x.data(), i * d, d);
    }
    Matrix c0 = new Matrix(d, d);
    Blas.addGramian(x, c0.data());
    double[] y = new double[10];
    y[3] = 1;
    Attacks.Params pgd = Attacks.Params.defaults(Attacks.Kind.PGD, 0.3);
    for (InputChain chain : new InputChain[] {
        InputChain.relu(w, a, Trainer.Loss.CROSS_ENTROPY),
        InputChain.attn(w, a, Trainer.Loss.CROSS_ENTROPY, c0, false)}) {
      Attacks.perturb(Attacks.Kind.PGD, pgd, chain, p0[0], y, x.rowRange(0, 1).data(), 0); // warm-up
      long t0 = System.nanoTime();
      for (int i = 1; i < p0.length; i++) {
        double[] p = Attacks.perturb(Attacks.Kind.PGD, pgd, chain, p0[i], y, x.rowRange(i, i + 1).data(), i);
        assertInBallAndBox(p0[i], p, 0.3, chain.model().key());
      }
      double ms = (System.nanoTime() - t0) / 1e6 / (p0.length - 1);
      System.out.printf("PGD-40 %s d=%d m=%d: %.1f ms per example%n", chain.model().key(), d, m, ms);
      assertTrue(ms < 1000, "PGD took " + ms + " ms per example");
    }
  }
}
