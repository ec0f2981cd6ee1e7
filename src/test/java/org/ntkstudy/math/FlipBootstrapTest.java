package org.ntkstudy.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ntkstudy.math.SplitMix64;
import org.ntkstudy.io.Json;
import org.ntkstudy.math.FlipBootstrap.Estimate;
import org.ntkstudy.math.FlipBootstrap.ModelFigures;
import org.ntkstudy.math.FlipBootstrap.Outcomes;
import org.ntkstudy.math.FlipBootstrap.Ratio;
import org.ntkstudy.math.FlipBootstrap.Result;

class FlipBootstrapTest {

  // ---------------------------------------------------------------- helpers

  /** S seeds × k examples, attack flipped with probability pa, control with pc (independently). */
  private static Outcomes bernoulli(SplittableRandom rnd, int seeds, int k, double pa, double pc) {
    boolean[][] a = new boolean[seeds][k];
    boolean[][] c = new boolean[seeds][k];
    for (int s = 0; s < seeds; s++) {
      for (int i = 0; i < k; i++) {
        a[s][i] = rnd.nextDouble() < pa;
        c[s][i] = rnd.nextDouble() < pc;
      }
    }
    return Outcomes.of(a, c);
  }

  /** Every example of every seed has the same (attack, control) pair. */
  private static Outcomes constant(int seeds, int k, boolean attack, boolean control) {
    boolean[][] a = new boolean[seeds][k];
    boolean[][] c = new boolean[seeds][k];
    for (int s = 0; s < seeds; s++) {
      Arrays.fill(a[s], attack);
      Arrays.fill(c[s], control);
    }
    return Outcomes.of(a, c);
  }

  private static void assertInside(Estimate e, double min, double max, String what) {
    assertTrue(min <= e.lo() && e.lo() <= e.hi() && e.hi() <= max, what + " interval " + e + " leaves [" + min
        + ", " + max + "]");
    assertTrue(min <= e.mean() && e.mean() <= max, what + " point " + e);
  }

  private static void assertCollapsed(Estimate e, double value) {
    assertEquals(value, e.mean(), 0.0);
    assertEquals(value, e.lo(), 0.0);
    assertEquals(value, e.hi(), 0.0);
  }

  // ---------------------------------------------------------------- point estimates

  @Test
  void handMadeTwoSeedsFourExamplesMatchHandArithmetic() {
    // relu: seed 0 attack 1001 control 0010; seed 1 attack 1100 control 0000.
    //   flips 2 + 2 = 4 of 8 -> 1/2; control 1 of 8; excess 3/8. Per seed: (2/4 + 2/4)/2 = 1/2.
    // attn: seed 0 attack 1110 control 1000; seed 1 attack 1111 control 0100.
    //   flips 3 + 4 = 7 of 8; control 2 of 8; excess 5/8. Per seed excess: (2/4 + 3/4)/2 = 5/8.
    Outcomes relu = Outcomes.ofBits(new int[][] {{1, 0, 0, 1}, {1, 1, 0, 0}}, new int[][] {{0, 0, 1, 0}, {0, 0, 0, 0}});
    Outcomes attn = Outcomes.ofBits(new int[][] {{1, 1, 1, 0}, {1, 1, 1, 1}}, new int[][] {{1, 0, 0, 0}, {0, 1, 0, 0}});
    Result r = FlipBootstrap.compute(relu, attn, 500, 7);
    assertEquals(0.5, r.relu().flipRate().mean(), 0.0);
    assertEquals(0.125, r.relu().controlRate().mean(), 0.0);
    assertEquals(0.375, r.relu().excess().mean(), 0.0);
    assertEquals(0.875, r.attn().flipRate().mean(), 0.0);
    assertEquals(0.25, r.attn().controlRate().mean(), 0.0);
    assertEquals(0.625, r.attn().excess().mean(), 0.0);
    assertEquals(1.75, r.flipRatio().value(), 0.0);
    assertEquals(5.0 / 3, r.excessRatio().value(), 1e-15);
    assertTrue(r.flipRatio().present() && r.excessRatio().present());
    assertEquals(2, r.relu().seeds());
    assertEquals(4, r.attn().k());
    // Same from booleans.
    Outcomes reluB = Outcomes.of(new boolean[][] {{true, false, false, true}, {true, true, false, false}},
        new boolean[][] {{false, false, true, false}, {false, false, false, false}});
    assertEquals(r, FlipBootstrap.compute(reluB, attn, 500, 7));
  }

  @Test
  void pointEstimatesEqualTheMeanOverSeedsOfPerSeedRates() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (int rep = 0; rep < 50; rep++) {
      int seeds = 1 + rnd.nextInt(8);
      int kr = 1 + rnd.nextInt(40);
      int ka = 1 + rnd.nextInt(40);
      boolean[][][] ra = new boolean[2][seeds][kr];
      boolean[][][] aa = new boolean[2][seeds][ka];
      double[] sums = new double[4]; // relu flip, relu ctl, attn flip, attn ctl: sums of per-seed rates
      for (int s = 0; s < seeds; s++) {
        int[] counts = new int[4];
        for (int i = 0; i < kr; i++) {
          ra[0][s][i] = rnd.nextDouble() < 0.4;
          ra[1][s][i] = rnd.nextDouble() < 0.3;
          counts[0] += ra[0][s][i] ? 1 : 0;
          counts[1] += ra[1][s][i] ? 1 : 0;
        }
        for (int i = 0; i < ka; i++) {
          aa[0][s][i] = rnd.nextDouble() < 0.6;
          aa[1][s][i] = rnd.nextDouble() < 0.2;
          counts[2] += aa[0][s][i] ? 1 : 0;
          counts[3] += aa[1][s][i] ? 1 : 0;
        }
        sums[0] += (double) counts[0] / kr;
        sums[1] += (double) counts[1] / kr;
        sums[2] += (double) counts[2] / ka;
        sums[3] += (double) counts[3] / ka;
      }
      Result r = FlipBootstrap.compute(Outcomes.of(ra[0], ra[1]), Outcomes.of(aa[0], aa[1]), 50, rep);
      double eps = 1e-14;
      assertEquals(sums[0] / seeds, r.relu().flipRate().mean(), eps);
      assertEquals(sums[1] / seeds, r.relu().controlRate().mean(), eps);
      assertEquals(sums[0] / seeds - sums[1] / seeds, r.relu().excess().mean(), eps);
      assertEquals(sums[2] / seeds, r.attn().flipRate().mean(), eps);
      assertEquals(sums[3] / seeds, r.attn().controlRate().mean(), eps);
      assertEquals(sums[2] / seeds - sums[3] / seeds, r.attn().excess().mean(), eps);
      double den = sums[0] / seeds;
      if (den > 0) {
        assertEquals((sums[2] / seeds) / den, r.flipRatio().value(), 1e-12);
      } else {
        assertFalse(r.flipRatio().present());
      }
      double denE = sums[0] / seeds - sums[1] / seeds;
      if (denE > 1e-12) {
        assertEquals((sums[2] / seeds - sums[3] / seeds) / denE, r.excessRatio().value(), 1e-9);
      } else if (denE < -1e-12) {
        assertFalse(r.excessRatio().present());
      }
    }
  }

  @Test
  void identicalExamplesCollapseEveryIntervalToItsPoint() {
    // Every example of every seed alike: every draw equals the data, so lo = point = hi.
    Result r = FlipBootstrap.compute(constant(5, 30, true, false), constant(5, 20, true, true), 300, 3);
    assertCollapsed(r.relu().flipRate(), 1.0);
    assertCollapsed(r.relu().controlRate(), 0.0);
    assertCollapsed(r.relu().excess(), 1.0);
    assertCollapsed(r.attn().flipRate(), 1.0);
    assertCollapsed(r.attn().controlRate(), 1.0);
    assertCollapsed(r.attn().excess(), 0.0);
    assertEquals(1.0, r.flipRatio().value(), 0.0);
    assertEquals(1.0, r.flipRatio().lo(), 0.0);
    assertEquals(1.0, r.flipRatio().hi(), 0.0);
    assertEquals(0.0, r.excessRatio().lo(), 0.0);
    assertEquals(0.0, r.excessRatio().hi(), 0.0);
    assertEquals(0, r.flipRatio().infiniteDraws());
  }

  // ---------------------------------------------------------------- intervals stay in range

  @Test
  void rateIntervalsStayInsideZeroOneAndExcessIntervalsInsideMinusOneOne() {
    SplittableRandom rnd = new SplittableRandom(2026);
    double[] ps = {0, 1, 0.5, 0.01, 0.99};
    for (int rep = 0; rep < 400; rep++) {
      int seeds = 1 + rnd.nextInt(6);
      int k = 1 + rnd.nextInt(25);
      // A fifth of the cases at the extremes (all or none flipped), the rest at random rates.
      double pa = rep % 5 == 0 ? ps[rnd.nextInt(2)] : rep % 5 == 1 ? ps[rnd.nextInt(ps.length)] : rnd.nextDouble();
      double pc = rep % 5 == 0 ? ps[rnd.nextInt(2)] : rnd.nextDouble();
      Outcomes relu = bernoulli(rnd, seeds, k, pa, pc);
      Outcomes attn = bernoulli(rnd, seeds, 1 + rnd.nextInt(25), rnd.nextDouble(), pa);
      Result r = FlipBootstrap.compute(relu, attn, 100 + rnd.nextInt(200), rnd.nextLong());
      for (ModelFigures m : new ModelFigures[] {r.relu(), r.attn()}) {
        assertInside(m.flipRate(), 0, 1, "flip rate");
        assertInside(m.controlRate(), 0, 1, "control rate");
        assertInside(m.excess(), -1, 1, "excess");
      }
      for (Ratio q : new Ratio[] {r.flipRatio(), r.excessRatio()}) {
        if (q.present()) {
          assertTrue(q.lo() <= q.hi() && !Double.isNaN(q.lo()) && !Double.isNaN(q.hi()), q.toString());
        }
      }
      if (r.flipRatio().present()) {
        assertTrue(r.flipRatio().lo() >= 0, r.flipRatio().toString());
      }
    }
  }

  @Test
  void allFlippedAndNoneFlippedGiveDegenerateButValidIntervals() {
    Result all = FlipBootstrap.compute(constant(3, 10, true, true), constant(3, 10, true, true), 200, 1);
    assertCollapsed(all.relu().flipRate(), 1.0);
    assertCollapsed(all.relu().excess(), 0.0);
    assertFalse(all.excessRatio().present()); // relu's excess is 0
    Result none = FlipBootstrap.compute(constant(3, 10, false, false), constant(3, 10, false, false), 200, 1);
    assertCollapsed(none.attn().flipRate(), 0.0);
    assertCollapsed(none.attn().controlRate(), 0.0);
    assertFalse(none.flipRatio().present()); // relu flipped nothing
    assertEquals(200, none.flipRatio().infiniteDraws());
  }

  // ---------------------------------------------------------------- determinism

  @Test
  void sameSeedIsBitIdenticalAndAnotherSeedMovesTheEnds() {
    SplittableRandom rnd = new SplittableRandom(5);
    Outcomes relu = bernoulli(rnd, 6, 40, 0.45, 0.15);
    Outcomes attn = bernoulli(rnd, 6, 40, 0.6, 0.3);
    Result a = FlipBootstrap.compute(relu, attn, 2000, 42);
    Result b = FlipBootstrap.compute(relu, attn, 2000, 42);
    assertEquals(a, b);
    assertEquals(Json.compact(a.toMap()), Json.compact(b.toMap()));
    for (ModelFigures[] m : new ModelFigures[][] {{a.relu(), b.relu()}, {a.attn(), b.attn()}}) {
      for (int f = 0; f < 3; f++) {
        Estimate x = f == 0 ? m[0].flipRate() : f == 1 ? m[0].controlRate() : m[0].excess();
        Estimate y = f == 0 ? m[1].flipRate() : f == 1 ? m[1].controlRate() : m[1].excess();
        assertEquals(Double.doubleToRawLongBits(x.lo()), Double.doubleToRawLongBits(y.lo()));
        assertEquals(Double.doubleToRawLongBits(x.hi()), Double.doubleToRawLongBits(y.hi()));
      }
    }
    assertTrue(a.excessRatio().present() && !a.excessRatio().hiUnbounded(), a.excessRatio().toString());
    Result c = FlipBootstrap.compute(relu, attn, 2000, 43);
    assertEquals(a.relu().flipRate().mean(), c.relu().flipRate().mean(), 0.0); // points do not depend on it
    assertEquals(a.excessRatio().value(), c.excessRatio().value(), 0.0);
    // The ratio ends are near-continuous: another seed moves them (the rate ends sit on a 1/(S k) grid
    // and may coincide).
    assertNotEquals(a.flipRatio().lo(), c.flipRatio().lo());
    assertNotEquals(a.flipRatio().hi(), c.flipRatio().hi());
    assertNotEquals(a.excessRatio().lo(), c.excessRatio().lo());
    assertNotEquals(a.excessRatio().hi(), c.excessRatio().hi());
    assertNotEquals(a, c);
  }

  // ---------------------------------------------------------------- the draw order of the Javadoc

  /** ⌊u·n / 2⁶⁴⌋ with u unsigned, in exact integers. */
  private static int referenceIndex(long u, int n) {
    BigInteger uu = new BigInteger(Long.toUnsignedString(u));
    return uu.multiply(BigInteger.valueOf(n)).shiftRight(64).intValueExact();
  }

  /** Element at the 1-based rank ⌈q·B⌉ (q = num/den, exact) of the sorted draws. */
  private static double referencePercentile(double[] draws, int num, int den) {
    double[] s = draws.clone();
    Arrays.sort(s);
    int rank = (int) Math.max(1, (num * (long) s.length + den - 1) / den);
    return s[rank - 1];
  }

  /**
   * The two-level bootstrap written out plainly from the class's Javadoc (SplitMix64.at(seed, t),
   * seeds then relu's then attn's examples per drawn seed; per-seed rates averaged over seeds),
   * returning per draw {relu flip, relu ctl, attn flip, attn ctl}.
   */
  private static double[][] referenceDraws(int[][][] relu, int[][][] attn, int draws, long seed) {
    int s = relu[0].length;
    double[][] out = new double[4][draws];
    long t = 0;
    for (int b = 0; b < draws; b++) {
      int[] drawn = new int[s];
      if (s > 1) {
        for (int i = 0; i < s; i++) {
          drawn[i] = referenceIndex(SplitMix64.at(seed, t++), s);
        }
      }
      for (int i = 0; i < s; i++) {
        int[][][][] models = {relu, attn};
        for (int m = 0; m < 2; m++) {
          int[] att = models[m][0][drawn[i]];
          int[] ctl = models[m][1][drawn[i]];
          int k = att.length;
          int fa = 0;
          int fc = 0;
          for (int j = 0; j < k; j++) {
            int idx = referenceIndex(SplitMix64.at(seed, t++), k);
            fa += att[idx];
            fc += ctl[idx];
          }
          out[2 * m][b] += (double) fa / k / s;
          out[2 * m + 1][b] += (double) fc / k / s;
        }
      }
    }
    return out;
  }

  private static int[][][] randomBits(SplittableRandom rnd, int seeds, int k, double pa, double pc) {
    int[][][] v = new int[2][seeds][k];
    for (int s = 0; s < seeds; s++) {
      for (int i = 0; i < k; i++) {
        v[0][s][i] = rnd.nextDouble() < pa ? 1 : 0;
        v[1][s][i] = rnd.nextDouble() < pc ? 1 : 0;
      }
    }
    return v;
  }

  @Test
  void drawsFollowTheDocumentedStreamExactly() {
    // k = 8 and S = 4 are powers of two, so per-seed rate / S summed equals count / (S k) exactly.
    SplittableRandom rnd = new SplittableRandom(99);
    for (int seeds : new int[] {1, 4}) {
      int[][][] relu = randomBits(rnd, seeds, 8, 0.4, 0.3);
      int[][][] attn = randomBits(rnd, seeds, 8, 0.7, 0.2);
      int draws = 400;
      long seed = -1234567L;
      double[][] ref = referenceDraws(relu, attn, draws, seed);
      Result r = FlipBootstrap.compute(Outcomes.ofBits(relu[0], relu[1]), Outcomes.ofBits(attn[0], attn[1]), draws,
          seed);
      Estimate[] got = {r.relu().flipRate(), r.relu().controlRate(), r.attn().flipRate(), r.attn().controlRate()};
      for (int f = 0; f < 4; f++) {
        assertEquals(referencePercentile(ref[f], 25, 1000), got[f].lo(), 0.0, "figure " + f + " lo, S=" + seeds);
        assertEquals(referencePercentile(ref[f], 975, 1000), got[f].hi(), 0.0, "figure " + f + " hi, S=" + seeds);
      }
      double[] exRelu = new double[draws];
      double[] ratio = new double[draws];
      for (int b = 0; b < draws; b++) {
        exRelu[b] = ref[0][b] - ref[1][b];
        ratio[b] = ref[0][b] > 0 ? ref[2][b] / ref[0][b] : Double.POSITIVE_INFINITY;
      }
      assertEquals(referencePercentile(exRelu, 25, 1000), r.relu().excess().lo(), 0.0);
      assertEquals(referencePercentile(exRelu, 975, 1000), r.relu().excess().hi(), 0.0);
      assertEquals(referencePercentile(ratio, 25, 1000), r.flipRatio().lo(), 0.0);
      assertEquals(referencePercentile(ratio, 975, 1000), r.flipRatio().hi(), 0.0);
    }
  }

  @Test
  void indexAndRanksAreExact() {
    for (int n : new int[] {1, 2, 3, 7, 10, 200, 1 << 30}) {
      assertEquals(0, FlipBootstrap.index(0L, n));
      assertEquals(n - 1, FlipBootstrap.index(-1L, n)); // u = 2^64 - 1
      assertEquals(n / 2, FlipBootstrap.index(Long.MIN_VALUE, n)); // u = 2^63
      for (long t = 0; t < 200; t++) {
        long u = SplitMix64.at(t, t);
        assertEquals(referenceIndex(u, n), FlipBootstrap.index(u, n));
      }
    }
    assertEquals(50, FlipBootstrap.rank(25, 2000));
    assertEquals(1950, FlipBootstrap.rank(975, 2000));
    assertEquals(1, FlipBootstrap.rank(25, 1));
    assertEquals(1, FlipBootstrap.rank(975, 1));
    assertEquals(1, FlipBootstrap.rank(25, 40));
    assertEquals(39, FlipBootstrap.rank(975, 40));
    assertEquals(3, FlipBootstrap.rank(25, 101));
    assertEquals(99, FlipBootstrap.rank(975, 101));
  }

  // ---------------------------------------------------------------- one seed

  @Test
  void withOneSeedOnlyTheExamplesAreResampled() {
    // Seed 0 all flipped, seed 1 none: within each seed every example alike. With both seeds the
    // seed resampling alone spreads the rate over {0, 1/2, 1}; with one seed only examples are
    // resampled and they are all alike, so the interval collapses.
    boolean[][] two = {new boolean[50], new boolean[50]};
    Arrays.fill(two[0], true);
    boolean[][] noCtl = {new boolean[50], new boolean[50]};
    Outcomes both = Outcomes.of(two, noCtl);
    Result r2 = FlipBootstrap.compute(both, both, 2000, 8);
    assertEquals(0.5, r2.relu().flipRate().mean(), 0.0);
    assertEquals(0.0, r2.relu().flipRate().lo(), 0.0);
    assertEquals(1.0, r2.relu().flipRate().hi(), 0.0);
    for (int s = 0; s < 2; s++) {
      Outcomes one = Outcomes.of(new boolean[][] {two[s]}, new boolean[][] {noCtl[s]});
      Result r1 = FlipBootstrap.compute(one, one, 2000, 8);
      assertCollapsed(r1.relu().flipRate(), s == 0 ? 1.0 : 0.0);
      assertCollapsed(r1.attn().excess(), s == 0 ? 1.0 : 0.0);
    }
    // With one seed and mixed examples: the example-only bootstrap drawn from the stream with no
    // number spent on a seed index (checked against the plain reference).
    SplittableRandom rnd = new SplittableRandom(3);
    int[][][] relu = randomBits(rnd, 1, 37, 0.3, 0.2);
    int[][][] attn = randomBits(rnd, 1, 37, 0.5, 0.2);
    double[][] ref = referenceDraws(relu, attn, 1000, 77);
    Result r = FlipBootstrap.compute(Outcomes.ofBits(relu[0], relu[1]), Outcomes.ofBits(attn[0], attn[1]), 1000, 77);
    assertEquals(referencePercentile(ref[0], 25, 1000), r.relu().flipRate().lo(), 0.0);
    assertEquals(referencePercentile(ref[2], 975, 1000), r.attn().flipRate().hi(), 0.0);
    assertTrue(r.relu().flipRate().hi() > r.relu().flipRate().lo());
  }

  // ---------------------------------------------------------------- ratios: absent and +∞

  @Test
  void excessRatioIsAbsentWithAReasonWhenReluExcessIsNotPositive() {
    SplittableRandom rnd = new SplittableRandom(17);
    Outcomes attn = bernoulli(rnd, 3, 40, 0.6, 0.2);
    // relu's excess exactly 0 (attack and control flip the same examples) and negative (control only).
    Outcomes zero = constant(3, 40, true, true);
    Outcomes negative = constant(3, 40, false, true);
    for (Outcomes relu : new Outcomes[] {zero, negative}) {
      Result r = FlipBootstrap.compute(relu, attn, 500, 1);
      Ratio q = r.excessRatio();
      assertFalse(q.present());
      assertEquals(FlipBootstrap.NO_RELU_EXCESS, q.reason());
      assertTrue(Double.isNaN(q.value()) && Double.isNaN(q.lo()) && Double.isNaN(q.hi()));
      assertFalse(q.contains(1) || q.above(1) || q.below(1));
      assertEquals(500, q.infiniteDraws()); // every draw has relu excess <= 0 here
      Map<String, Object> json = Json.read(Json.write(r.toMap()));
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) json.get("excess_ratio");
      assertNull(m.get("mean"));
      assertNull(m.get("lo"));
      assertNull(m.get("hi"));
      assertEquals(false, m.get("hi_unbounded"));
      assertEquals(FlipBootstrap.NO_RELU_EXCESS, m.get("reason"));
    }
    // Negative excess: relu's flip rate is 0 too, so the ratio of raw rates is absent as well.
    Result r = FlipBootstrap.compute(negative, attn, 500, 1);
    assertFalse(r.flipRatio().present());
    assertEquals(FlipBootstrap.NO_RELU_FLIPS, r.flipRatio().reason());
    // Zero excess but relu flips everything: the raw ratio exists.
    assertTrue(FlipBootstrap.compute(zero, attn, 500, 1).flipRatio().present());
  }

  @Test
  void drawsWithReluDenominatorAtMostZeroAreInfiniteAndTheUpperEndIsUnbounded() {
    // One seed, k = 20. relu: 2 attack flips (examples 0, 1) and 1 control flip (example 2): excess
    // 0.05 > 0, but a resample often holds as many control as attack flips -> excess <= 0 -> +∞.
    // Its flip rate 0.1: P(no flip in a resample) = 0.9^20 ≈ 0.12 > 2.5% -> raw ratio's hi = +∞.
    int[][] ra = new int[1][20];
    int[][] rc = new int[1][20];
    ra[0][0] = 1;
    ra[0][1] = 1;
    rc[0][2] = 1;
    SplittableRandom rnd = new SplittableRandom(4);
    Outcomes attn = bernoulli(rnd, 1, 20, 0.7, 0.2);
    Result r = FlipBootstrap.compute(Outcomes.ofBits(ra, rc), attn, 2000, 5);
    Ratio ex = r.excessRatio();
    assertTrue(ex.present());
    assertEquals(r.attn().excess().mean() / 0.05, ex.value(), 1e-12);
    assertTrue(ex.hiUnbounded());
    assertFalse(ex.loUnbounded());
    assertTrue(ex.infiniteDraws() >= 51 && ex.infiniteDraws() < 2000, "infinite draws " + ex.infiniteDraws());
    assertTrue(ex.contains(1e300));
    assertTrue(Double.isFinite(ex.lo()));
    Ratio fl = r.flipRatio();
    assertTrue(fl.hiUnbounded());
    // P(a resample of 20 has no flip) = 0.9^20; the count is binomial(2000, 0.1216): mean 243, sd 15.
    assertTrue(fl.infiniteDraws() > 150 && fl.infiniteDraws() < 340, "flip ratio infinite draws " + fl.infiniteDraws());
    // JSON: the +∞ end is null with hi_unbounded true; the finite end stays a number.
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) Json.read(Json.write(r.toMap())).get("excess_ratio");
    assertNull(m.get("hi"));
    assertEquals(true, m.get("hi_unbounded"));
    assertEquals(false, m.get("lo_unbounded"));
    assertEquals(ex.lo(), ((Number) m.get("lo")).doubleValue(), 0.0);
    assertEquals(ex.value(), ((Number) m.get("mean")).doubleValue(), 0.0);
    assertEquals(ex.infiniteDraws(), ((Number) m.get("infinite_draws")).intValue());
    assertFalse(m.containsKey("reason"));
  }

  @Test
  void percentilesSortInfinityLastAndEitherEndMayBeUnbounded() {
    // B = 40: ranks ⌈1⌉ = 1 and ⌈39⌉ = 39. One finite draw -> lo finite, hi +∞; none -> both +∞.
    double[] draws = new double[40];
    Arrays.fill(draws, Double.POSITIVE_INFINITY);
    draws[7] = 2.0;
    double[] p = FlipBootstrap.percentiles(draws.clone());
    assertEquals(2.0, p[0], 0.0);
    assertEquals(Double.POSITIVE_INFINITY, p[1], 0.0);
    // 38 infinite of 40: the 39th smallest is the first +∞.
    draws[8] = 3.0;
    assertEquals(Double.POSITIVE_INFINITY, FlipBootstrap.percentiles(draws.clone())[1], 0.0);
    // 37 infinite of 40: the 39th smallest is +∞ still (ranks 4..40 are +∞).
    draws[9] = 4.0;
    assertEquals(Double.POSITIVE_INFINITY, FlipBootstrap.percentiles(draws.clone())[1], 0.0);
    // Only 1 infinite of 40: the 39th smallest is finite.
    double[] mostlyFinite = new double[40];
    for (int i = 0; i < 40; i++) {
      mostlyFinite[i] = 40 - i;
    }
    mostlyFinite[0] = Double.POSITIVE_INFINITY;
    assertEquals(39.0, FlipBootstrap.percentiles(mostlyFinite)[1], 0.0);
    // A ratio with both ends +∞ (possible only when ≥ 97.5% of draws are): JSON nulls, both flags.
    Ratio up = new Ratio(3.0, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 1990, 2000, null);
    assertTrue(up.loUnbounded() && up.hiUnbounded() && up.above(1) && !up.contains(1e308) && !up.contains(3.0));
    Map<String, Object> m = Json.read(Json.write(up.toMap()));
    assertEquals(3.0, ((Number) m.get("mean")).doubleValue(), 0.0);
    assertNull(m.get("lo"));
    assertNull(m.get("hi"));
    assertEquals(true, m.get("lo_unbounded"));
    assertEquals(true, m.get("hi_unbounded"));
    assertEquals(1990, ((Number) m.get("infinite_draws")).intValue());
  }

  // ---------------------------------------------------------------- coverage

  @Test
  void oneSeedBernoulliIntervalsCoverTheTrueRateAboutNinetyFivePercent() {
    // One seed (examples only), k = 400 i.i.d. Bernoulli outcomes: the 95% interval of each rate and
    // of each excess covers its true value in about 95% of 200 repetitions.
    SplittableRandom rnd = new SplittableRandom(2603);
    int reps = 200;
    double paR = 0.3;
    double pcR = 0.1;
    double paA = 0.55;
    double pcA = 0.25;
    int[] covered = new int[4];
    for (int rep = 0; rep < reps; rep++) {
      Outcomes relu = bernoulli(rnd, 1, 400, paR, pcR);
      Outcomes attn = bernoulli(rnd, 1, 400, paA, pcA);
      Result r = FlipBootstrap.compute(relu, attn, 1000, rep);
      covered[0] += r.relu().flipRate().contains(paR) ? 1 : 0;
      covered[1] += r.relu().excess().contains(paR - pcR) ? 1 : 0;
      covered[2] += r.attn().controlRate().contains(pcA) ? 1 : 0;
      covered[3] += r.excessRatio().contains((paA - pcA) / (paR - pcR)) ? 1 : 0;
    }
    for (int f = 0; f < 4; f++) {
      double c = (double) covered[f] / reps;
      System.out.printf("FlipBootstrap one-seed coverage, figure %d: %.3f%n", f, c);
      assertTrue(c >= 0.88 && c <= 0.99, "figure " + f + " coverage " + c);
    }
  }

  @Test
  void severalAlikeSeedsGiveConservativeIntervals() {
    // Seeds that do not differ (every seed i.i.d. Bernoulli(p)): resampling seeds and then examples
    // counts the within-seed variance twice, so the 95% interval over-covers (documented in the
    // class Javadoc); it must never under-cover here.
    SplittableRandom rnd = new SplittableRandom(85);
    int reps = 200;
    int covered = 0;
    for (int rep = 0; rep < reps; rep++) {
      Outcomes relu = bernoulli(rnd, 5, 100, 0.3, 0.1);
      Outcomes attn = bernoulli(rnd, 5, 100, 0.5, 0.1);
      Result r = FlipBootstrap.compute(relu, attn, 1000, rep);
      covered += r.attn().excess().contains(0.4) ? 1 : 0;
    }
    double c = (double) covered / reps;
    System.out.printf("FlipBootstrap five alike seeds, excess coverage: %.3f%n", c);
    assertTrue(c >= 0.95, "coverage " + c);
  }

  // ---------------------------------------------------------------- input checks and speed

  @Test
  void malformedInputsAreRejected() {
    Outcomes two = constant(2, 5, true, false);
    Outcomes three = constant(3, 5, true, false);
    assertThrows(IllegalArgumentException.class, () -> FlipBootstrap.compute(two, three, 10, 1));
    assertThrows(IllegalArgumentException.class, () -> FlipBootstrap.compute(two, two, 0, 1));
    assertThrows(IllegalArgumentException.class,
        () -> Outcomes.of(new boolean[][] {new boolean[4], new boolean[5]}, new boolean[][] {new boolean[4],
            new boolean[5]}));
    assertThrows(IllegalArgumentException.class,
        () -> Outcomes.of(new boolean[][] {new boolean[4]}, new boolean[][] {new boolean[3]}));
    assertThrows(IllegalArgumentException.class, () -> Outcomes.of(new boolean[0][], new boolean[0][]));
    assertThrows(IllegalArgumentException.class, () -> Outcomes.of(new boolean[][] {{}}, new boolean[][] {{}}));
    assertThrows(IllegalArgumentException.class,
        () -> Outcomes.ofBits(new int[][] {{0, 2}}, new int[][] {{0, 1}}));
    // Different k for the two models is fine.
    assertEquals(5, FlipBootstrap.compute(two, constant(2, 9, true, true), 10, 1).relu().k());
  }

}
