package org.ntkstudy.math;

import java.util.SplittableRandom;

/**
 * The two-layer ReLU network of SCIENCE §2 at width m: f(x) = (1/√m) Σ_r a_r relu(w_r·x), first
 * layer W (m×d) trained, output signs a_r ∈ {±1} fixed (half of each, shuffled by the seed), or
 * with {@code symmetric} every neuron paired with its negated twin so that f ≡ 0 at
 * initialisation (choice). Single output; multiclass uses one sign column per class.
 */
public final class TwoLayerNetwork {
  private final Matrix w;
  private final double[] signs;

  public TwoLayerNetwork(Matrix w, double[] signs) {
    if (signs.length != w.rows()) {
      throw new IllegalArgumentException(signs.length + " output signs for width " + w.rows());
    }
    this.w = w;
    this.signs = signs;
  }

  /**
   * The initialisation for (m, d, σ0, seed): W_rk ~ N(0, σ0²) from SplittableRandom(seed), then the
   * signs: half +1, half −1, shuffled (Fisher–Yates) by the same generator. With symmetric, neuron
   * m/2 + r is the negated twin of r: w_{m/2+r} = w_r and a_{m/2+r} = −a_r (m must be even).
   */
  public static TwoLayerNetwork initial(int m, int d, double sigma0, long seed, boolean symmetric) {
    if (m <= 0 || (symmetric && m % 2 != 0)) {
      throw new IllegalArgumentException("width must be positive" + (symmetric ? " and even" : "") + ", got " + m);
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix w = new Matrix(m, d);
    int drawn = symmetric ? m / 2 : m;
    double[] a = w.data();
    for (int k = 0; k < drawn * d; k++) {
      a[k] = sigma0 * gaussian(rnd);
    }
    double[] signs = new double[m];
    for (int r = 0; r < drawn; r++) {
      signs[r] = r < (drawn + 1) / 2 ? 1.0 : -1.0;
    }
    for (int r = drawn - 1; r > 0; r--) {
      int s = rnd.nextInt(r + 1);
      double t = signs[r];
      signs[r] = signs[s];
      signs[s] = t;
    }
    if (symmetric) {
      System.arraycopy(a, 0, a, drawn * d, drawn * d);
      for (int r = 0; r < drawn; r++) {
        signs[drawn + r] = -signs[r];
      }
    }
    return new TwoLayerNetwork(w, signs);
  }

  /** A standard normal by the Box–Muller transform (both uniforms from the seeded generator). */
  private static double gaussian(SplittableRandom rnd) {
    double u1 = 1.0 - rnd.nextDouble();
    double u2 = rnd.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  public Matrix weights() {
    return w;
  }

  public double[] signs() {
    return signs;
  }

  public int width() {
    return w.rows();
  }

  /** f(x) for every row of x. */
  public double[] outputs(Matrix x) {
    Matrix z = Blas.multiplyTransposed(x, w);
    double[] out = new double[x.rows()];
    int m = w.rows();
    double scale = 1.0 / Math.sqrt(m);
    double[] za = z.data();
    for (int i = 0; i < out.length; i++) {
      double s = 0;
      for (int r = 0; r < m; r++) {
        double v = za[i * m + r];
        if (v > 0) {
          s += signs[r] * v;
        }
      }
      out[i] = s * scale;
    }
    return out;
  }
}
