package org.ntkstudy.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MalleabilityTest {
  @Test
  void topKByMagnitudeTiesByIndex() {
    double[] v = {0.5, -2.0, 2.0, 0.1, -0.5};
    assertArrayEquals(new int[] {1, 2, 0}, Malleability.topK(v, 3));
    assertArrayEquals(new int[] {1, 2, 0, 4, 3}, Malleability.rankByMagnitude(v));
    assertEquals(1, Malleability.topCount(0.1, 5));
    assertEquals(10, Malleability.topCount(0.1, 100));
    assertEquals(11, Malleability.topCount(0.1, 101));
    assertThrows(IllegalArgumentException.class, () -> Malleability.topCount(0, 10));
  }

  @Test
  void flipRateCountsStrictSignChangesOnTheGivenExamples() {
    double[] before = {1, -2, 3, -4, 5};
    double[] after = {-1, -2, 0, 4, 5};
    assertEquals(2.0 / 5, Malleability.flipRate(before, after, new int[] {0, 1, 2, 3, 4}), 0.0);
    assertEquals(1.0, Malleability.flipRate(before, after, new int[] {0, 3}), 0.0);
    assertEquals(0.0, Malleability.flipRate(before, after, new int[] {2}), 0.0); // became 0: not a flip
  }

  @Test
  void spearmanWithTiesMatchesHandComputation() {
    // a's ranks: 1, 2.5, 2.5, 4; b's ranks: 4, 3, 2, 1 -> Pearson of ranks.
    double[] a = {1, 2, 2, 3};
    double[] b = {9, 5, 4, 1};
    assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, Malleability.ranks(a), 0.0);
    double ra = 2.5;
    double[] x = {1 - ra, 0, 0, 4 - ra};
    double[] y = {4 - ra, 3 - ra, 2 - ra, 1 - ra};
    double sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < 4; i++) {
      sxy += x[i] * y[i];
      sxx += x[i] * x[i];
      syy += y[i] * y[i];
    }
    assertEquals(sxy / Math.sqrt(sxx * syy), Malleability.spearman(a, b), 1e-15);
    assertEquals(-0.9486832980505138, Malleability.spearman(a, b), 1e-15);
    assertEquals(1.0, Malleability.spearman(new double[] {1, 5, 7}, new double[] {-3, 0, 100}), 1e-15);
    assertTrue(Double.isNaN(Malleability.spearman(new double[] {1, 1, 1}, new double[] {1, 2, 3})));
  }

  @Test
  void topKOverlapIsTheSharedFraction() {
    double[] a = {5, 4, 3, 2, 1};
    double[] b = {5, 0, 3, 0, 4};
    // top-3 of a = {0,1,2}; of b = {0,4,2} -> 2 shared.
    assertEquals(2.0 / 3, Malleability.topKOverlap(a, b, 3), 0.0);
    assertEquals(1.0, Malleability.topKOverlap(a, a, 3), 0.0);
  }

  @Test
  void flipsAreThePerExampleOutcomesOfTheFlipRate() {
    double[] before = {1, -2, 3, -4, 0.5};
    double[] after = {-1, -2, 0, 4, 0.5};
    int[] examples = {3, 0, 2, 1};
    boolean[] f = Malleability.flips(before, after, examples);
    assertArrayEquals(new boolean[] {true, true, false, false}, f, "an influence that became 0 is not a flip");
    assertEquals(Malleability.flipRate(before, after, examples), 2.0 / 4, 0.0);
  }
}
