package org.ntkstudy.math;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Across-seed statistics of SCIENCE §3: the mean with its 95% interval
 * mean ± t_{0.975, S−1} · sd / √S, and the log–log least-squares fit of a metric against width.
 */
public final class Statistics {
  private Statistics() {}

  /**
   * A mean and its 95% interval over S values (lo = hi = mean when S = 1: no spread to estimate).
   */
  public record Interval(double mean, double lo, double hi, double sd, int count) {}

  /** Mean ± t_{0.975, S−1} sd/√S; NaN values are an error (a metric that does not exist is not averaged). */
  public static Interval interval(double[] values) {
    int s = values.length;
    if (s == 0) {
      throw new IllegalArgumentException("no values");
    }
    double mean = 0;
    for (double v : values) {
      if (Double.isNaN(v)) {
        throw new IllegalArgumentException("NaN among the values");
      }
      mean += v;
    }
    mean /= s;
    if (s == 1) {
      return new Interval(mean, mean, mean, 0, 1);
    }
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(ss / (s - 1));
    double half = tQuantile975(s - 1) * sd / Math.sqrt(s);
    return new Interval(mean, mean - half, mean + half, sd, s);
  }

  /** The 0.975 quantile of Student's t with {@code df} degrees of freedom. */
  public static double tQuantile975(int df) {
    // The default solver accuracy (1e-9) would show in the ninth digit of every interval.
    return new TDistribution(null, df, 1e-15).inverseCumulativeProbability(0.975);
  }

  /**
   * An ordinary least-squares line y = intercept + slope·x.
   *
   * @param slopeStdError the standard error of the slope (NaN with fewer than 3 points)
   * @param points how many (x, y) pairs it was fitted to
   */
  public record Line(double slope, double intercept, double slopeStdError, int points) {
    /** The x at which the line reaches y. */
    public double solveFor(double y) {
      return (y - intercept) / slope;
    }
  }

  /** OLS of y on x. */
  public static Line ols(double[] x, double[] y) {
    int n = x.length;
    if (n != y.length || n < 2) {
      throw new IllegalArgumentException("need at least two (x, y) pairs, got " + n);
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= n;
    my /= n;
    double sxx = 0;
    double sxy = 0;
    for (int i = 0; i < n; i++) {
      sxx += (x[i] - mx) * (x[i] - mx);
      sxy += (x[i] - mx) * (y[i] - my);
    }
    if (sxx == 0) {
      throw new IllegalArgumentException("all x equal: no slope to fit");
    }
    double slope = sxy / sxx;
    double intercept = my - slope * mx;
    double se = Double.NaN;
    if (n > 2) {
      double rss = 0;
      for (int i = 0; i < n; i++) {
        double r = y[i] - intercept - slope * x[i];
        rss += r * r;
      }
      se = Math.sqrt(rss / (n - 2) / sxx);
    }
    return new Line(slope, intercept, se, n);
  }
}
