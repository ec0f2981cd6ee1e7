package org.ntkstudy.bench.support;

import java.util.SplittableRandom;
import org.ntkstudy.math.Matrix;

/** Seeded random matrices the benches time and their tests run on: the same seed, the same matrix. */
public final class RandomMatrices {
  private RandomMatrices() {}

  /** A symmetric m×m matrix of uniform entries in [−1, 1), the same for the same seed. */
  public static Matrix symmetric(int m, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix s = new Matrix(m, m);
    double[] a = s.data();
    for (int i = 0; i < m; i++) {
      for (int j = i; j < m; j++) {
        double v = 2 * rnd.nextDouble() - 1;
        a[i * m + j] = v;
        a[j * m + i] = v;
      }
    }
    return s;
  }

  /** n random rows of dimension d scaled to unit length, like the study's inputs x = p/|p|. */
  public static Matrix unitRows(int n, int d, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix x = new Matrix(n, d);
    double[] a = x.data();
    for (int i = 0; i < n; i++) {
      double norm = 0;
      for (int j = 0; j < d; j++) {
        double v = rnd.nextDouble();
        a[i * d + j] = v;
        norm += v * v;
      }
      double inv = 1 / Math.sqrt(norm);
      for (int j = 0; j < d; j++) {
        a[i * d + j] *= inv;
      }
    }
    return x;
  }
}
