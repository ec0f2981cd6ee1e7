package org.ntkstudy.math;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * The input normalisation of SCIENCE §0.1 ({@code --input-norm}) with its statistics: pixels p ↦
 * z(p) ↦ x = z/|z|, where z is p ({@code unit}), p − μ ({@code center}), (p − μ)/σ per pixel
 * ({@code standardize}) or (p − m)/s ({@code scalar}).
 *
 * <p>The statistics are those of the n selected clean training examples, computed once by {@link
 * #fit} and held fixed afterwards (SCIENCE §0.1): every gradient treats them as constants ({@link
 * #backward} is the diagonal dz/dp), and perturbed training pixels (attacks, interventions,
 * retraining, leave-one-out) and test pixels are mapped with the same statistics. μ_j is the mean
 * of pixel j over the training rows; σ_j and s are <em>population</em> standard deviations
 * (divided by n, resp. n·d, not n − 1): σ_j = sqrt(Σ_i (p_ij − μ_j)² / n); m and s are the mean
 * and population standard deviation of all n·d training pixels. A pixel with σ_j &lt; {@link
 * #MIN_SIGMA} gets z_j = 0 and dz_j/dp_j = 0 (near-constant pixels would magnify ε).
 *
 * <p>An image whose z is zero has no x (an input error, SCIENCE §0 and §0.1): {@link #apply}
 * throws an {@link InputError} naming the image. {@code unit} computes exactly what the earlier
 * {@code Preprocess.normalizeRows} did, in the same summation order, so its inputs are
 * bit-identical.
 *
 * <p>Immutable (the statistics arrays are never exposed, only copies) and serializable, so that
 * it travels with the data to every stage that recomputes inputs from pixels.
 */
public final class InputNorm implements Serializable {
  private static final long serialVersionUID = 1L;

  /** σ_j below this: pixel j is near-constant and z_j = 0 ({@code standardize}, SCIENCE §0.1). */
  public static final double MIN_SIGMA = 0.01;

  /** The choices of {@code --input-norm} (SCIENCE §0.1). */
  public enum Kind {
    /** x = p/|p|. */
    UNIT,
    /** z = p − μ, μ the mean training image. */
    CENTER,
    /** z_j = (p_j − μ_j)/σ_j per pixel, 0 where σ_j &lt; 0.01. */
    STANDARDIZE,
    /** z = (p − m)/s with the scalar mean and standard deviation of all training pixels. */
    SCALAR;

    /** The option value: unit, center, standardize, scalar. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The kind named {@code key} (as {@link #key()}), or null when there is none. */
    public static Kind ofKey(String key) {
      for (Kind k : values()) {
        if (k.key().equals(key)) {
          return k;
        }
      }
      return null;
    }

    /** The option values, in declaration order. */
    public static List<String> keys() {
      return Arrays.stream(values()).map(Kind::key).toList();
    }
  }

  /** An image that cannot be normalised (a bad pixel, or z = 0); the message names the image. */
  public static final class InputError extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InputError(String message) {
      super(message);
    }
  }

  private static final InputNorm UNIT = new InputNorm(Kind.UNIT, -1, null, null, Double.NaN, Double.NaN);

  private final Kind kind;
  /** Pixels per image the statistics were fitted on, −1 for unit (any). */
  private final int dim;
  /** μ (center, standardize), else null. */
  private final double[] mean;
  /** σ (standardize), else null. */
  private final double[] sigma;
  /** m and s (scalar), else NaN. */
  private final double scalarMean;
  private final double scalarSd;

  private InputNorm(Kind kind, int dim, double[] mean, double[] sigma, double scalarMean, double scalarSd) {
    this.kind = kind;
    this.dim = dim;
    this.mean = mean;
    this.sigma = sigma;
    this.scalarMean = scalarMean;
    this.scalarSd = scalarSd;
  }

  /** x = p/|p|: no statistics. */
  public static InputNorm unit() {
    return UNIT;
  }

  /** {@link #fit(Kind, Matrix, IntFunction)} with rows named "row i". */
  public static InputNorm fit(Kind kind, Matrix trainPixels) {
    return fit(kind, trainPixels, i -> "row " + i);
  }

  /**
   * The normalisation {@code kind} with the statistics of {@code trainPixels} (n×d, the n selected
   * clean training examples, p ∈ [0, 1]); the pixels are checked first as by {@link #apply}.
   * Sums run over the rows in order (then, for m and s, over the pixels in order), so the same
   * pixels give bit-identical statistics.
   *
   * @throws InputError for a bad pixel (naming the image by {@code describe}), no rows, or
   *     ({@code scalar}) s = 0
   */
  public static InputNorm fit(Kind kind, Matrix trainPixels, IntFunction<String> describe) {
    if (kind == null) {
      throw new IllegalArgumentException("the input normalisation kind is required");
    }
    if (kind == Kind.UNIT) {
      return UNIT;
    }
    int n = trainPixels.rows();
    int d = trainPixels.cols();
    if (n == 0) {
      throw new InputError("input normalisation " + kind.key() + " needs training images for its statistics");
    }
    double[] p = trainPixels.data();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        checkPixel(p[i * d + j], i, j, describe);
      }
    }
    if (kind == Kind.SCALAR) {
      double sum = 0;
      for (int k = 0; k < n * d; k++) {
        sum += p[k];
      }
      double m = sum / ((double) n * d);
      double ss = 0;
      for (int k = 0; k < n * d; k++) {
        double v = p[k] - m;
        ss += v * v;
      }
      double s = Math.sqrt(ss / ((double) n * d));
      if (!(s > 0)) {
        throw new InputError("input normalisation scalar: every training pixel equals " + m
            + ", so s = 0 and z = (p − m)/s is undefined (SCIENCE §0.1); use --input-norm unit or center");
      }
      return new InputNorm(kind, d, null, null, m, s);
    }
    double[] mu = new double[d];
    for (int i = 0; i < n; i++) {
      int base = i * d;
      for (int j = 0; j < d; j++) {
        mu[j] += p[base + j];
      }
    }
    for (int j = 0; j < d; j++) {
      mu[j] /= n;
    }
    if (kind == Kind.CENTER) {
      return new InputNorm(kind, d, mu, null, Double.NaN, Double.NaN);
    }
    double[] var = new double[d];
    for (int i = 0; i < n; i++) {
      int base = i * d;
      for (int j = 0; j < d; j++) {
        double v = p[base + j] - mu[j];
        var[j] += v * v;
      }
    }
    double[] sd = new double[d];
    for (int j = 0; j < d; j++) {
      sd[j] = Math.sqrt(var[j] / n);
    }
    return new InputNorm(kind, d, mu, sd, Double.NaN, Double.NaN);
  }

  public Kind kind() {
    return kind;
  }

  /** Pixels per image of the statistics; −1 for unit (any d). */
  public int dimension() {
    return dim;
  }

  /** μ (a copy; center and standardize), else null. */
  public double[] mean() {
    return mean == null ? null : mean.clone();
  }

  /** σ, the population standard deviation per pixel (a copy; standardize), else null. */
  public double[] sigma() {
    return sigma == null ? null : sigma.clone();
  }

  /** m (scalar), else NaN. */
  public double scalarMean() {
    return scalarMean;
  }

  /** s, the population standard deviation of all training pixels (scalar), else NaN. */
  public double scalarSd() {
    return scalarSd;
  }

  /** True for {@code unit}: z = p, and the loss depends on p only through its direction. */
  public boolean isUnit() {
    return kind == Kind.UNIT;
  }

  /**
   * z(p) of one image: {@code p[off..off+d)} into {@code out[0..d)} (no checks of the pixel
   * values; {@link #apply} checks them).
   */
  public void z(double[] p, int off, double[] out, int d) {
    requireDim(d);
    switch (kind) {
      case UNIT -> System.arraycopy(p, off, out, 0, d);
      case CENTER -> {
        for (int j = 0; j < d; j++) {
          out[j] = p[off + j] - mean[j];
        }
      }
      case STANDARDIZE -> {
        for (int j = 0; j < d; j++) {
          out[j] = sigma[j] < MIN_SIGMA ? 0.0 : (p[off + j] - mean[j]) / sigma[j];
        }
      }
      case SCALAR -> {
        for (int j = 0; j < d; j++) {
          out[j] = (p[off + j] - scalarMean) / scalarSd;
        }
      }
      default -> throw new IllegalStateException(kind.toString());
    }
  }

  /** z(p) of one image, a new array. */
  public double[] z(double[] p) {
    double[] out = new double[p.length];
    z(p, 0, out, p.length);
    return out;
  }

  /** dz_j/dp_j, the diagonal of dz/dp: 1, 1/σ_j (0 where σ_j &lt; 0.01) or 1/s. */
  public double derivative(int j) {
    switch (kind) {
      case UNIT, CENTER:
        return 1.0;
      case STANDARDIZE:
        return sigma[j] < MIN_SIGMA ? 0.0 : 1.0 / sigma[j];
      case SCALAR:
        return 1.0 / scalarSd;
      default:
        throw new IllegalStateException(kind.toString());
    }
  }

  /**
   * The backward step dL/dp = (dz/dp)ᵀ dL/dz (dz/dp diagonal, the statistics constant), in place
   * on {@code g} (length d): unchanged for unit and center.
   */
  public void backward(double[] g) {
    requireDim(g.length);
    switch (kind) {
      case UNIT, CENTER -> { }
      case STANDARDIZE -> {
        for (int j = 0; j < g.length; j++) {
          g[j] = sigma[j] < MIN_SIGMA ? 0.0 : g[j] / sigma[j];
        }
      }
      case SCALAR -> {
        for (int j = 0; j < g.length; j++) {
          g[j] = g[j] / scalarSd;
        }
      }
      default -> throw new IllegalStateException(kind.toString());
    }
  }

  /** Why x is undefined at an image whose z is zero (SCIENCE §0, §0.1). */
  public String zeroMessage() {
    switch (kind) {
      case UNIT:
        return "all-zero image: |p| = 0, so x = p/|p| is undefined (an input error, SCIENCE §0)";
      case STANDARDIZE:
        return "z(p) = 0 (the image equals the training mean μ at every pixel with σ_j ≥ 0.01): x = z/|z|"
            + " is undefined under --input-norm standardize (an input error, SCIENCE §0.1)";
      default:
        return "z(p) = 0 (the image equals the training mean): x = z/|z| is undefined under --input-norm "
            + kind.key() + " (an input error, SCIENCE §0.1)";
    }
  }

  /** {@link #apply(Matrix, IntFunction)} with rows named "row i". */
  public Matrix apply(Matrix pixels) {
    return apply(pixels, i -> "row " + i);
  }

  /**
   * A new matrix whose row i is x = z/|z| of pixels row i. Errors ({@link InputError}, naming the
   * image by {@code describe.apply(i)}): a NaN or infinite pixel, a pixel outside [0, 1], an image
   * whose z is zero (SCIENCE §0: an input error, not a NaN) or so small that |z|² underflows.
   */
  public Matrix apply(Matrix pixels, IntFunction<String> describe) {
    int n = pixels.rows();
    int d = pixels.cols();
    requireDim(d);
    double[] p = pixels.data();
    double[] x = new double[p.length];
    double[] z = isUnit() ? p : new double[d];
    for (int i = 0; i < n; i++) {
      int base = i * d;
      for (int j = 0; j < d; j++) {
        checkPixel(p[base + j], i, j, describe);
      }
      int zoff = base;
      if (!isUnit()) {
        z(p, base, z, d);
        zoff = 0;
      }
      double sum = 0;
      for (int j = 0; j < d; j++) {
        double v = z[zoff + j];
        // A plain sequential sum: the same order on every machine gives bit-identical inputs.
        sum += v * v;
      }
      if (sum == 0 && !allZero(z, zoff, d)) {
        throw new InputError(describe.apply(i) + ": its "
            + (isUnit() ? "pixels are so small that |p|^2" : "z = " + kind.key() + "(p) is so small that |z|^2")
            + " underflows to 0; rescale them");
      }
      if (sum == 0) {
        throw new InputError(describe.apply(i) + (isUnit()
            ? " is all zero: x = p/|p| is undefined (SCIENCE §0); drop the image"
            : " has z = 0 under --input-norm " + kind.key() + " (it equals the training mean"
                + (kind == Kind.STANDARDIZE ? " at every pixel with σ_j ≥ 0.01" : "")
                + "): x = z/|z| is undefined (SCIENCE §0.1); drop the image"));
      }
      double norm = Math.sqrt(sum);
      for (int j = 0; j < d; j++) {
        x[base + j] = z[zoff + j] / norm;
      }
    }
    return new Matrix(n, d, x);
  }

  private static void checkPixel(double v, int i, int j, IntFunction<String> describe) {
    if (!Double.isFinite(v)) {
      throw new InputError(describe.apply(i) + ": pixel " + j + " is " + v);
    }
    if (v < 0 || v > 1) {
      throw new InputError(describe.apply(i) + ": pixel " + j + " = " + v + " is outside [0, 1]");
    }
  }

  private void requireDim(int d) {
    if (dim >= 0 && d != dim) {
      throw new IllegalArgumentException("input normalisation " + kind.key() + " was fitted on images of "
          + dim + " pixels, got " + d);
    }
  }

  private static boolean allZero(double[] v, int base, int d) {
    for (int j = 0; j < d; j++) {
      if (v[base + j] != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "InputNorm[" + kind.key() + (dim >= 0 ? ", d " + dim : "") + "]";
  }
}
