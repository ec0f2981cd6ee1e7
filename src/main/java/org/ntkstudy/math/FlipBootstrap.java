package org.ntkstudy.math;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The effect-over-noise statistics of SCIENCE §5 with their one percentile bootstrap: per model the
 * flip rate, the random ±ε sign control's flip rate and the excess E = flip rate − control rate, and
 * across models the attn/relu ratios of mean flip rates and of mean excesses.
 *
 * <p><b>Inputs.</b> For each model S seeds (position i is the same training seed for relu and attn)
 * and per seed its k top examples, each with a pair of outcomes: did the attack flip its influence
 * sign, did the control flip it. k is the same for every seed of a model (k = ⌈τn⌉ of §5 does not
 * depend on the seed; requiring it keeps "the mean over seeds of the per-seed rates" equal to the
 * pooled rate, so both readings of §5 give one number). The two models' k may differ: their top-k
 * examples are different sets and are resampled independently.
 *
 * <p><b>Figures.</b> A model's flip rate is the mean over seeds of the per-seed fraction flipped,
 * computed as (flips over all seeds) / (S·k) — one rounding, so exact fractions stay exact; the
 * control rate likewise; the excess is flip rate − control rate (equal to the mean over seeds of
 * the per-seed paired excesses). The ratios are mean flip rate_attn / mean flip rate_relu and mean
 * E_attn / mean E_relu. A ratio whose relu denominator is ≤ 0 does not exist: its value and
 * interval are absent (NaN) and a reason is given.
 *
 * <p><b>Bootstrap.</b> B draws. Random numbers are the stream u_t = {@link SplitMix64#at}(seed, t),
 * t = 0, 1, 2, …, consumed in this order: for each draw b = 0 … B−1, first S seed positions (each
 * ⌊u·S / 2⁶⁴⌋, u read as unsigned — none are drawn when S = 1: then only the examples are
 * resampled); then for each drawn position in order, relu's k_relu example indices ⌊u·k / 2⁶⁴⌋ of
 * that seed, then attn's k_attn example indices of the same seed. Each example index carries its
 * (attack, control) pair. Every figure is recomputed on the draw; a ratio draw whose relu
 * denominator is ≤ 0 is +∞. (The multiply-shift index has a bias below k/2⁶⁴, i.e. none at double
 * precision, and uses exactly one number per index, which keeps the stream easy to reproduce.)
 *
 * <p><b>Percentiles.</b> Nearest rank on the B sorted draws (+∞ sorts last): the interval's lower end
 * is the ⌈0.025·B⌉-th smallest draw, its upper end the ⌈0.975·B⌉-th smallest (1-based; for B = 2000
 * the 50th and the 1950th), with the ranks computed in integers. Every end is therefore one of the
 * draws: a rate's interval lies in [0, 1], an excess's in [−1, 1], and an end of a ratio's interval
 * may be +∞ (see {@link Ratio#toMap} for its JSON form). No interpolation means no ∞·0 when a rank
 * falls next to the infinite draws.
 *
 * <p><b>Calibration</b> (measured with i.i.d. Bernoulli outcomes, 400 repetitions, B = 1000). One
 * seed: about 95% coverage of the true rate (0.94–0.97 at k = 50, 200) — but of that one network's
 * rate: with seed-to-seed variation (per-seed rate sd 0.1 around 0.3) the one-seed interval covers
 * the population rate only 49–74% of the time, as it cannot see other seeds. Several seeds that do
 * not differ: conservative, 0.97–0.998 at S = 3–10 (resampling both levels counts the within-seed
 * binomial variance twice); with real seed-to-seed variation that double count matters less (0.88–0.96
 * at S = 3–10, sd 0.1) and coverage approaches 95% as S grows.
 *
 * <p>Deterministic: the same inputs, B and seed give bit-identical results.
 */
public final class FlipBootstrap {
  /** §5's default number of bootstrap draws ({@code --bootstrap}). */
  public static final int DEFAULT_DRAWS = 2000;

  private FlipBootstrap() {}

  /**
   * One model's paired outcomes for SCIENCE §5's effect over noise: per seed, per top-k example,
   * whether the attack and whether the random ±ε sign control flipped its influence sign.
   */
  public static final class Outcomes {
    /** [seed][example]: bit 0 set when the attack flipped it, bit 1 when the control did. */
    private final byte[][] codes;
    private final int k;
    private final long attackFlips;
    private final long controlFlips;

    private Outcomes(byte[][] codes) {
      if (codes.length == 0) {
        throw new IllegalArgumentException("no seeds");
      }
      this.k = codes[0].length;
      long a = 0;
      long c = 0;
      for (int s = 0; s < codes.length; s++) {
        if (codes[s].length == 0) {
          throw new IllegalArgumentException("seed " + s + " has no examples");
        }
        if (codes[s].length != k) {
          throw new IllegalArgumentException("seed " + s + " has " + codes[s].length + " examples, seed 0 has " + k
              + ": every seed of a model needs the same k");
        }
        for (byte b : codes[s]) {
          a += b & 1;
          c += b >> 1;
        }
      }
      this.codes = codes;
      this.attackFlips = a;
      this.controlFlips = c;
    }

    /**
     * From {@code attack[s][i]} and {@code control[s][i]}: seed s, example i (paired: the same i is
     * the same example under the attack and under the control).
     */
    public static Outcomes of(boolean[][] attack, boolean[][] control) {
      checkShape(attack.length, control.length, -1);
      byte[][] codes = new byte[attack.length][];
      for (int s = 0; s < attack.length; s++) {
        checkShape(attack[s].length, control[s].length, s);
        codes[s] = new byte[attack[s].length];
        for (int i = 0; i < codes[s].length; i++) {
          codes[s][i] = (byte) ((attack[s][i] ? 1 : 0) | (control[s][i] ? 2 : 0));
        }
      }
      return new Outcomes(codes);
    }

    /** As {@link #of(boolean[][], boolean[][])} from 0/1 values (anything else is an error). */
    public static Outcomes ofBits(int[][] attack, int[][] control) {
      checkShape(attack.length, control.length, -1);
      byte[][] codes = new byte[attack.length][];
      for (int s = 0; s < attack.length; s++) {
        checkShape(attack[s].length, control[s].length, s);
        codes[s] = new byte[attack[s].length];
        for (int i = 0; i < codes[s].length; i++) {
          codes[s][i] = (byte) (bit(attack[s][i], s, i) | bit(control[s][i], s, i) << 1);
        }
      }
      return new Outcomes(codes);
    }

    private static int bit(int v, int s, int i) {
      if (v != 0 && v != 1) {
        throw new IllegalArgumentException("seed " + s + ", example " + i + ": outcome " + v + " is not 0 or 1");
      }
      return v;
    }

    private static void checkShape(int attack, int control, int seed) {
      if (attack != control) {
        throw new IllegalArgumentException((seed < 0 ? "seeds" : "seed " + seed + " examples") + ": attack has "
            + attack + ", control has " + control + " (they are paired)");
      }
    }

    /** S, the number of seeds. */
    public int seeds() {
      return codes.length;
    }

    /** k, the number of top examples per seed. */
    public int k() {
      return k;
    }

    /** The flip rate over all seeds: (attack flips) / (S·k). */
    public double flipRate() {
      return (double) attackFlips / ((long) codes.length * k);
    }

    /** The control's flip rate over all seeds: (control flips) / (S·k). */
    public double controlRate() {
      return (double) controlFlips / ((long) codes.length * k);
    }
  }

  /**
   * A figure of SCIENCE §5 (a rate or an excess) with its percentile bootstrap 95% interval.
   *
   * @param mean the figure on the data (a mean over seeds)
   * @param lo the 2.5% nearest-rank percentile of its draws
   * @param hi the 97.5% nearest-rank percentile of its draws
   */
  public record Estimate(double mean, double lo, double hi) {
    /** Whether x lies in [lo, hi]. */
    public boolean contains(double x) {
      return lo <= x && x <= hi;
    }

    /** Whether the whole interval lies above x (lo &gt; x). */
    public boolean above(double x) {
      return lo > x;
    }

    /** Whether the whole interval lies below x (hi &lt; x). */
    public boolean below(double x) {
      return hi < x;
    }

    /** {@code mean}, {@code lo}, {@code hi}: all finite, in that order. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("mean", mean);
      m.put("lo", lo);
      m.put("hi", hi);
      return m;
    }
  }

  /**
   * One model's figures of SCIENCE §5: flip rate, control rate and excess, each with its interval.
   *
   * @param seeds S
   * @param k the top examples per seed
   */
  public record ModelFigures(Estimate flipRate, Estimate controlRate, Estimate excess, int seeds, int k) {
    /** {@code flip_rate}, {@code control_rate}, {@code excess} (each {@link Estimate#toMap}), {@code seeds}, {@code k}. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("flip_rate", flipRate.toMap());
      m.put("control_rate", controlRate.toMap());
      m.put("excess", excess.toMap());
      m.put("seeds", seeds);
      m.put("k", k);
      return m;
    }
  }

  /**
   * An attn/relu ratio of SCIENCE §5 with its percentile bootstrap interval, whose ends may be +∞
   * (draws with relu's denominator ≤ 0); absent (value, lo and hi NaN, with a reason) when relu's
   * denominator on the data is ≤ 0.
   *
   * @param value the ratio of the means, NaN when absent
   * @param lo the 2.5% nearest-rank percentile of the draws (possibly +∞), NaN when absent
   * @param hi the 97.5% nearest-rank percentile of the draws (possibly +∞), NaN when absent
   * @param infiniteDraws how many draws were +∞ (relu's denominator ≤ 0 on the draw)
   * @param draws B
   * @param reason why the ratio does not exist, or null when it does
   */
  public record Ratio(double value, double lo, double hi, int infiniteDraws, int draws, String reason) {
    /** Whether the ratio exists (relu's denominator on the data &gt; 0). */
    public boolean present() {
      return reason == null;
    }

    /** Whether the lower end is +∞: at least B − ⌈0.025·B⌉ + 1 draws (1951 of 2000) were +∞. */
    public boolean loUnbounded() {
      return lo == Double.POSITIVE_INFINITY;
    }

    /** Whether the upper end is +∞: at least B − ⌈0.975·B⌉ + 1 draws (51 of 2000) were +∞. */
    public boolean hiUnbounded() {
      return hi == Double.POSITIVE_INFINITY;
    }

    /** Whether the ratio exists and x lies in [lo, hi]. */
    public boolean contains(double x) {
      return present() && lo <= x && x <= hi;
    }

    /** Whether the ratio exists and its whole interval lies above x. */
    public boolean above(double x) {
      return present() && lo > x;
    }

    /** Whether the ratio exists and its whole interval lies below x. */
    public boolean below(double x) {
      return present() && hi < x;
    }

    /**
     * The JSON form (JSON has no infinity): {@code mean} (the ratio), {@code lo}, {@code hi} — each a
     * number, or null when the ratio is absent or, for an end, when it is +∞; {@code lo_unbounded}
     * and {@code hi_unbounded} — true exactly when that end is +∞ (so a null end with its flag true
     * reads "+∞", with the flag false "no ratio"); {@code infinite_draws}; {@code draws}; and
     * {@code reason} only when the ratio is absent.
     */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("mean", Double.isFinite(value) ? value : null);
      m.put("lo", Double.isFinite(lo) ? lo : null);
      m.put("hi", Double.isFinite(hi) ? hi : null);
      m.put("lo_unbounded", loUnbounded());
      m.put("hi_unbounded", hiUnbounded());
      m.put("infinite_draws", infiniteDraws);
      m.put("draws", draws);
      if (reason != null) {
        m.put("reason", reason);
      }
      return m;
    }
  }

  /**
   * The effect-over-noise figures of SCIENCE §5 for one (intervention, attack, radius): both models'
   * rates and excesses and the two attn/relu ratios, with the bootstrap that made their intervals.
   *
   * @param flipRatio mean flip rate_attn / mean flip rate_relu
   * @param excessRatio mean E_attn / mean E_relu
   * @param draws B
   * @param seed the bootstrap's SplitMix64 seed
   */
  public record Result(ModelFigures relu, ModelFigures attn, Ratio flipRatio, Ratio excessRatio, int draws,
      long seed) {
    /**
     * {@code relu}, {@code attn} ({@link ModelFigures#toMap}), {@code flip_ratio}, {@code excess_ratio}
     * ({@link Ratio#toMap}), {@code bootstrap} (B), {@code bootstrap_seed}, {@code percentile}.
     */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("relu", relu.toMap());
      m.put("attn", attn.toMap());
      m.put("flip_ratio", flipRatio.toMap());
      m.put("excess_ratio", excessRatio.toMap());
      m.put("bootstrap", draws);
      m.put("bootstrap_seed", seed);
      m.put("percentile", "nearest rank: ceil(0.025 B)-th and ceil(0.975 B)-th smallest of B draws");
      return m;
    }
  }

  /** The reason given when relu's mean flip rate is 0. */
  static final String NO_RELU_FLIPS = "relu's mean flip rate is 0: the ratio of flip rates does not exist";

  /** The reason given when relu's mean excess is ≤ 0. */
  static final String NO_RELU_EXCESS =
      "relu's mean excess over the random-sign control is <= 0: the ratio of excesses does not exist";

  /**
   * The §5 figures and their intervals from {@code draws} bootstrap draws seeded by {@code seed}.
   *
   * @param relu relu's outcomes
   * @param attn attn's outcomes, seed position i the same training seed as relu's
   */
  public static Result compute(Outcomes relu, Outcomes attn, int draws, long seed) {
    if (draws < 1) {
      throw new IllegalArgumentException("need at least one bootstrap draw, got " + draws);
    }
    int s = relu.seeds();
    if (attn.seeds() != s) {
      throw new IllegalArgumentException("relu has " + s + " seeds, attn has " + attn.seeds()
          + ": the bootstrap resamples the same seed indices for both");
    }
    double[] rRate = new double[draws];
    double[] rCtl = new double[draws];
    double[] rEx = new double[draws];
    double[] aRate = new double[draws];
    double[] aCtl = new double[draws];
    double[] aEx = new double[draws];
    double[] flipRatio = new double[draws];
    double[] exRatio = new double[draws];
    int flipInf = 0;
    int exInf = 0;
    int[] drawn = new int[s];
    long state = seed; // u_t = SplitMix64.at(seed, t) = mix(seed + (t + 1)·GAMMA)
    double rDen = (double) s * relu.k;
    double aDen = (double) s * attn.k;
    for (int b = 0; b < draws; b++) {
      if (s > 1) {
        for (int i = 0; i < s; i++) {
          state += SplitMix64.GAMMA;
          drawn[i] = index(SplitMix64.mix(state), s);
        }
      }
      long ra = 0;
      long rc = 0;
      long aa = 0;
      long ac = 0;
      for (int i = 0; i < s; i++) {
        byte[] codes = relu.codes[drawn[i]];
        int k = codes.length;
        for (int j = 0; j < k; j++) {
          state += SplitMix64.GAMMA;
          int c = codes[index(SplitMix64.mix(state), k)];
          ra += c & 1;
          rc += c >> 1;
        }
        codes = attn.codes[drawn[i]];
        k = codes.length;
        for (int j = 0; j < k; j++) {
          state += SplitMix64.GAMMA;
          int c = codes[index(SplitMix64.mix(state), k)];
          aa += c & 1;
          ac += c >> 1;
        }
      }
      rRate[b] = ra / rDen;
      rCtl[b] = rc / rDen;
      rEx[b] = rRate[b] - rCtl[b];
      aRate[b] = aa / aDen;
      aCtl[b] = ac / aDen;
      aEx[b] = aRate[b] - aCtl[b];
      flipRatio[b] = ratio(aRate[b], rRate[b]);
      exRatio[b] = ratio(aEx[b], rEx[b]);
      flipInf += flipRatio[b] == Double.POSITIVE_INFINITY ? 1 : 0;
      exInf += exRatio[b] == Double.POSITIVE_INFINITY ? 1 : 0;
    }
    ModelFigures r = figures(relu, rRate, rCtl, rEx);
    ModelFigures a = figures(attn, aRate, aCtl, aEx);
    Ratio fr = ratio(a.flipRate.mean, r.flipRate.mean, flipRatio, flipInf, NO_RELU_FLIPS);
    Ratio er = ratio(a.excess.mean, r.excess.mean, exRatio, exInf, NO_RELU_EXCESS);
    return new Result(r, a, fr, er, draws, seed);
  }

  /** As {@link #compute(Outcomes, Outcomes, int, long)} with {@link #DEFAULT_DRAWS} draws. */
  public static Result compute(Outcomes relu, Outcomes attn, long seed) {
    return compute(relu, attn, DEFAULT_DRAWS, seed);
  }

  /** ⌊u·n / 2⁶⁴⌋ with u unsigned, for 0 &lt; n &lt; 2³¹: an index in [0, n). */
  static int index(long u, int n) {
    return (int) (Math.multiplyHigh(u, n) + ((u >> 63) & n));
  }

  /** num / den, or +∞ when den ≤ 0. */
  static double ratio(double num, double den) {
    return den > 0 ? num / den : Double.POSITIVE_INFINITY;
  }

  /**
   * The 1-based nearest rank of the q-th per-mille point among n sorted draws: ⌈q·n / 1000⌉, at
   * least 1.
   */
  static int rank(int perMille, int n) {
    return Math.max(1, (int) (((long) perMille * n + 999) / 1000));
  }

  /** The (2.5%, 97.5%) nearest-rank percentiles of the draws (sorted in place). */
  static double[] percentiles(double[] draws) {
    Arrays.sort(draws);
    return new double[] {draws[rank(25, draws.length) - 1], draws[rank(975, draws.length) - 1]};
  }

  private static ModelFigures figures(Outcomes o, double[] rate, double[] ctl, double[] ex) {
    double f = o.flipRate();
    double c = o.controlRate();
    return new ModelFigures(estimate(f, rate), estimate(c, ctl), estimate(f - c, ex), o.seeds(), o.k());
  }

  private static Estimate estimate(double mean, double[] draws) {
    double[] p = percentiles(draws);
    return new Estimate(mean, p[0], p[1]);
  }

  private static Ratio ratio(double num, double den, double[] draws, int infinite, String reason) {
    if (!(den > 0)) {
      return new Ratio(Double.NaN, Double.NaN, Double.NaN, infinite, draws.length, reason);
    }
    double[] p = percentiles(draws);
    return new Ratio(num / den, p[0], p[1], infinite, draws.length, null);
  }
}
