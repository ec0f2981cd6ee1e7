package org.ntkstudy.math;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One training run of SCIENCE §4 and what §4 records about it: the loss and accuracy curves, the
 * NTK distance to f_{H∞}, the kernel movement and distance between Θ_0 and Θ_T, and the
 * kernel–target alignment at 0 and T. Pure Java: a Spark task runs one of these per grid cell.
 */
public final class TrainingRun {
  /**
   * The recipe.
   *
   * @param lr Adam's learning rate, or gradient descent's step
   * @param batch minibatch size (Adam; gradient descent is full-batch)
   * @param weightDecay λ_wd, coupled into the gradient
   */
  public record Recipe(Trainer.Optimizer optimizer, int epochs, double lr, int batch, double weightDecay)
      implements java.io.Serializable {}

  /** Per-epoch figures (index 0 is before training). */
  public record Epoch(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy)
      implements java.io.Serializable {}

  /**
   * Everything recorded.
   *
   * @param ntkDistance ‖f_T(X*) − f_NTK(X*)‖_F with f_NTK = f_{H∞}
   * @param ntkDistanceRelative the same over ‖f_NTK(X*)‖_F
   * @param kernelMovement ‖Θ_T − Θ_0‖_F / ‖Θ_0‖_F
   * @param kernelDistance 1 − ⟨Θ_0, Θ_T⟩_F / (‖Θ_0‖_F ‖Θ_T‖_F) (Fort et al. 2020)
   */
  public record Result(List<Epoch> curve, Matrix weights, Matrix signs, double ntkDistance,
      double ntkDistanceRelative, double kernelMovement, double kernelDistance, double alignment0,
      double alignmentT) {}

  private TrainingRun() {}

  /**
   * Output signs a (m×C): half +1, half −1 per output, shuffled by (seed, output); with
   * {@code symmetric}, neuron m/2 + r has −a_r (SCIENCE §2). One output uses the signs of
   * {@link TwoLayerNetwork#initial}, so the kernel job's network is this one.
   */
  public static Matrix signs(int m, int outputs, double sigma0, int d, long seed, boolean symmetric) {
    Matrix a = new Matrix(m, outputs);
    for (int c = 0; c < outputs; c++) {
      double[] col;
      if (c == 0) {
        col = TwoLayerNetwork.initial(m, 1, sigma0, seed, symmetric).signs();
      } else {
        int drawn = symmetric ? m / 2 : m;
        col = new double[m];
        for (int r = 0; r < drawn; r++) {
          col[r] = r < (drawn + 1) / 2 ? 1.0 : -1.0;
        }
        SplittableRandom rnd = new SplittableRandom(seed * 31 + c);
        for (int r = drawn - 1; r > 0; r--) {
          int s = rnd.nextInt(r + 1);
          double t = col[r];
          col[r] = col[s];
          col[s] = t;
        }
        if (symmetric) {
          for (int r = 0; r < drawn; r++) {
            col[drawn + r] = -col[r];
          }
        }
      }
      for (int r = 0; r < m; r++) {
        a.set(r, c, col[r]);
      }
    }
    return a;
  }

  /**
   * Trains from (W0, a) on (x, y) and measures against f_NTK on the test set.
   *
   * @param fNtkTest f_{H∞}(X*) (n*×C)
   */
  public static Result train(Matrix x, Matrix y, Matrix xTest, Matrix yTest, Matrix w0, Matrix a, Trainer.Loss loss,
      Recipe recipe, long seed, Matrix fNtkTest) {
    Matrix w = w0.copy();
    Matrix theta0 = ntk(x, w);
    List<Epoch> curve = new ArrayList<>();
    curve.add(epoch(0, x, y, xTest, yTest, w, a, loss));
    Trainer.Adam adam = new Trainer.Adam(w.data().length);
    for (int e = 1; e <= recipe.epochs(); e++) {
      epochUpdates(x, y, w, a, loss, recipe, seed, e, adam);
      curve.add(epoch(e, x, y, xTest, yTest, w, a, loss));
    }
    Matrix thetaT = ntk(x, w);
    Matrix fTest = Trainer.outputs(xTest, w, a);
    double dist = 0;
    double norm = 0;
    for (int k = 0; k < fTest.data().length; k++) {
      double v = fTest.data()[k] - fNtkTest.data()[k];
      dist += v * v;
      norm += fNtkTest.data()[k] * fNtkTest.data()[k];
    }
    dist = Math.sqrt(dist);
    double n0 = frob(theta0);
    double nT = frob(thetaT);
    double diff = 0;
    double dot = 0;
    for (int k = 0; k < theta0.data().length; k++) {
      double d = thetaT.data()[k] - theta0.data()[k];
      diff += d * d;
      dot += theta0.data()[k] * thetaT.data()[k];
    }
    return new Result(curve, w, a, dist, norm > 0 ? dist / Math.sqrt(norm) : Double.NaN,
        Math.sqrt(diff) / n0, 1 - dot / (n0 * nT), alignment(theta0, y), alignment(thetaT, y));
  }

  /**
   * The weight updates of epoch {@code e} (1-based) in place: one full-batch step for gradient
   * descent, or Adam over the minibatches of {@link Trainer#epochOrder}(n, seed, e).
   */
  public static void epochUpdates(Matrix x, Matrix y, Matrix w, Matrix a, Trainer.Loss loss, Recipe recipe, long seed,
      int e, Trainer.Adam adam) {
    int n = x.rows();
    if (recipe.optimizer() == Trainer.Optimizer.GD) {
      step(w, Trainer.gradient(x, y, w, a, loss, recipe.weightDecay()), recipe.lr());
      return;
    }
    int[] order = Trainer.epochOrder(n, seed, e);
    for (int b0 = 0; b0 < n; b0 += recipe.batch()) {
      int[] idx = java.util.Arrays.copyOfRange(order, b0, Math.min(n, b0 + recipe.batch()));
      adam.step(w, Trainer.gradient(x.selectRows(idx), y.selectRows(idx), w, a, loss, recipe.weightDecay()),
          recipe.lr());
    }
  }

  /** A(K) = ⟨K, YYᵀ⟩_F / (‖K‖_F ‖YYᵀ‖_F) (SCIENCE §4). */
  public static double alignment(Matrix k, Matrix y) {
    Matrix yy = Blas.multiplyTransposed(y, y);
    double dot = 0;
    for (int i = 0; i < k.data().length; i++) {
      dot += k.data()[i] * yy.data()[i];
    }
    return dot / (frob(k) * frob(yy));
  }

  /** Θ of the network with first layer W on x (SCIENCE §2, structured formula). */
  public static Matrix ntk(Matrix x, Matrix w) {
    long[] d = NtkKernels.packedPattern(x, w);
    return NtkKernels.empiricalNtkPacked(x, d, x, d, w.rows(), true);
  }

  private static Epoch epoch(int e, Matrix x, Matrix y, Matrix xt, Matrix yt, Matrix w, Matrix a, Trainer.Loss loss) {
    Matrix f = Trainer.outputs(x, w, a);
    Matrix ft = xt.rows() > 0 ? Trainer.outputs(xt, w, a) : null;
    return new Epoch(e, Trainer.loss(f, y, loss), accuracy(f, y),
        ft == null ? Double.NaN : Trainer.loss(ft, yt, loss), ft == null ? Double.NaN : accuracy(ft, yt));
  }

  /** Sign agreement for one output (targets ±1), arg-max agreement for several (one-hot). */
  public static double accuracy(Matrix f, Matrix y) {
    int right = 0;
    for (int i = 0; i < f.rows(); i++) {
      if (f.cols() == 1) {
        right += (f.get(i, 0) > 0) == (y.get(i, 0) > 0) ? 1 : 0;
      } else {
        int best = 0;
        int truth = 0;
        for (int c = 1; c < f.cols(); c++) {
          best = f.get(i, c) > f.get(i, best) ? c : best;
          truth = y.get(i, c) > y.get(i, truth) ? c : truth;
        }
        right += best == truth ? 1 : 0;
      }
    }
    return (double) right / f.rows();
  }

  private static void step(Matrix w, Matrix g, double lr) {
    for (int k = 0; k < w.data().length; k++) {
      w.data()[k] -= lr * g.data()[k];
    }
  }

  private static double frob(Matrix a) {
    double s = 0;
    for (double v : a.data()) {
      s += v * v;
    }
    return Math.sqrt(s);
  }
}
