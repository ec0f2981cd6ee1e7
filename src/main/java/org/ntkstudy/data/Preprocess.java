package org.ntkstudy.data;

import java.util.function.IntFunction;
import org.ntkstudy.math.InputNorm;
import org.ntkstudy.math.Matrix;

/**
 * The preprocessing step of SCIENCE §0 and §0.1 for the data layer: pixels p to inputs x = z/|z|
 * by an {@link InputNorm} (default {@code unit}, x = p/|p|), with the pixels checked first so that
 * a bad image is a {@link DataFormatException} naming the image, never a NaN downstream.
 */
public final class Preprocess {
  private Preprocess() {}

  /** {@link #normalizeRows(Matrix, IntFunction)} with rows named "row i". */
  public static Matrix normalizeRows(Matrix pixels) {
    return normalizeRows(pixels, i -> "row " + i);
  }

  /**
   * A new matrix whose row i is pixels row i divided by its ℓ2 norm ({@code unit}). Errors (naming
   * the image by {@code describe.apply(i)}): a NaN or infinite pixel, a pixel outside [0, 1], an
   * all-zero image (SCIENCE §0: an input error, not a NaN).
   */
  public static Matrix normalizeRows(Matrix pixels, IntFunction<String> describe) {
    return normalize(InputNorm.unit(), pixels, describe);
  }

  /** {@link #normalize(InputNorm, Matrix, IntFunction)} with rows named "row i". */
  public static Matrix normalize(InputNorm norm, Matrix pixels) {
    return normalize(norm, pixels, i -> "row " + i);
  }

  /**
   * {@link InputNorm#apply}: row i is x = z/|z| of pixels row i with {@code norm}'s fixed
   * statistics; the same errors as {@link #normalizeRows(Matrix, IntFunction)}, and an image whose
   * z is zero (SCIENCE §0.1).
   */
  public static Matrix normalize(InputNorm norm, Matrix pixels, IntFunction<String> describe) {
    try {
      return norm.apply(pixels, describe);
    } catch (InputNorm.InputError e) {
      throw new DataFormatException(e.getMessage(), e);
    }
  }

  /**
   * {@link InputNorm#fit}: the statistics of {@code kind} from the selected clean training pixels
   * (SCIENCE §0.1), a bad pixel a {@link DataFormatException} naming the image.
   */
  public static InputNorm fit(InputNorm.Kind kind, Matrix trainPixels, IntFunction<String> describe) {
    try {
      return InputNorm.fit(kind, trainPixels, describe);
    } catch (InputNorm.InputError e) {
      throw new DataFormatException(e.getMessage(), e);
    }
  }
}
