package org.ntkstudy.bench.support;

import java.util.Arrays;
import java.util.List;

/** The median of a contender's timed rounds: the one figure every bench reports per contender. */
public final class Medians {
  private Medians() {}

  /** The median of a list of timings. */
  public static double median(List<Double> v) {
    return median(v.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** The median of an array of timings (the mean of the middle two when their number is even). */
  public static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int k = s.length / 2;
    return s.length % 2 == 1 ? s[k] : 0.5 * (s[k - 1] + s[k]);
  }
}
