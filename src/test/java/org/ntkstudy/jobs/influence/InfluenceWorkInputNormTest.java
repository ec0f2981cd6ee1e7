package org.ntkstudy.jobs.influence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ntkstudy.math.Attacks;
import org.ntkstudy.math.Attention;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.InputNorm;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.Model;
import org.ntkstudy.math.Trainer;

/** SCIENCE §0.1: an attack on training examples leaves the input normalisation's statistics as they were. */
class InfluenceWorkInputNormTest {
  static final int N = 16;
  static final int D = 10;
  static final int M = 8;

  static Matrix pixels(SplittableRandom rnd, int n) {
    Matrix p = new Matrix(n, D);
    for (int k = 0; k < p.data().length; k++) {
      p.data()[k] = 0.05 + 0.9 * rnd.nextDouble();
    }
    return p;
  }

  static double[] row(Matrix m, int i) {
    return java.util.Arrays.copyOfRange(m.data(), i * m.cols(), (i + 1) * m.cols());
  }

  @Test
  void attackedTrainingExamplesAreNormalisedWithTheCleanStatistics() {
    for (InputNorm.Kind kind : InputNorm.Kind.values()) {
      for (Model model : Model.values()) {
        SplittableRandom rnd = new SplittableRandom(17 + kind.ordinal());
        Matrix p = pixels(rnd, N);
        Matrix pt = pixels(rnd, 6);
        InputNorm norm = InputNorm.fit(kind, p);
        double[] meanBefore = norm.mean();
        double[] sigmaBefore = norm.sigma();
        double sBefore = norm.scalarSd();
        Matrix x = norm.apply(p);
        Matrix xt = norm.apply(pt);
        Matrix c = Blas.multiplyTransposeLeft(x, x);
        Blas.symmetrize(c);
        Matrix y = new Matrix(N, 1);
        for (int i = 0; i < N; i++) {
          y.data()[i] = i % 2 == 0 ? 1 : -1;
        }
        InfluenceWork.Setup s = new InfluenceWork.Setup(model, p, pt, x, xt, model == Model.ATTN ? c : null, y,
            new Matrix(6, 1), Trainer.Loss.MSE, 1e-3, true, false, norm);
        Matrix w = new Matrix(M, D);
        for (int k = 0; k < w.data().length; k++) {
          w.data()[k] = rnd.nextDouble() - 0.5;
        }
        Matrix a = new Matrix(M, 1);
        for (int r = 0; r < M; r++) {
          a.data()[r] = r % 2 == 0 ? 1 : -1;
        }
        int[] attacked = {0, 5, 9};
        Matrix pa = InfluenceWork.perturbed(s, new InfluenceWork.Net(0, w, a), attacked, Attacks.Kind.PGD,
            Attacks.Params.defaults(Attacks.Kind.PGD, 0.3), 4);
        assertTrue(maxAbsDiff(p.data(), pa.data()) > 0.05, kind + ": the attack changed nothing");
        Matrix[] inputs = InfluenceWork.modelInputs(s, pa);
        // The statistics are those of the clean training pixels, unchanged.
        assertArrayEquals(meanBefore, norm.mean(), 0.0);
        assertArrayEquals(sigmaBefore, norm.sigma(), 0.0);
        assertEquals(sBefore, norm.scalarSd(), 0.0);
        Matrix xa = norm.apply(pa);
        Matrix want = model == Model.RELU ? xa : Attention.attend(xa, gram(xa), 0);
        assertArrayEquals(want.data(), inputs[0].data(), 0.0, kind + " " + model);
        if (model == Model.RELU) {
          // Unattacked rows keep their clean inputs bit for bit, and the test inputs are the clean ones.
          for (int i = 0; i < N; i++) {
            if (i != 0 && i != 5 && i != 9) {
              assertArrayEquals(row(x, i), row(inputs[0], i), 0.0, kind + " row " + i);
            }
          }
          assertArrayEquals(xt.data(), inputs[1].data(), 0.0);
        } else {
          assertArrayEquals(Attention.attend(xt, gram(xa), 0).data(), inputs[1].data(), 0.0);
        }
        if (kind != InputNorm.Kind.UNIT) {
          // Refitting on the attacked pixels would have given other inputs.
          Matrix refit = InputNorm.fit(kind, pa).apply(pa);
          assertTrue(maxAbsDiff(refit.data(), xa.data()) > 1e-6, kind + ": refitting made no difference");
        }
      }
    }
  }

  static Matrix gram(Matrix x) {
    Matrix c = Blas.multiplyTransposeLeft(x, x);
    Blas.symmetrize(c);
    return c;
  }

  static double maxAbsDiff(double[] u, double[] v) {
    double m = 0;
    for (int k = 0; k < u.length; k++) {
      m = Math.max(m, Math.abs(u[k] - v[k]));
    }
    return m;
  }
}
