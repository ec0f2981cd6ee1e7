package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Arrays;
import org.ntkstudy.math.Statistics;

/**
 * A seed aggregate (SCIENCE §3): the mean and the 95% interval mean ± t_{0.975, S−1} · sd / √S
 * over the S seeds whose value exists; all null with {@code seeds} 0 when none does.
 *
 * @param mean the mean over seeds, or null
 * @param lo the interval's lower end, or null
 * @param hi the interval's upper end, or null
 * @param seeds S, how many seeds had a finite value
 */
@JsonPropertyOrder({"mean", "lo", "hi", "seeds"})
public record Interval(Double mean, Double lo, Double hi, int seeds) {
  public Interval {
    mean = ResultJson.finite(mean);
    lo = ResultJson.finite(lo);
    hi = ResultJson.finite(hi);
  }

  /** Mean and 95% interval over the values that exist (a value that is not finite is skipped). */
  public static Interval of(double[] values) {
    double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
    if (finite.length == 0) {
      return new Interval(null, null, null, 0);
    }
    Statistics.Interval iv = Statistics.interval(finite);
    return new Interval(iv.mean(), iv.lo(), iv.hi(), finite.length);
  }

  /** Whether a mean exists. */
  public boolean present() {
    return mean != null;
  }
}
