package org.ntkstudy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Small datasets in real file formats, written by tests, for running whole jobs anywhere. */
public final class TestData {
  private TestData() {}

  /**
   * Writes an uncompressed IDX dataset (train-/t10k- images and labels) of side×side images with
   * labels cycling 0..9 and random pixels; a border of {@code zeroBorder} pixels is zero in every
   * image, as in natural digit images, so the Gram matrix can be rank deficient.
   */
  public static Path idxDataset(Path dir, int nTrain, int nTest, int side, int zeroBorder, long seed) {
    Random rnd = new Random(seed);
    try {
      Files.createDirectories(dir);
      writeSplit(dir, "train", nTrain, side, zeroBorder, rnd);
      writeSplit(dir, "t10k", nTest, side, zeroBorder, rnd);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeSplit(Path dir, String prefix, int n, int side, int border, Random rnd)
      throws IOException {
    ByteBuffer images = ByteBuffer.allocate(16 + n * side * side);
    images.putInt(0x00000803).putInt(n).putInt(side).putInt(side);
    ByteBuffer labels = ByteBuffer.allocate(8 + n);
    labels.putInt(0x00000801).putInt(n);
    for (int i = 0; i < n; i++) {
      labels.put((byte) (i % 10));
      for (int r = 0; r < side; r++) {
        for (int c = 0; c < side; c++) {
          boolean edge = r < border || c < border || r >= side - border || c >= side - border;
          images.put(edge ? 0 : (byte) (1 + rnd.nextInt(255)));
        }
      }
    }
    Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
    Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
  }

  /** Every CSV and .npy under an output folder, by relative path: what resume tests compare byte for byte. */
  public static java.util.Map<String, byte[]> resultFiles(Path dir) throws IOException {
    java.util.Map<String, byte[]> out = new java.util.TreeMap<>();
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String rel = dir.relativize(f).toString();
        if (rel.endsWith(".csv") || rel.endsWith(".npy")) {
          out.put(rel, Files.readAllBytes(f));
        }
      }
    }
    return out;
  }

  /** True when the Debian Fashion-MNIST package is installed; under CI=true its absence fails. */
  /** Random targets: ±1 for one output, one-hot rows for several. */
  public static org.ntkstudy.math.Matrix targets(java.util.Random r, int rows, int outputs) {
    org.ntkstudy.math.Matrix y = new org.ntkstudy.math.Matrix(rows, outputs);
    for (int i = 0; i < rows; i++) {
      if (outputs == 1) {
        y.set(i, 0, r.nextBoolean() ? 1.0 : -1.0);
      } else {
        y.set(i, r.nextInt(outputs), 1.0);
      }
    }
    return y;
  }

  public static boolean fashionMnistInstalled() {
    boolean present = Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"));
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(
          "CI=true but Fashion-MNIST is missing: .ci/run must apt-get install dataset-fashion-mnist");
    }
    return present;
  }
}
