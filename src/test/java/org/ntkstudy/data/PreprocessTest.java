package org.ntkstudy.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ntkstudy.math.Matrix;

class PreprocessTest {

  @Test
  void rowsGetUnitNormAndKeepDirection() {
    Matrix p = new Matrix(2, 3, new double[] {0.3, 0.4, 0, 1, 1, 1});
    Matrix x = Preprocess.normalizeRows(p);
    assertEquals(0.6, x.get(0, 0), 1e-15);
    assertEquals(0.8, x.get(0, 1), 1e-15);
    assertEquals(0.0, x.get(0, 2), 0.0);
    for (int i = 0; i < 2; i++) {
      double s = 0;
      for (int j = 0; j < 3; j++) {
        s += x.get(i, j) * x.get(i, j);
      }
      assertEquals(1.0, s, 1e-15);
    }
    assertEquals(1 / Math.sqrt(3), x.get(1, 2), 1e-15);
    assertEquals(0.3, p.get(0, 0), 0.0); // the pixels are not touched
  }

  @Test
  void allZeroImageIsRejectedByName() {
    Matrix p = new Matrix(2, 2, new double[] {0.5, 0, 0, 0});
    DataFormatException e =
        assertThrows(
            DataFormatException.class,
            () -> Preprocess.normalizeRows(p, i -> "train-images-idx3-ubyte.gz image " + (40 + i)));
    assertTrue(
        e.getMessage().startsWith("train-images-idx3-ubyte.gz image 41 is all zero"), e.getMessage());
  }

  @Test
  void nanAndOutOfRangePixelsAreRejected() {
    DataFormatException nan =
        assertThrows(
            DataFormatException.class,
            () -> Preprocess.normalizeRows(new Matrix(1, 2, new double[] {0.5, Double.NaN})));
    assertTrue(nan.getMessage().contains("row 0: pixel 1 is NaN"), nan.getMessage());
    DataFormatException big =
        assertThrows(
            DataFormatException.class,
            () -> Preprocess.normalizeRows(new Matrix(1, 2, new double[] {0.5, 255})));
    assertTrue(big.getMessage().contains("outside [0, 1]"), big.getMessage());
    assertThrows(
        DataFormatException.class,
        () -> Preprocess.normalizeRows(new Matrix(1, 2, new double[] {0.5, -0.1})));
  }
}
