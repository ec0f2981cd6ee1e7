package org.ntkstudy.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {
  @TempDir Path tmp;

  /** Record r: red plane all 10 + r, green all 20 + r, blue all 30 + r; pixel 5 of blue = 255. */
  static byte[] rgb(int r) {
    byte[] rgb = new byte[3072];
    for (int j = 0; j < 1024; j++) {
      rgb[j] = (byte) (10 + r);
      rgb[1024 + j] = (byte) (20 + r);
      rgb[2048 + j] = (byte) (30 + r);
    }
    rgb[2048 + 5] = (byte) 255;
    return rgb;
  }

  static byte[] threeRecords() {
    byte[] a = DataFixtures.cifarRecord(3, rgb(0));
    byte[] b = DataFixtures.cifarRecord(0, rgb(1));
    byte[] c = DataFixtures.cifarRecord(9, rgb(2));
    return DataFixtures.concat(DataFixtures.concat(a, b), c);
  }

  private ImageSet readOne(String name, byte[] bytes) {
    Path f = DataFixtures.write(tmp.resolve(name), bytes);
    return CifarReader.read(List.of(new org.apache.hadoop.fs.Path(f.toUri())), DataFixtures.CONF);
  }

  @Test
  void recordLayoutLabelsAndScale() {
    ImageSet s = readOne("batch.bin", threeRecords());
    assertEquals(3, s.size());
    assertEquals(3072, s.dim());
    assertArrayEquals(new int[] {3, 0, 9}, s.labels());
    double[] p = new double[3072];
    s.pixels(1, p, 0);
    // Red plane first, then green, then blue: the file's own order.
    assertEquals(11 / 255.0, p[0], 0.0);
    assertEquals(11 / 255.0, p[1023], 0.0);
    assertEquals(21 / 255.0, p[1024], 0.0);
    assertEquals(31 / 255.0, p[2048], 0.0);
    assertEquals(1.0, p[2048 + 5], 0.0);
    assertEquals(31 / 255.0, p[3071], 0.0);
    s.pixels(2, p, 0);
    assertEquals(12 / 255.0, p[0], 0.0);
    assertEquals("batch.bin record 2", s.describe(2));
  }

  @Test
  void gzippedBatchIsRead() {
    ImageSet s = readOne("batch.bin.gz", DataFixtures.gzip(threeRecords()));
    assertArrayEquals(new int[] {3, 0, 9}, s.labels());
  }

  @Test
  void wrongRecordLengthGivesLengthAndRemainder() {
    byte[] bad = DataFixtures.concat(threeRecords(), new byte[5]);
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> readOne("short.bin", bad));
    String m = e.getMessage();
    assertTrue(m.contains("short.bin: wrong record length"), m);
    assertTrue(m.contains(Integer.toString(3 * 3073 + 5)), m);
    assertTrue(m.contains("remainder 5"), m);
  }

  @Test
  void labelAboveNineGivesRecordIndex() {
    byte[] bytes = threeRecords();
    bytes[3073] = 12; // record 1's label byte
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> readOne("badlabel.bin", bytes));
    String m = e.getMessage();
    assertTrue(m.contains("badlabel.bin: record 1"), m);
    assertTrue(m.contains("label byte 12"), m);
  }

  @Test
  void readDirFindsBatchesInSubdirectoryAndOrdersThem() {
    Path sub = tmp.resolve("cifar").resolve(CifarReader.SUBDIR);
    for (int b = 1; b <= 5; b++) {
      // Batch b holds one record with label b - 1 and red plane b.
      byte[] px = rgb(0);
      px[0] = (byte) b;
      DataFixtures.write(sub.resolve("data_batch_" + b + ".bin"), DataFixtures.cifarRecord(b - 1, px));
    }
    DataFixtures.write(sub.resolve("test_batch.bin"), threeRecords());
    TrainTest tt = CifarReader.readDir(tmp.resolve("cifar").toString(), DataFixtures.CONF);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, tt.train().labels());
    assertArrayEquals(new int[] {3, 0, 9}, tt.test().labels());
    double[] p = new double[3072];
    tt.train().pixels(3, p, 0);
    assertEquals(4 / 255.0, p[0], 0.0);
    assertEquals("data_batch_4.bin record 0", tt.train().describe(3));
  }

  @Test
  void missingBatchesAreListed() {
    Path dir = tmp.resolve("partial");
    DataFixtures.write(dir.resolve("data_batch_1.bin"), threeRecords());
    DataFixtures.write(dir.resolve("data_batch_2.bin"), threeRecords());
    DataFormatException e =
        assertThrows(
            DataFormatException.class, () -> CifarReader.readDir(dir.toString(), DataFixtures.CONF));
    String m = e.getMessage();
    assertTrue(m.contains("data_batch_3.bin, data_batch_4.bin, data_batch_5.bin, test_batch.bin"), m);
    assertTrue(m.contains("partial"), m);
  }

  @Nested
  class Contract extends ImageSetContract {
    @Override
    ImageSet imageSet() {
      return readOne("contract.bin", threeRecords());
    }
  }
}
