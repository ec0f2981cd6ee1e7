package org.ntkstudy.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ImageSet} keeps, run against each reader's sets by a {@code @Nested}
 * subclass in that reader's test.
 */
abstract class ImageSetContract {

  /** A non-empty image set from the reader under test. */
  abstract ImageSet imageSet();

  @Test
  void labelsAgreeWithLabel() {
    ImageSet s = imageSet();
    int[] labels = s.labels();
    assertEquals(s.size(), labels.length);
    for (int i = 0; i < labels.length; i++) {
      assertEquals(s.label(i), labels[i]);
    }
  }

  @Test
  void pixelsAreInUnitIntervalAndWrittenAtOffset() {
    ImageSet s = imageSet();
    int d = s.dim();
    double[] buf = new double[d + 3];
    buf[0] = -7;
    buf[d + 2] = -7;
    for (int i = 0; i < s.size(); i++) {
      s.pixels(i, buf, 2);
      for (int j = 0; j < d; j++) {
        assertTrue(buf[2 + j] >= 0 && buf[2 + j] <= 1, "pixel " + j + " of image " + i);
      }
    }
    assertEquals(-7, buf[0]);
    assertEquals(-7, buf[d + 2]);
  }

  @Test
  void describeNamesTheImage() {
    ImageSet s = imageSet();
    assertFalse(s.describe(0).isBlank());
    assertFalse(s.source().isBlank());
  }

  @Test
  void outOfRangeIndexIsRejected() {
    ImageSet s = imageSet();
    double[] buf = new double[s.dim()];
    assertThrows(IndexOutOfBoundsException.class, () -> s.label(s.size()));
    assertThrows(IndexOutOfBoundsException.class, () -> s.pixels(s.size(), buf, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> s.describe(-1));
  }
}
