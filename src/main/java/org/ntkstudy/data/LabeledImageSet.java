package org.ntkstudy.data;

import java.util.Objects;

/**
 * What every stored image set shares: where it came from, what one image is called, its
 * dimension and its labels; subclasses say only how pixels are kept.
 */
abstract class LabeledImageSet implements ImageSet {
  protected final String source;
  protected final String unit;
  protected final int dim;
  protected final int[] labels;

  LabeledImageSet(String source, String unit, int dim, int[] labels) {
    this.source = source;
    this.unit = unit;
    this.dim = dim;
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
}
