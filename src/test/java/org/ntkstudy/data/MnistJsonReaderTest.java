package org.ntkstudy.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistJsonReaderTest {
  @TempDir Path tmp;

  /** Images per digit file: 0 has 5 (4 train), 1 has 1 (0 train), 2 has 10 (8), others 2 (1). */
  static final int[] COUNTS = {5, 1, 10, 2, 2, 2, 2, 2, 2, 2};

  /** Pixel 0 of image k of digit c is (c * 10 + k + 1) / 256; pixel 1 is 1; the rest 0.25. */
  static double[] digit(int c, int count) {
    double[] v = new double[count * 784];
    for (int k = 0; k < count; k++) {
      java.util.Arrays.fill(v, k * 784, (k + 1) * 784, 0.25);
      v[k * 784] = (c * 10 + k + 1) / 256.0;
      v[k * 784 + 1] = 1;
    }
    return v;
  }

  Path writeDigits(String name) {
    Path dir = tmp.resolve(name);
    for (int c = 0; c < 10; c++) {
      DataFixtures.write(dir.resolve(c + ".json"), DataFixtures.digitJson(digit(c, COUNTS[c])));
    }
    return dir;
  }

  @Test
  void splitIsEightyTwentyPerDigitAndRoundRobin() {
    TrainTest tt = MnistJsonReader.readDir(writeDigits("d").toString(), DataFixtures.CONF);
    // Train: round 0 over digits with a train image (not 1), then 0 and 2 alternate, then 2 alone.
    assertArrayEquals(
        new int[] {0, 2, 3, 4, 5, 6, 7, 8, 9, 0, 2, 0, 2, 0, 2, 2, 2, 2, 2}, tt.train().labels());
    assertEquals("0.json image 0", tt.train().describe(0));
    assertEquals("2.json image 1", tt.train().describe(10));
    assertEquals("2.json image 7", tt.train().describe(18));
    // Test: the rest of each file (0: image 4; 1: image 0; 2: images 8, 9; others image 1).
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 2}, tt.test().labels());
    assertEquals("0.json image 4", tt.test().describe(0));
    assertEquals("1.json image 0", tt.test().describe(1));
    assertEquals("2.json image 8", tt.test().describe(2));
    assertEquals("3.json image 1", tt.test().describe(3));
    assertEquals("2.json image 9", tt.test().describe(10));
  }

  @Test
  void valuesAreTakenAsPixelsWithoutDividing() {
    TrainTest tt = MnistJsonReader.readDir(writeDigits("v").toString(), DataFixtures.CONF);
    double[] p = new double[784];
    tt.test().pixels(10, p, 0); // digit 2, image 9
    assertEquals((2 * 10 + 9 + 1) / 256.0, p[0], 0.0);
    assertEquals(1.0, p[1], 0.0);
    assertEquals(0.25, p[783], 0.0);
  }

  @Test
  void trainCountIsFloorOfEightyPercent() {
    assertEquals(0, MnistJsonReader.trainCount(1));
    assertEquals(1, MnistJsonReader.trainCount(2));
    assertEquals(4, MnistJsonReader.trainCount(5));
    assertEquals(4, MnistJsonReader.trainCount(6));
    assertEquals(5, MnistJsonReader.trainCount(7));
    assertEquals(800, MnistJsonReader.trainCount(1000));
    assertEquals(785, MnistJsonReader.trainCount(982));
  }

  @Test
  void lengthNotMultipleOf784IsRejected() {
    Path dir = writeDigits("len");
    DataFixtures.write(dir.resolve("4.json"), DataFixtures.digitJson(new double[784 + 3]));
    DataFormatException e =
        assertThrows(
            DataFormatException.class, () -> MnistJsonReader.readDir(dir.toString(), DataFixtures.CONF));
    assertTrue(e.getMessage().contains("4.json"), e.getMessage());
    assertTrue(e.getMessage().contains("787 values, not a multiple of 784"), e.getMessage());
  }

  @Test
  void nanAndNullAreRejectedWithIndex() {
    Path dir = writeDigits("nan");
    DataFixtures.write(dir.resolve("6.json"), "{\"data\": [0, 0.5, NaN, 1]}");
    DataFormatException e =
        assertThrows(
            DataFormatException.class, () -> MnistJsonReader.readDir(dir.toString(), DataFixtures.CONF));
    assertTrue(e.getMessage().contains("6.json: value 2 of \"data\""), e.getMessage());
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());

    DataFixtures.write(dir.resolve("6.json"), "{\"other\": {\"x\": [1]}, \"data\": [0, 1, 0.5, null]}");
    DataFormatException n =
        assertThrows(
            DataFormatException.class, () -> MnistJsonReader.readDir(dir.toString(), DataFixtures.CONF));
    assertTrue(n.getMessage().contains("6.json: value 3 of \"data\""), n.getMessage());
    assertTrue(n.getMessage().contains("is null"), n.getMessage());

    DataFixtures.write(dir.resolve("6.json"), "{\"data\": [0, \"0.5\"]}");
    DataFormatException s =
        assertThrows(
            DataFormatException.class, () -> MnistJsonReader.readDir(dir.toString(), DataFixtures.CONF));
    assertTrue(s.getMessage().contains("value 1 of \"data\""), s.getMessage());
    assertTrue(s.getMessage().contains("string"), s.getMessage());
  }

  @Test
  void malformedJsonIsRejected() {
    Path dir = writeDigits("bad");
    DataFixtures.write(dir.resolve("1.json"), "{\"data\": [0, 1,");
    DataFormatException e =
        assertThrows(
            DataFormatException.class, () -> MnistJsonReader.readDir(dir.toString(), DataFixtures.CONF));
    assertTrue(e.getMessage().contains("1.json"), e.getMessage());
  }

  @Test
  void missingDigitFilesAreListed() {
    Path dir = tmp.resolve("few");
    DataFixtures.write(dir.resolve("0.json"), DataFixtures.digitJson(digit(0, 1)));
    DataFixtures.write(dir.resolve("1.json"), DataFixtures.digitJson(digit(1, 1)));
    DataFormatException e =
        assertThrows(
            DataFormatException.class, () -> MnistJsonReader.readDir(dir.toString(), DataFixtures.CONF));
    assertTrue(e.getMessage().contains("missing 2.json, 3.json"), e.getMessage());
    assertTrue(e.getMessage().contains("9.json"), e.getMessage());
  }

  @Nested
  class Contract extends ImageSetContract {
    @Override
    ImageSet imageSet() {
      return MnistJsonReader.readDir(writeDigits("c").toString(), DataFixtures.CONF).train();
    }
  }
}
