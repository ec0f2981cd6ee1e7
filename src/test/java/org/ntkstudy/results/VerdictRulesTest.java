package org.ntkstudy.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.ntkstudy.results.VerdictRules.Excess;
import org.ntkstudy.results.VerdictRules.Ratio;

/** Each SCIENCE §7 rule pinned on constructed numbers, with every verdict it can give reached. */
class VerdictRulesTest {

  static void assertContains(String text, String part) {
    assertTrue(text.contains(part), "expected \"" + part + "\" in: " + text);
  }

  // ---------------------------------------------------------------- C1

  @Nested
  class C1 {
    /** κ_k(G) = k and κ_k(X̃X̃ᵀ) = e^0.1 · k^power at every k of §1. */
    Map<Integer, Double> kappas(double power) {
      Map<Integer, Double> m = new LinkedHashMap<>();
      for (int k : VerdictRules.KAPPA_KS) {
        m.put(k, Math.exp(0.1) * Math.pow(k, power));
      }
      return m;
    }

    Map<Integer, Double> g() {
      return kappas(1);
    }

    @Test
    void holdsWhenTheSlopeIsInItsRangeAndSkipsKAboveRTol() {
      Map<Integer, Double> g = new LinkedHashMap<>();
      VerdictRules.KAPPA_KS.forEach(k -> g.put(k, (double) k));
      Verdict v = VerdictRules.c1(g, kappas(2.93), 30);
      assertEquals(Verdict.HOLDS, v.verdict());
      assertEquals(2.93, (Double) v.evidence().get("slope"), 1e-12);
      assertEquals(0.1, (Double) v.evidence().get("intercept"), 1e-12);
      assertEquals(List.of(2L, 5L, 10L, 20L), v.evidence().get("k_used"));
      assertEquals(List.of(50L), v.evidence().get("k_over_r_tol"));
      assertEquals(30L, v.evidence().get("r_tol"));
      assertEquals("slope of ln κ_k(X̃X̃ᵀ) on ln κ_k(G) over k ∈ {2, 5, 10, 20} (k ≤ r_tol = 30) is 2.93, in "
          + "[2.5, 3.5]; skipped k ∈ {50} (k > r_tol = 30)", v.rule());
      assertEquals("holds: κ_k(X̃X̃ᵀ) grows as κ_k(G)^2.93 over k ∈ {2, 5, 10, 20}, in [2.5, 3.5] (the paper: κ³)",
          v.sentence());
    }

    @Test
    void failsOutsideTheRangeOnEitherSide() {
      Verdict low = VerdictRules.c1(g(), kappas(1.2), 100);
      assertEquals(Verdict.FAILS, low.verdict());
      assertEquals(1.2, (Double) low.evidence().get("slope"), 1e-12);
      assertContains(low.rule(), "is 1.20, outside [2.5, 3.5]");
      assertContains(low.sentence(), "fails: κ_k(X̃X̃ᵀ) grows as κ_k(G)^1.20");
      assertEquals(Verdict.FAILS, VerdictRules.c1(g(), kappas(3.6), 100).verdict());
      assertEquals(Verdict.HOLDS, VerdictRules.c1(g(), kappas(3.4), 100).verdict());
    }

    @Test
    void inconclusiveWithFewerThanTwoUsableK() {
      Verdict v = VerdictRules.c1(g(), kappas(3), 4);
      assertEquals(Verdict.INCONCLUSIVE, v.verdict());
      assertEquals(List.of(2L), v.evidence().get("k_used"));
      assertEquals(List.of(5L, 10L, 20L, 50L), v.evidence().get("k_over_r_tol"));
      assertContains((String) v.evidence().get("reason"), "fewer than two usable k (1)");
      assertContains(v.rule(), "k > r_tol = 4");
      assertNull(v.evidence().get("slope"));
      assertContains(v.sentence(), "inconclusive: ");

      // Missing values (null, ∞, ≤ 0) are skipped like k > r_tol, and said so.
      Map<Integer, Double> xt = kappas(3);
      xt.put(5, null);
      xt.put(10, Double.POSITIVE_INFINITY);
      xt.put(20, 0.0);
      xt.remove(50);
      Verdict m = VerdictRules.c1(g(), xt, 1000);
      assertEquals(Verdict.INCONCLUSIVE, m.verdict());
      assertEquals(List.of(5L, 10L, 20L, 50L), m.evidence().get("k_missing"));
      assertContains(m.rule(), "(κ_k missing)");
      assertEquals(Verdict.INCONCLUSIVE, VerdictRules.c1(null, null, 1000).verdict());
    }

    @Test
    void inconclusiveWhenKappaGIsFlat() {
      Map<Integer, Double> flat = new LinkedHashMap<>();
      VerdictRules.KAPPA_KS.forEach(k -> flat.put(k, 1.0));
      Verdict v = VerdictRules.c1(flat, kappas(3), 100);
      assertEquals(Verdict.INCONCLUSIVE, v.verdict());
      assertContains(v.rule(), "no slope to fit");
    }
  }

  // ---------------------------------------------------------------- C2

  @Nested
  class C2 {
    @Test
    void holdsWhenTheSlopeIsNotNegative() {
      Verdict v = VerdictRules.c2("attn", 0.05, -1.0, 4096.0, 1e6);
      assertEquals(Verdict.HOLDS, v.verdict());
      assertNull(v.evidence().get("m_hat"));
      assertContains(v.rule(), "slope b = 0.05 ≥ 0");
      assertEquals("holds: attn's e_W does not fall with width (slope 0.05)", v.sentence());
      assertEquals(Verdict.HOLDS, VerdictRules.c2("attn", 0.0, -1.0, 4096.0, 1e6).verdict(), "b = 0 is b ≥ 0");
      assertEquals(Verdict.HOLDS, VerdictRules.c2("attn", 0.0, null, null, 1e6).verdict(),
          "no intercept is needed when b ≥ 0");
    }

    @Test
    void holdsWhenTheExtrapolatedWidthIsPastThePracticalWidth() {
      // log10 m̂(0.1) = (−1 − (−0.3)) / (−0.1) = 7.
      Verdict v = VerdictRules.c2("attn", -0.1, -0.3, 4096.0, VerdictRules.DEFAULT_PRACTICAL_WIDTH);
      assertEquals(Verdict.HOLDS, v.verdict());
      assertEquals(7.0, (Double) v.evidence().get("log10_m_hat"), 1e-12);
      assertEquals(1e7, (Double) v.evidence().get("m_hat"), 1e-3);
      assertEquals(1e6, v.evidence().get("practical_width"));
      assertContains(v.rule(), "attn's e_W fit log10 e_W = −0.30 − 0.10 · log10 m reaches e_W = 0.1 at m̂(0.1) = 10^7.00"
          + " ≥ the practical width 10^6.00");
      assertEquals("holds: attn's e_W reaches 0.1 at m̂ ≈ 10^7.00 neurons, beyond the practical width 10^6.00",
          v.sentence());
    }

    @Test
    void failsWhenTheExtrapolatedWidthIsWithinTheWidthsMeasured() {
      // log10 m̂(0.1) = (−1 − 0) / (−0.5) = 2: m̂ = 100 ≤ 4096.
      Verdict v = VerdictRules.c2("relu", -0.5, 0.0, 4096.0, 1e6);
      assertEquals(Verdict.FAILS, v.verdict());
      assertEquals(100.0, (Double) v.evidence().get("m_hat"), 1e-9);
      assertContains(v.rule(), "≤ the widest width measured, 4096");
      assertEquals("fails: relu's e_W reaches 0.1 at m̂ ≈ 10^2.00 neurons, within the widths measured (up to 4096)",
          v.sentence());
    }

    @Test
    void inconclusiveBetweenTheWidestAndThePracticalWidth() {
      // log10 m̂ = 5: past 4096, short of 1e6.
      Verdict v = VerdictRules.c2("attn", -0.2, 0.0, 4096.0, 1e6);
      assertEquals(Verdict.INCONCLUSIVE, v.verdict());
      assertContains(v.sentence(), "beyond the widest width measured (4096) but short of the practical width 10^6.00");
      // The same fit holds with a smaller --practical-width.
      assertEquals(Verdict.HOLDS, VerdictRules.c2("attn", -0.2, 0.0, 4096.0, 1e4).verdict());
    }

    @Test
    void inconclusiveWithoutAFitSayingWhy() {
      Verdict v = VerdictRules.c2("attn", Fit.none(1, 3), 4096.0, 1e6);
      assertEquals(Verdict.INCONCLUSIVE, v.verdict());
      assertContains((String) v.evidence().get("reason"), "no e_W fit");
      assertContains(v.sentence(), "inconclusive: attn's e_W: no e_W fit");
      assertEquals(Verdict.INCONCLUSIVE, VerdictRules.c2("attn", (Fit) null, 4096.0, 1e6).verdict());
      assertEquals(Verdict.INCONCLUSIVE, VerdictRules.c2("relu", -0.5, 0.0, null, 1e6).verdict(),
          "the widest width decides here and is unknown");
      Fit fit = new Fit(-0.5, 0.0, null, 100.0, 2.0, 5, 3);
      assertEquals(Verdict.FAILS, VerdictRules.c2("relu", fit, 4096.0, 1e6).verdict());
    }

    @Test
    void practicalWidthMustBePositive() {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> VerdictRules.c2("attn", -0.5, 0.0, 4096.0, 0));
      assertContains(e.getMessage(), "--practical-width");
    }
  }

  // ---------------------------------------------------------------- C3

  @Nested
  class C3 {
    Excess ex(double mean, double lo, double hi) {
      return new Excess(mean, lo, hi, false, 0.95, 0.5);
    }

    Excess atChance(double mean, double lo, double hi) {
      return new Excess(mean, lo, hi, true, 0.51, 0.50);
    }

    Verdict c3(Excess attn, Excess relu, Ratio ratio) {
      return VerdictRules.c3("transformed", "pgd", 0.3, attn, relu, ratio);
    }

    final Ratio noRatio = new Ratio(null, null, null, "relu's mean excess ≤ 0");

    @Test
    void confoundedWhenAttnIsAtChance() {
      Verdict v = c3(atChance(0.3, 0.2, 0.4), ex(0.05, 0.02, 0.08), new Ratio(6.0, 3.0, 12.0, null));
      assertEquals(Verdict.CONFOUNDED, v.verdict());
      assertEquals("confounded: the attn network is at chance (test accuracy 0.51, chance 0.50)", v.sentence());
      assertEquals(true, v.evidence().get("attn_at_chance"));
      assertContains(v.rule(), "attn's networks are at chance");
    }

    @Test
    void confoundedWhenReluIsAtChance() {
      Verdict v = c3(ex(0.3, 0.2, 0.4), atChance(0.05, 0.02, 0.08), new Ratio(6.0, 3.0, 12.0, null));
      assertEquals(Verdict.CONFOUNDED, v.verdict());
      assertEquals("confounded: the relu network is at chance (test accuracy 0.51, chance 0.50)", v.sentence());
      Verdict both = c3(atChance(0.3, 0.2, 0.4), atChance(0.05, 0.02, 0.08), null);
      assertContains(both.sentence(), "confounded: both networks are at chance");
    }

    @Test
    void confoundedWhenNeitherAttackBeatsRandomNoise() {
      Verdict v = c3(ex(0.02, -0.01, 0.05), ex(0.01, -0.02, 0.03), new Ratio(2.0, -5.0, 9.0, null));
      assertEquals(Verdict.CONFOUNDED, v.verdict());
      assertContains(v.rule(), "neither attack beats random noise");
      assertEquals("confounded: neither attack beats random noise (transformed, PGD, ε = 0.3): excess flip rate attn "
          + "0.02 [−0.01, 0.05], relu 0.01 [−0.02, 0.03]", v.sentence());
      assertFalse(v.sentence().contains("at chance"));
    }

    @Test
    void higherWhenReluIncludesZeroAndAttnIsAbove() {
      Verdict v = c3(ex(0.25, 0.18, 0.31), ex(0.01, -0.02, 0.04), noRatio);
      assertEquals(Verdict.HIGHER, v.verdict());
      assertContains(v.rule(), "relu's excess interval includes 0 and attn's lies above 0");
      assertContains(v.sentence(), "higher: attn's attack beats random noise (excess 0.25 [0.18, 0.31]) and relu's "
          + "does no better than random noise");
      assertEquals("relu's mean excess ≤ 0", v.evidence().get("excess_ratio_reason"));
      assertEquals(List.of(6.0, 9.0), v.evidence().get("paper_ratio"));
      assertEquals(List.of(2.0, 9.0), v.evidence().get("paper_ratio_v2"));
    }

    @Test
    void higherWhenReluIsBelowZeroAndAttnIsAbove() {
      Verdict v = c3(ex(0.25, 0.18, 0.31), ex(-0.05, -0.08, -0.02), noRatio);
      assertEquals(Verdict.HIGHER, v.verdict());
      assertContains(v.rule(), "relu's excess interval lies below 0");
      assertContains(v.sentence(), "relu's does worse than random noise");
    }

    @Test
    void reversedWhenAttnIncludesZeroWhileReluIsAbove() {
      Verdict v = c3(ex(0.01, -0.02, 0.04), ex(0.2, 0.1, 0.3), new Ratio(0.05, -0.1, 0.2, null));
      assertEquals(Verdict.REVERSED, v.verdict());
      assertContains(v.rule(), "attn's excess interval includes 0 while relu's lies above 0");
      assertTrue(v.sentence().startsWith("reversed: attn's attack does no better than random noise"), v.sentence());
      assertContains(v.sentence(), "the paper: 6–9×, v2: 2–9×");
    }

    @Test
    void reversedWhenAttnIsBelowZero() {
      Verdict v = c3(ex(-0.1, -0.15, -0.05), ex(0.2, 0.1, 0.3), new Ratio(-0.5, -1.0, -0.2, null));
      assertEquals(Verdict.REVERSED, v.verdict());
      assertContains(v.rule(), "attn's excess interval lies below 0");
      assertContains(v.sentence(), "reversed: attn's attack does worse than random noise");
      // attn below 0 and relu including 0 is reversed too (not both-include-0 confounded).
      assertEquals(Verdict.REVERSED, c3(ex(-0.1, -0.15, -0.05), ex(0.0, -0.1, 0.1), noRatio).verdict());
    }

    @Test
    void bothAboveZeroTheRatioDecides() {
      Excess attn = ex(0.3, 0.2, 0.4);
      Excess relu = ex(0.05, 0.02, 0.08);
      Verdict higher = c3(attn, relu, new Ratio(6.0, 3.0, 12.0, null));
      assertEquals(Verdict.HIGHER, higher.verdict());
      assertContains(higher.rule(), "the excess ratio attn/relu 6.00 has interval [3.00, 12.00], above 1");
      assertEquals("higher: attn's excess flip rate is above relu's (transformed, PGD, ε = 0.3) (ratio 6.00 "
          + "[3.00, 12.00]; the paper: 6–9×, v2: 2–9×)", higher.sentence());

      Verdict reversed = c3(ex(0.03, 0.01, 0.05), ex(0.08, 0.05, 0.11), new Ratio(0.41, 0.12, 0.80, null));
      assertEquals(Verdict.REVERSED, reversed.verdict());
      assertEquals("reversed: attn's excess flip rate is below relu's (transformed, PGD, ε = 0.3) (ratio 0.41 "
          + "[0.12, 0.80]; the paper: 6–9×, v2: 2–9×)", reversed.sentence());

      Verdict same = c3(ex(0.1, 0.05, 0.15), ex(0.08, 0.05, 0.11), new Ratio(1.3, 0.7, 2.1, null));
      assertEquals(Verdict.INDISTINGUISHABLE, same.verdict());
      assertContains(same.rule(), "which contains 1");
      assertContains(same.sentence(), "indistinguishable: attn's and relu's excess flip rates cannot be told apart");
      assertEquals(1.3, same.evidence().get("excess_ratio"));
      assertEquals(0.7, same.evidence().get("excess_ratio_lo"));
      assertEquals(2.1, same.evidence().get("excess_ratio_hi"));
    }

    @Test
    void anUnboundedRatioIntervalStillDecidesAndIsSaid() {
      Verdict v = c3(ex(0.3, 0.2, 0.4), ex(0.02, 0.001, 0.04), new Ratio(15.0, 3.0, Double.POSITIVE_INFINITY, null));
      assertEquals(Verdict.HIGHER, v.verdict());
      assertNull(v.evidence().get("excess_ratio_hi"), "∞ is not JSON");
      assertEquals(true, v.evidence().get("excess_ratio_hi_unbounded"));
      assertContains(v.sentence(), "[3.00, ∞]");
    }

    @Test
    void inconclusiveWhenTheNumbersAreMissing() {
      Verdict noRatioBothAbove = c3(ex(0.3, 0.2, 0.4), ex(0.05, 0.02, 0.08), null);
      assertEquals(Verdict.INCONCLUSIVE, noRatioBothAbove.verdict());
      assertContains(noRatioBothAbove.rule(), "the excess ratio is missing (not computed)");
      Verdict noExcess = c3(new Excess(null, null, null, false, 0.9, 0.5), ex(0.05, 0.02, 0.08), null);
      assertEquals(Verdict.INCONCLUSIVE, noExcess.verdict());
      assertContains(noExcess.sentence(), "attn's excess flip rate or its interval is missing");
    }

    @Test
    void curatedHasNoVerdict() {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> VerdictRules.c3("curated", "pgd", 0.3, ex(0.3, 0.2, 0.4), ex(0.05, 0.02, 0.08), null));
      assertContains(e.getMessage(), "curated has no attack and no control");
      assertEquals(Verdict.HIGHER, VerdictRules.c3("adversarial", "fgsm", 0.1, ex(0.3, 0.2, 0.4),
          ex(0.05, 0.02, 0.08), new Ratio(6.0, 3.0, 12.0, null)).verdict());
    }

    @Test
    void atChanceIsSection6sThreshold() {
      // c = 0.5, n* = 100: c + max(0.02, 2·0.05) = 0.6.
      assertTrue(VerdictRules.atChance(0.6, 0.5, 100));
      assertFalse(VerdictRules.atChance(0.601, 0.5, 100));
      // n* = 10000: 2·√(0.25/10000) = 0.01 < 0.02.
      assertTrue(VerdictRules.atChance(0.52, 0.5, 10000));
      assertFalse(VerdictRules.atChance(0.521, 0.5, 10000));
      assertTrue(Excess.of(0.3, 0.2, 0.4, 0.55, 0.5, 100).atChance());
      assertFalse(Excess.of(0.3, 0.2, 0.4, 0.95, 0.5, 100).atChance());
      assertThrows(IllegalArgumentException.class, () -> VerdictRules.atChance(0.5, 0.5, 0));
    }
  }

  // ---------------------------------------------------------------- C4

  @Nested
  class C4 {
    final Interval low = new Interval(0.10, 0.08, 0.12, 3);
    final Interval high = new Interval(0.20, 0.18, 0.22, 3);
    final Interval overlapping = new Interval(0.13, 0.09, 0.19, 3);

    @Test
    void holdsWhenAttnIsBetterOnBothPieces() {
      Verdict v = VerdictRules.c4(0.1, 0.2, low, high);
      assertEquals(Verdict.HOLDS, v.verdict());
      assertEquals("better", v.evidence().get("krr_outcome"));
      assertEquals("better", v.evidence().get("net_outcome"));
      assertContains(v.rule(), "kernel ridge with H∞: attn better (test MSE 0.10 on x̃ vs 0.20 on x)");
      assertContains(v.sentence(), "holds: attention approximates better on both pieces");
    }

    @Test
    void failsWhenAttnIsWorseOnBothPieces() {
      Verdict v = VerdictRules.c4(0.3, 0.2, high, low);
      assertEquals(Verdict.FAILS, v.verdict());
      assertEquals("worse", v.evidence().get("krr_outcome"));
      assertEquals("worse", v.evidence().get("net_outcome"));
      assertContains(v.sentence(), "fails: attention approximates worse on both pieces");
    }

    @Test
    void mixedWhenThePiecesDisagreeNamingEach() {
      Verdict v = VerdictRules.c4(0.1, 0.2, high, low);
      assertEquals(Verdict.MIXED, v.verdict());
      assertContains(v.rule(), "kernel ridge with H∞: attn better");
      assertContains(v.rule(), "trained networks: attn worse");
      assertContains(v.sentence(), "mixed: kernel ridge: attn better");
      assertContains(v.sentence(), "trained networks: attn worse");
    }

    @Test
    void overlappingIntervalsLeaveThatPieceUndecided() {
      Verdict v = VerdictRules.c4(0.1, 0.2, low, overlapping);
      assertEquals(Verdict.MIXED, v.verdict(), "lower mean but overlapping intervals is not better");
      assertEquals("undecided", v.evidence().get("net_outcome"));
      assertContains(v.rule(), "intervals overlap");
      assertEquals(0.13, v.evidence().get("net_test_loss_relu"));
      assertEquals(0.09, v.evidence().get("net_test_loss_relu_lo"));
      assertEquals(3L, v.evidence().get("net_seeds_relu"));
      // Equal kernel-ridge MSE is undecided too: with better networks, still mixed.
      Verdict tie = VerdictRules.c4(0.2, 0.2, low, high);
      assertEquals(Verdict.MIXED, tie.verdict());
      assertEquals("undecided", tie.evidence().get("krr_outcome"));
    }

    @Test
    void inconclusiveWhenAPieceIsMissing() {
      Verdict v = VerdictRules.c4(0.1, 0.2, null, high);
      assertEquals(Verdict.INCONCLUSIVE, v.verdict());
      assertEquals("the trained-network piece is missing", v.evidence().get("reason"));
      assertEquals(Verdict.INCONCLUSIVE, VerdictRules.c4(null, 0.2, low, high).verdict());
      assertEquals(Verdict.INCONCLUSIVE,
          VerdictRules.c4(0.1, 0.2, new Interval(null, null, null, 0), high).verdict());
    }
  }

  // ---------------------------------------------------------------- dual

  @Nested
  class Dual {
    final Verdict c4Holds = VerdictRules.c4(0.1, 0.2, new Interval(0.1, 0.08, 0.12, 3),
        new Interval(0.2, 0.18, 0.22, 3));
    final Verdict c4Mixed = VerdictRules.c4(0.1, 0.2, new Interval(0.2, 0.18, 0.22, 3),
        new Interval(0.1, 0.08, 0.12, 3));

    Verdict c3(String word) {
      return new Verdict(word, "constructed", Map.of("claim", "C3"));
    }

    Map<Double, Verdict> radii(Object... radiusWord) {
      Map<Double, Verdict> m = new LinkedHashMap<>();
      for (int i = 0; i < radiusWord.length; i += 2) {
        m.put((Double) radiusWord[i], c3((String) radiusWord[i + 1]));
      }
      return m;
    }

    @Test
    void holdsWhenHigherAt03AndAnotherRadiusAndC4Holds() {
      Verdict v = VerdictRules.dual(radii(0.3, "higher", 0.1, "reversed", 0.03, "higher"), c4Holds);
      assertEquals(Verdict.HOLDS, v.verdict());
      assertEquals(List.of(0.03), v.evidence().get("other_radii_higher"));
      assertContains(v.rule(), "C3 higher at 0.3 and at {0.03}, and C4 holds");
      assertContains(v.sentence(), "holds: attention is both more malleable");
    }

    @Test
    void confoundedWhereThoseC3VerdictsAreConfounded() {
      Verdict at03 = VerdictRules.dual(radii(0.3, "confounded", 0.1, "higher"), c4Holds);
      assertEquals(Verdict.CONFOUNDED, at03.verdict());
      assertContains(at03.sentence(), "confounded at radius 0.3");
      Verdict others = VerdictRules.dual(radii(0.3, "higher", 0.1, "confounded", 0.03, "confounded"), c4Holds);
      assertEquals(Verdict.CONFOUNDED, others.verdict());
      assertContains(others.sentence(), "at every radius but 0.3");
      // §7 checks "confounded" before "fails otherwise", whatever C4 says; the rule names C4.
      Verdict withMixed = VerdictRules.dual(radii(0.3, "confounded", 0.1, "higher"), c4Mixed);
      assertEquals(Verdict.CONFOUNDED, withMixed.verdict());
      assertContains(withMixed.rule(), "C4 mixed");
    }

    @Test
    void failsOtherwise() {
      assertEquals(Verdict.FAILS, VerdictRules.dual(radii(0.3, "reversed", 0.1, "higher"), c4Holds).verdict());
      assertEquals(Verdict.FAILS,
          VerdictRules.dual(radii(0.3, "indistinguishable", 0.1, "higher"), c4Holds).verdict());
      Verdict noOther = VerdictRules.dual(radii(0.3, "higher", 0.1, "reversed", 0.03, "confounded"), c4Holds);
      assertEquals(Verdict.FAILS, noOther.verdict());
      assertContains(noOther.sentence(), "fails: C3 is higher at radius 0.3 but at no other radius");
      Verdict c4 = VerdictRules.dual(radii(0.3, "higher", 0.1, "higher"), c4Mixed);
      assertEquals(Verdict.FAILS, c4.verdict());
      assertContains(c4.sentence(), "C4 mixed, not holds");
      Verdict only03 = VerdictRules.dual(radii(0.3, "higher"), c4Holds);
      assertEquals(Verdict.FAILS, only03.verdict());
      assertContains(only03.sentence(), "only radius 0.3 was measured");
    }

    @Test
    void failsWithTheReasonWhenRadius03WasNotMeasured() {
      Verdict v = VerdictRules.dual(radii(0.1, "higher", 0.03, "higher"), c4Holds);
      assertEquals(Verdict.FAILS, v.verdict());
      assertContains(v.sentence(), "radius 0.3 was not measured (radii measured: {0.1, 0.03})");
      assertContains(v.rule(), "add 0.3 to --attack-eps");
      Verdict none = VerdictRules.dual(Map.of(), c4Holds);
      assertEquals(Verdict.FAILS, none.verdict());
      assertContains(none.sentence(), "C3 (transformed, PGD) was not measured");
      assertEquals(Verdict.FAILS, VerdictRules.dual(null, c4Holds).verdict());
    }

    @Test
    void inconclusiveWhenTheDecidingVerdictIsInconclusive() {
      Verdict c4Missing = VerdictRules.c4(0.1, 0.2, null, null);
      assertEquals(Verdict.INCONCLUSIVE,
          VerdictRules.dual(radii(0.3, "higher", 0.1, "higher"), c4Missing).verdict());
      assertEquals(Verdict.INCONCLUSIVE,
          VerdictRules.dual(radii(0.3, "inconclusive", 0.1, "higher"), c4Holds).verdict());
      // C3 failing decides even when C4 is missing.
      assertEquals(Verdict.FAILS, VerdictRules.dual(radii(0.3, "reversed", 0.1, "higher"), c4Missing).verdict());
    }
  }

  @Test
  void aVerdictWordOutsideSection7IsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Verdict("maybe", "r", Map.of()));
    assertContains(e.getMessage(), "SCIENCE §7");
  }

  @Test
  void sentenceNumbersAreShort() {
    assertEquals("0.41", VerdictSentences.num(0.41));
    assertEquals("0.034", VerdictSentences.num(0.034));
    assertEquals("−0.01", VerdictSentences.num(-0.0100001));
    assertEquals("∞", VerdictSentences.num(Double.POSITIVE_INFINITY));
    assertEquals("n/a", VerdictSentences.num(null));
    assertEquals("2.0e+05", VerdictSentences.num(2e5));
  }
}
