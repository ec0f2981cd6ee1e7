package org.ntkstudy.math;

import java.util.Arrays;

/**
 * The malleability figures of SCIENCE §5 (the paper's Def. 3.4): the top-k training examples by
 * |I_i|, the flip rate of their influence signs, Spearman's ρ of all influences before and after,
 * the top-K overlap. (Their intervals and the attn/relu ratios are {@link FlipBootstrap}'s.)
 */
public final class Malleability {
  private Malleability() {}

  /** k = ⌈τ n⌉, at least 1 (τ = 0.1 by default). */
  public static int topCount(double tau, int n) {
    if (!(tau > 0 && tau <= 1)) {
      throw new IllegalArgumentException("tau must be in (0, 1], got " + tau);
    }
    return Math.max(1, (int) Math.ceil(tau * n - 1e-9));
  }

  /** The indices of the k largest |I_i|, largest first, ties by the smaller index. */
  public static int[] topK(double[] influence, int k) {
    return Arrays.copyOf(rankByMagnitude(influence), Math.min(k, influence.length));
  }

  /** All indices ordered by |I_i| descending, ties by index ascending. */
  public static int[] rankByMagnitude(double[] influence) {
    Integer[] idx = new Integer[influence.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> {
      int c = Double.compare(Math.abs(influence[b]), Math.abs(influence[a]));
      return c != 0 ? c : Integer.compare(a, b);
    });
    int[] out = new int[idx.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = idx[i];
    }
    return out;
  }

  /**
   * The fraction of {@code examples} whose influence changed sign: I_i · I'_i &lt; 0 (an influence
   * that became exactly 0 is not a flip).
   */
  public static double flipRate(double[] before, double[] after, int[] examples) {
    if (examples.length == 0) {
      throw new IllegalArgumentException("no examples to compute a flip rate over");
    }
    int flips = 0;
    for (int i : examples) {
      if (before[i] * after[i] < 0) {
        flips++;
      }
    }
    return (double) flips / examples.length;
  }

  /**
   * Per example of {@code examples}, in that order: whether its influence changed sign, I_i · I'_i
   * &lt; 0 — the outcomes whose fraction is {@link #flipRate}.
   */
  public static boolean[] flips(double[] before, double[] after, int[] examples) {
    boolean[] out = new boolean[examples.length];
    for (int r = 0; r < examples.length; r++) {
      out[r] = before[examples[r]] * after[examples[r]] < 0;
    }
    return out;
  }

  /** Spearman's ρ: Pearson's correlation of the ranks, ties given their average rank; NaN when a side is constant. */
  public static double spearman(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("lengths differ: " + a.length + " and " + b.length);
    }
    return pearson(ranks(a), ranks(b));
  }

  /** Ranks 1..n, ties given the mean of the ranks they span. */
  public static double[] ranks(double[] v) {
    int n = v.length;
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (x, y) -> Double.compare(v[x], v[y]));
    double[] r = new double[n];
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && v[idx[j + 1]] == v[idx[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int q = i; q <= j; q++) {
        r[idx[q]] = rank;
      }
      i = j + 1;
    }
    return r;
  }

  /** Pearson's correlation; NaN when either side has zero variance. */
  public static double pearson(double[] a, double[] b) {
    int n = a.length;
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < n; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= n;
    mb /= n;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < n; i++) {
      double da = a[i] - ma;
      double db = b[i] - mb;
      sab += da * db;
      saa += da * da;
      sbb += db * db;
    }
    return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
  }

  /** |top-k of a ∩ top-k of b| / k, both by magnitude with ties by index. */
  public static double topKOverlap(double[] a, double[] b, int k) {
    int[] ta = topK(a, k);
    int[] tb = topK(b, k);
    boolean[] in = new boolean[a.length];
    for (int i : ta) {
      in[i] = true;
    }
    int common = 0;
    for (int i : tb) {
      if (in[i]) {
        common++;
      }
    }
    return (double) common / k;
  }

  /** Fraction of positions where a and b have the same strict sign (0 matches only 0). */
  public static double signAgreement(double[] a, double[] b) {
    int same = 0;
    for (int i = 0; i < a.length; i++) {
      if (Math.signum(a[i]) == Math.signum(b[i])) {
        same++;
      }
    }
    return (double) same / a.length;
  }
}
