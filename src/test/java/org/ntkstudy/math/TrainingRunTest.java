package org.ntkstudy.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** SCIENCE §4: lazy vs rich training, against kernel regression with the initial kernel. */
class TrainingRunTest {
  static final int N = 40;
  static final Matrix X = positiveUnitRows(N, 10, 3);
  static final Matrix Y = labels(X);

  static Matrix positiveUnitRows(int n, int d, long seed) {
    Matrix x = NtkKernelsTest.unitRows(n, d, seed);
    for (int k = 0; k < x.data().length; k++) {
      x.data()[k] = Math.abs(x.data()[k]);
    }
    return org.ntkstudy.data.Preprocess.normalizeRows(x);
  }

  static Matrix labels(Matrix x) {
    Matrix y = new Matrix(x.rows(), 1);
    for (int i = 0; i < x.rows(); i++) {
      y.set(i, 0, x.get(i, 0) > x.get(i, 1) ? 1 : -1);
    }
    return y;
  }

  /** The lazy network's train outputs against f_{t+1} = f_t − (η/n) Θ_0 (f_t − y), f_0 = 0. */
  static double lazyTrackingError(int m, int steps) {
    Matrix w0 = TwoLayerNetwork.initial(m, X.cols(), 1.0, 1, true).weights();
    Matrix a = TrainingRun.signs(m, 1, 1.0, X.cols(), 1, true);
    Matrix theta0 = TrainingRun.ntk(X, w0);
    double lmax = SymmetricEigen.values(theta0)[0];
    double eta = N / lmax; // half the stability limit 2n/λmax
    TrainingRun.Result r = TrainingRun.train(X, Y, X, Y, w0, a, Trainer.Loss.MSE,
        new TrainingRun.Recipe(Trainer.Optimizer.GD, steps, eta, N, 0.0), 1, new Matrix(N, 1));
    double[] f = new double[N];
    for (int t = 0; t < steps; t++) {
      double[] res = new double[N];
      for (int i = 0; i < N; i++) {
        res[i] = f[i] - Y.get(i, 0);
      }
      double[] next = f.clone();
      for (int i = 0; i < N; i++) {
        double s = 0;
        for (int j = 0; j < N; j++) {
          s += theta0.get(i, j) * res[j];
        }
        next[i] -= eta / N * s;
      }
      f = next;
    }
    Matrix fNet = Trainer.outputs(X, r.weights(), a);
    double num = 0;
    double den = 0;
    for (int i = 0; i < N; i++) {
      num += Math.pow(fNet.get(i, 0) - f[i], 2);
      den += f[i] * f[i];
    }
    return Math.sqrt(num / den);
  }

  @Test
  void lazyNetworkTracksKernelRegressionWithItsInitialKernel() {
    double narrow = lazyTrackingError(64, 50);
    double wide = lazyTrackingError(4096, 50);
    assertTrue(wide < 0.05, "m = 4096 tracks the linearised dynamics: relative error " + wide);
    assertTrue(wide < narrow, "wider tracks better: " + wide + " vs " + narrow);
  }

  @Test
  void kernelMovementFallsWithWidthInTheLazyRegime() {
    int[] widths = {64, 128, 256, 512, 1024, 2048};
    double[] lx = new double[widths.length];
    double[] ly = new double[widths.length];
    for (int k = 0; k < widths.length; k++) {
      int m = widths[k];
      double mean = 0;
      for (long seed = 0; seed < 4; seed++) {
        Matrix w0 = TwoLayerNetwork.initial(m, X.cols(), 1.0, seed, true).weights();
        Matrix a = TrainingRun.signs(m, 1, 1.0, X.cols(), seed, true);
        double lmax = SymmetricEigen.values(TrainingRun.ntk(X, w0))[0];
        mean += TrainingRun.train(X, Y, X, Y, w0, a, Trainer.Loss.MSE,
            new TrainingRun.Recipe(Trainer.Optimizer.GD, 30, N / lmax, N, 0.0), seed, new Matrix(N, 1)).kernelMovement();
      }
      lx[k] = Math.log10(m);
      ly[k] = Math.log10(mean / 4);
    }
    double slope = Statistics.ols(lx, ly).slope();
    assertTrue(slope <= -0.4, "kernel movement slope " + slope);
  }

  @Test
  void richRegimeMovesTheKernelMoreAndIsReported() {
    int m = 256;
    Matrix a = TrainingRun.signs(m, 1, 0.01, X.cols(), 2, false);
    TrainingRun.Result rich = TrainingRun.train(X, Y, X, Y, TwoLayerNetwork.initial(m, X.cols(), 0.01, 2, false).weights(),
        a, Trainer.Loss.MSE, new TrainingRun.Recipe(Trainer.Optimizer.ADAM, 50, 1e-2, 10, 1e-3), 2, new Matrix(N, 1));
    assertTrue(Double.isFinite(rich.kernelMovement()) && rich.kernelMovement() > 0);
    assertEquals(51, rich.curve().size());
    assertTrue(rich.curve().get(50).trainLoss() < rich.curve().get(0).trainLoss(), "Adam lowers the loss");
    assertTrue(rich.alignmentT() > rich.alignment0(), "features align with the targets in the rich regime: "
        + rich.alignment0() + " -> " + rich.alignmentT());
  }

  @Test
  void alignmentIsOneForTheTargetKernel() {
    assertEquals(1.0, TrainingRun.alignment(Blas.multiplyTransposed(Y, Y), Y), 1e-15);
  }
}
