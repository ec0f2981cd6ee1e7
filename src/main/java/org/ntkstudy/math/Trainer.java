package org.ntkstudy.math;

import java.util.SplittableRandom;

/**
 * Training of the two-layer network of SCIENCE §2 exactly as §4 specifies: only W is trained, the
 * output signs a (m×C) stay fixed; loss = batch mean of ½‖f − y‖² (binary, C = 1) or softmax
 * cross-entropy (multiclass, one-hot y); coupled L2 weight decay g ← g + λ_wd W; Adam
 * (β = (0.9, 0.999), ε = 1e-8) over minibatches reshuffled by (seed, epoch), or full-batch
 * gradient descent.
 */
public final class Trainer {
  /** The loss of §4. */
  public enum Loss {
    /** ½‖f − y‖², batch mean (binary targets ±1). */
    MSE,
    /** Softmax cross-entropy, batch mean (one-hot targets). */
    CROSS_ENTROPY
  }

  /** The optimiser of §4. */
  public enum Optimizer {
    ADAM,
    /** Full-batch gradient descent. */
    GD
  }

  private Trainer() {}

  /**
   * Outputs F = relu(X Wᵀ) a / √m (n×C) for first-layer weights W (m×d) and output signs a (m×C).
   */
  public static Matrix outputs(Matrix x, Matrix w, Matrix a) {
    Matrix z = Blas.multiplyTransposed(x, w);
    double[] za = z.data();
    for (int k = 0; k < za.length; k++) {
      za[k] = Math.max(0.0, za[k]);
    }
    Matrix f = Blas.multiply(z, a);
    scale(f, 1.0 / Math.sqrt(w.rows()));
    return f;
  }

  /**
   * The batch-mean loss (without the weight decay, which §4 couples into the gradient only).
   */
  public static double loss(Matrix f, Matrix y, Loss loss) {
    int b = f.rows();
    int c = f.cols();
    double total = 0;
    for (int i = 0; i < b; i++) {
      if (loss == Loss.MSE) {
        for (int j = 0; j < c; j++) {
          double r = f.get(i, j) - y.get(i, j);
          total += 0.5 * r * r;
        }
      } else {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
          max = Math.max(max, f.get(i, j));
        }
        double sum = 0;
        for (int j = 0; j < c; j++) {
          sum += Math.exp(f.get(i, j) - max);
        }
        double logZ = max + Math.log(sum);
        for (int j = 0; j < c; j++) {
          total -= y.get(i, j) * (f.get(i, j) - logZ);
        }
      }
    }
    return total / b;
  }

  /**
   * The gradient of the batch-mean loss with respect to W (m×d), plus λ_wd W: dL/dF = (F − Y)/b
   * (MSE) or (softmax(F) − Y)/b (cross-entropy); dL/dZ = (dL/dF aᵀ/√m) ∘ 1[Z > 0]; dL/dW = dZᵀ X.
   */
  public static Matrix gradient(Matrix x, Matrix y, Matrix w, Matrix a, Loss loss, double weightDecay) {
    int b = x.rows();
    int m = w.rows();
    double s = 1.0 / Math.sqrt(m);
    Matrix z = Blas.multiplyTransposed(x, w);
    Matrix h = z.copy();
    double[] ha = h.data();
    for (int k = 0; k < ha.length; k++) {
      ha[k] = Math.max(0.0, ha[k]);
    }
    Matrix f = Blas.multiply(h, a);
    scale(f, s);
    Matrix df = new Matrix(b, f.cols());
    for (int i = 0; i < b; i++) {
      if (loss == Loss.MSE) {
        for (int j = 0; j < f.cols(); j++) {
          df.set(i, j, (f.get(i, j) - y.get(i, j)) / b);
        }
      } else {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < f.cols(); j++) {
          max = Math.max(max, f.get(i, j));
        }
        double sum = 0;
        for (int j = 0; j < f.cols(); j++) {
          sum += Math.exp(f.get(i, j) - max);
        }
        for (int j = 0; j < f.cols(); j++) {
          df.set(i, j, (Math.exp(f.get(i, j) - max) / sum - y.get(i, j)) / b);
        }
      }
    }
    Matrix dz = Blas.multiplyTransposed(df, a); // b×m: dF aᵀ
    double[] dza = dz.data();
    double[] za = z.data();
    for (int k = 0; k < dza.length; k++) {
      dza[k] = za[k] > 0 ? dza[k] * s : 0.0;
    }
    Matrix g = Blas.multiplyTransposeLeft(dz, x); // m×d: dZᵀ X
    if (weightDecay != 0) {
      double[] ga = g.data();
      double[] wa = w.data();
      for (int k = 0; k < ga.length; k++) {
        ga[k] += weightDecay * wa[k];
      }
    }
    return g;
  }

  /** Adam's state for one weight matrix (§4: β1 = 0.9, β2 = 0.999, ε = 1e-8). */
  public static final class Adam {
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPS = 1e-8;
    private final double[] m1;
    private final double[] m2;
    private long t;

    public Adam(int size) {
      m1 = new double[size];
      m2 = new double[size];
    }

    /** One step W ← W − lr · m̂ / (√v̂ + ε), with bias-corrected moments. */
    public void step(Matrix w, Matrix g, double lr) {
      t++;
      double c1 = 1 - Math.pow(BETA1, t);
      double c2 = 1 - Math.pow(BETA2, t);
      double[] wa = w.data();
      double[] ga = g.data();
      for (int k = 0; k < wa.length; k++) {
        m1[k] = BETA1 * m1[k] + (1 - BETA1) * ga[k];
        m2[k] = BETA2 * m2[k] + (1 - BETA2) * ga[k] * ga[k];
        wa[k] -= lr * (m1[k] / c1) / (Math.sqrt(m2[k] / c2) + EPS);
      }
    }
  }

  /**
   * The minibatch order of an epoch: a permutation of 0..n−1 by Fisher–Yates with
   * SplittableRandom(SplitMix64-mixed (seed, epoch)), so the same (seed, epoch) gives the same
   * batches on any machine.
   */
  public static int[] epochOrder(int n, long seed, int epoch) {
    long z = seed * 0x9E3779B97F4A7C15L + epoch;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    SplittableRandom rnd = new SplittableRandom(z ^ (z >>> 31));
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private static void scale(Matrix a, double s) {
    double[] d = a.data();
    for (int k = 0; k < d.length; k++) {
      d[k] *= s;
    }
  }
}
