package org.ntkstudy.bench.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The median of the rounds: the middle one, or the mean of the middle two; the input untouched. */
class MediansTest {
  @Test
  void oddAndEvenCounts() {
    double[] runs = {3.0, 1.0, 2.0};
    assertEquals(2.0, Medians.median(runs));
    assertArrayEquals(new double[] {3.0, 1.0, 2.0}, runs, "the rounds keep their order");
    assertEquals(2.5, Medians.median(List.of(4.0, 1.0, 2.0, 3.0)));
    assertEquals(7.0, Medians.median(List.of(7.0)));
  }
}
