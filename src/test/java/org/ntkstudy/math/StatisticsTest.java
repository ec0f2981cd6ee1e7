package org.ntkstudy.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StatisticsTest {
  @Test
  void intervalUsesStudentT() {
    // Values 1..5: mean 3, sd sqrt(2.5); t_{0.975,4} = 2.7764451051977934 (scipy.stats.t.ppf).
    Statistics.Interval iv = Statistics.interval(new double[] {1, 2, 3, 4, 5});
    double half = 2.7764451051977934 * Math.sqrt(2.5) / Math.sqrt(5);
    assertEquals(3.0, iv.mean(), 0.0);
    assertEquals(3.0 - half, iv.lo(), 1e-12);
    assertEquals(3.0 + half, iv.hi(), 1e-12);
    Statistics.Interval one = Statistics.interval(new double[] {7});
    assertEquals(7.0, one.lo(), 0.0);
  }

  @Test
  void olsRecoversALineAndItsStandardError() {
    double[] x = {1, 2, 3, 4};
    double[] y = {2.5 - 0.5 * 1, 2.5 - 0.5 * 2, 2.5 - 0.5 * 3, 2.5 - 0.5 * 4};
    Statistics.Line l = Statistics.ols(x, y);
    assertEquals(-0.5, l.slope(), 1e-15);
    assertEquals(2.5, l.intercept(), 1e-15);
    assertEquals(0.0, l.slopeStdError(), 1e-15);
    assertEquals(3.0, l.solveFor(1.0), 1e-14);
    // y = 0, 1, 1, 3 on x = 0..3: slope 0.9, intercept -0.1 (hand-worked), residual SS 0.7, Sxx 5.
    Statistics.Line m = Statistics.ols(new double[] {0, 1, 2, 3}, new double[] {0, 1, 1, 3});
    assertEquals(0.9, m.slope(), 1e-14);
    assertEquals(-0.1, m.intercept(), 1e-14);
    assertEquals(Math.sqrt(0.7 / 2 / 5), m.slopeStdError(), 1e-14);
  }
}
