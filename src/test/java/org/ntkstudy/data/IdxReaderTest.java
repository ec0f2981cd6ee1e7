package org.ntkstudy.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path tmp;

  /** Three 2×3 images with bytes chosen to catch sign errors (200, 255) and offsets. */
  static final byte[] PIXELS = {
    0, 1, 2, 3, 4, 5, //
    (byte) 200, (byte) 255, 10, 20, 30, 40, //
    (byte) 128, 127, 0, 0, 0, 9
  };

  static final byte[] LABELS = {7, 0, 9};

  private Path[] writePair(String images, String labels, boolean gz) {
    byte[] img = DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 3, 2, 3, PIXELS);
    byte[] lab = DataFixtures.idxLabels(IdxReader.LABELS_MAGIC, LABELS);
    return new Path[] {
      DataFixtures.write(tmp.resolve(images), gz ? DataFixtures.gzip(img) : img),
      DataFixtures.write(tmp.resolve(labels), gz ? DataFixtures.gzip(lab) : lab)
    };
  }

  private static void assertRoundTrip(ImageSet s, String imageFile) {
    assertEquals(3, s.size());
    assertEquals(6, s.dim());
    assertArrayEquals(new int[] {7, 0, 9}, s.labels());
    double[] got = new double[18];
    for (int i = 0; i < 3; i++) {
      s.pixels(i, got, i * 6);
    }
    for (int k = 0; k < 18; k++) {
      assertEquals((PIXELS[k] & 0xff) / 255.0, got[k], 0.0, "value " + k);
    }
    assertEquals(200 / 255.0, got[6], 0.0);
    assertEquals(1.0, got[7], 0.0);
    assertEquals(imageFile + " image 2", s.describe(2));
  }

  @Test
  void plainRoundTrip() {
    Path[] p = writePair("a-images", "a-labels", false);
    assertRoundTrip(IdxReader.read(p[0].toString(), p[1].toString(), DataFixtures.CONF), "a-images");
  }

  @Test
  void gzipRoundTrip() {
    Path[] p = writePair("a-images.gz", "a-labels.gz", true);
    assertRoundTrip(IdxReader.read(p[0].toString(), p[1].toString(), DataFixtures.CONF), "a-images.gz");
  }

  @Test
  void gzipRecognisedByMagicWithoutSuffix() {
    Path[] p = writePair("renamed-images", "renamed-labels", true);
    assertRoundTrip(
        IdxReader.read(p[0].toString(), p[1].toString(), DataFixtures.CONF), "renamed-images");
  }

  @Test
  void fileUriWorks() {
    Path[] p = writePair("u-images", "u-labels", false);
    assertRoundTrip(
        IdxReader.read(p[0].toUri().toString(), p[1].toUri().toString(), DataFixtures.CONF),
        "u-images");
  }

  @Test
  void readDirTakesPlainOrGzipNames() {
    int[] train = {1, 2, 3, 4};
    int[] test = {5, 6};
    Path dir = DataFixtures.idxDir(tmp.resolve("gz"), train, test, true);
    TrainTest tt = IdxReader.readDir(dir.toString(), DataFixtures.CONF);
    assertArrayEquals(train, tt.train().labels());
    assertArrayEquals(test, tt.test().labels());
    assertEquals(784, tt.train().dim());
    assertEquals("train-images-idx3-ubyte.gz image 1", tt.train().describe(1));
    assertEquals("t10k-images-idx3-ubyte.gz image 0", tt.test().describe(0));

    Path plain = DataFixtures.idxDir(tmp.resolve("plain"), train, test, false);
    TrainTest tp = IdxReader.readDir(plain.toString(), DataFixtures.CONF);
    double[] a = new double[784];
    double[] b = new double[784];
    tt.train().pixels(3, a, 0);
    tp.train().pixels(3, b, 0);
    assertArrayEquals(a, b, 0.0);
    assertEquals((4 * 20 + 1) / 255.0, a[0], 0.0);
    assertEquals(4 / 255.0, a[1], 0.0);
  }

  /** A label byte past the ten classes is corrupt data, named with its offset (not an eleventh class). */
  @Test
  void aLabelOutsideTheTenClassesIsAnError() {
    byte[] img = DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 3, 2, 3, PIXELS);
    byte[] lab = DataFixtures.idxLabels(IdxReader.LABELS_MAGIC, new byte[] {7, 0, (byte) 200});
    Path images = DataFixtures.write(tmp.resolve("bad-images"), img);
    Path labels = DataFixtures.write(tmp.resolve("bad-labels"), lab);
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> IdxReader.read(images.toString(), labels.toString(), DataFixtures.CONF));
    assertTrue(e.getMessage().contains("bad-labels") && e.getMessage().contains("label 2 (byte offset 10) is 200"),
        e.getMessage());
  }

  @Test
  void readDirListsWhatItLookedFor() {
    DataFormatException e =
        assertThrows(
            DataFormatException.class,
            () -> IdxReader.readDir(tmp.resolve("empty").toString(), DataFixtures.CONF));
    assertTrue(e.getMessage().contains("train-images-idx3-ubyte, train-images-idx3-ubyte.gz"), e.getMessage());
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  private DataFormatException readFails(byte[] images, byte[] labels) {
    Path img = DataFixtures.write(tmp.resolve("bad-images"), images);
    Path lab = DataFixtures.write(tmp.resolve("bad-labels"), labels);
    return assertThrows(
        DataFormatException.class,
        () -> IdxReader.read(img.toString(), lab.toString(), DataFixtures.CONF));
  }

  private static byte[] goodLabels() {
    return DataFixtures.idxLabels(IdxReader.LABELS_MAGIC, LABELS);
  }

  @Test
  void badMagicIsRejected() {
    DataFormatException e =
        readFails(DataFixtures.idxImages(0x00000804, 3, 2, 3, PIXELS), goodLabels());
    assertTrue(
        e.getMessage()
            .endsWith(
                "bad-images: bad magic number 0x00000804, expected 0x00000803 (IDX unsigned-byte"
                    + " images)"),
        e.getMessage());
  }

  @Test
  void swappedFilesAreNamedAsSuch() {
    DataFormatException e =
        readFails(goodLabels(), DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 3, 2, 3, PIXELS));
    assertTrue(e.getMessage().contains("bad-labels: bad magic number 0x00000803"), e.getMessage());
    assertTrue(e.getMessage().contains("swapped"), e.getMessage());
  }

  @Test
  void truncatedPayloadGivesBothSizes() {
    byte[] full = DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 3, 2, 3, PIXELS);
    DataFormatException e = readFails(Arrays.copyOf(full, 16 + 10), goodLabels());
    String m = e.getMessage();
    assertTrue(m.contains("bad-images: truncated payload"), m);
    assertTrue(m.contains("promises 18 pixel bytes"), m);
    assertTrue(m.contains("has 10"), m);
  }

  @Test
  void truncatedHeaderIsRejected() {
    DataFormatException e = readFails(new byte[] {0, 0, 8, 3, 0, 0}, goodLabels());
    assertTrue(e.getMessage().contains("bad-images: the file has 6 bytes, shorter than the 16-byte"), e.getMessage());
  }

  @Test
  void truncatedGzipStreamIsRejected() {
    byte[] gz = DataFixtures.gzip(DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 3, 2, 3, PIXELS));
    Path img = DataFixtures.write(tmp.resolve("cut-images.gz"), Arrays.copyOf(gz, gz.length - 12));
    Path lab = DataFixtures.write(tmp.resolve("cut-labels"), goodLabels());
    DataFormatException e =
        assertThrows(
            DataFormatException.class,
            () -> IdxReader.read(img.toString(), lab.toString(), DataFixtures.CONF));
    assertTrue(e.getMessage().contains("cut-images.gz"), e.getMessage());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void trailingBytesAreRejected() {
    byte[] img =
        DataFixtures.concat(DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 3, 2, 3, PIXELS), new byte[] {1, 2});
    DataFormatException e = readFails(img, goodLabels());
    assertTrue(e.getMessage().contains("bad-images: 2 trailing bytes"), e.getMessage());
    DataFormatException l =
        readFails(
            DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 3, 2, 3, PIXELS),
            DataFixtures.concat(goodLabels(), new byte[] {9}));
    assertTrue(l.getMessage().contains("bad-labels: 1 trailing bytes"), l.getMessage());
  }

  @Test
  void countMismatchNamesBothFiles() {
    DataFormatException e =
        readFails(
            DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 3, 2, 3, PIXELS),
            DataFixtures.idxLabels(IdxReader.LABELS_MAGIC, new byte[] {1, 2}));
    String m = e.getMessage();
    assertTrue(m.contains("bad-images") && m.contains("3 images"), m);
    assertTrue(m.contains("bad-labels") && m.contains("2 labels"), m);
  }

  @Test
  void missingFileIsNamed() {
    Path lab = DataFixtures.write(tmp.resolve("x-labels"), goodLabels());
    DataFormatException e =
        assertThrows(
            DataFormatException.class,
            () ->
                IdxReader.read(tmp.resolve("nope-images").toString(), lab.toString(), DataFixtures.CONF));
    assertTrue(e.getMessage().contains("nope-images: no such file"), e.getMessage());
  }

  @Nested
  class Contract extends ImageSetContract {
    @Override
    ImageSet imageSet() {
      Path[] p = writePair("c-images.gz", "c-labels.gz", true);
      return IdxReader.read(p[0].toString(), p[1].toString(), DataFixtures.CONF);
    }
  }
}
