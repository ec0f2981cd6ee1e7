package org.ntkstudy.data;

import java.util.List;
import java.util.Objects;

/**
 * An image set over the raw unsigned bytes of one or more files, converted to p = byte / 255 only
 * when pixels are copied out: 60000 Fashion-MNIST images stay 47 MB of bytes, not 376 MB of
 * doubles, until the subset is chosen.
 */
final class ByteImageSet extends LabeledImageSet {

  /**
   * One file's bytes: image k (0-based in this file) has its pixels at {@code data[first + k *
   * stride ..]}. A stride larger than d skips interleaved bytes (CIFAR's label byte), so the file
   * is used as read, without a copy.
   */
  record Part(String name, byte[] data, int count, int first, int stride) {}

  private final Part[] parts;
  private final int[] starts;

  /**
   * @param unit what one image is called in {@link #describe} ("image" for IDX, "record" for
   *     CIFAR)
   */
  ByteImageSet(String source, String unit, int dim, int[] labels, List<Part> parts) {
    super(source, unit, dim, labels);
    this.parts = parts.toArray(new Part[0]);
    this.starts = new int[this.parts.length + 1];
    for (int p = 0; p < this.parts.length; p++) {
      Part part = this.parts[p];
      if ((long) part.first() + (long) (part.count() - 1) * part.stride() + dim
          > part.data().length && part.count() > 0) {
        throw new IllegalArgumentException(part.name() + ": part shorter than its images");
      }
      starts[p + 1] = starts[p] + part.count();
    }
    if (starts[this.parts.length] != labels.length) {
      throw new IllegalArgumentException(
          labels.length + " labels for " + starts[this.parts.length] + " images");
    }
  }

  @Override
  public void pixels(int i, double[] dst, int offset) {
    int p = part(i);
    Part part = parts[p];
    byte[] data = part.data();
    int base = part.first() + (i - starts[p]) * part.stride();
    for (int j = 0; j < dim; j++) {
      // Division, not multiplication by 1/255: the correctly rounded p, as numpy's x / 255 gives.
      dst[offset + j] = (data[base + j] & 0xff) / 255.0;
    }
  }

  @Override
  public String describe(int i) {
    int p = part(i);
    return parts[p].name() + " " + unit + " " + (i - starts[p]);
  }

  private int part(int i) {
    Objects.checkIndex(i, labels.length);
    int p = 0;
    // A handful of parts (CIFAR has five): a linear scan is enough.
    while (i >= starts[p + 1]) {
      p++;
    }
    return p;
  }
}
