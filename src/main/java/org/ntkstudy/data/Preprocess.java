package org.ntkstudy.data;

import java.util.function.IntFunction;
import org.ntkstudy.math.Matrix;

/**
 * The one preprocessing step of SCIENCE §0: x = p / ‖p‖₂ per image, with the pixels checked first
 * so that a bad image is an input error naming the image, never a NaN downstream.
 */
public final class Preprocess {
  private Preprocess() {}

  /** {@link #normalizeRows(Matrix, IntFunction)} with rows named "row i". */
  public static Matrix normalizeRows(Matrix pixels) {
    return normalizeRows(pixels, i -> "row " + i);
  }

  /**
   * A new matrix whose row i is pixels row i divided by its ℓ2 norm. Errors (naming the image by
   * {@code describe.apply(i)}): a NaN or infinite pixel, a pixel outside [0, 1], an all-zero image
   * (SCIENCE §0: an input error, not a NaN).
   */
  public static Matrix normalizeRows(Matrix pixels, IntFunction<String> describe) {
    int n = pixels.rows();
    int d = pixels.cols();
    double[] p = pixels.data();
    double[] x = new double[p.length];
    for (int i = 0; i < n; i++) {
      int base = i * d;
      double sum = 0;
      for (int j = 0; j < d; j++) {
        double v = p[base + j];
        if (!Double.isFinite(v)) {
          throw new DataFormatException(describe.apply(i) + ": pixel " + j + " is " + v);
        }
        if (v < 0 || v > 1) {
          throw new DataFormatException(
              describe.apply(i) + ": pixel " + j + " = " + v + " is outside [0, 1]");
        }
        // A plain sequential sum: the same order on every machine gives bit-identical inputs.
        sum += v * v;
      }
      if (sum == 0 && !allZero(p, base, d)) {
        throw new DataFormatException(
            describe.apply(i) + ": its pixels are so small that |p|^2 underflows to 0; rescale them");
      }
      if (sum == 0) {
        throw new DataFormatException(
            describe.apply(i) + " is all zero: x = p/|p| is undefined (SCIENCE §0); drop the image");
      }
      double norm = Math.sqrt(sum);
      for (int j = 0; j < d; j++) {
        x[base + j] = p[base + j] / norm;
      }
    }
    return new Matrix(n, d, x);
  }

  private static boolean allZero(double[] p, int base, int d) {
    for (int j = 0; j < d; j++) {
      if (p[base + j] != 0) {
        return false;
      }
    }
    return true;
  }
}
