package org.ntkstudy.results;

import static org.ntkstudy.results.VerdictSentences.interval;
import static org.ntkstudy.results.VerdictSentences.num;
import static org.ntkstudy.results.VerdictSentences.set;
import static org.ntkstudy.results.VerdictSentences.width;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import org.ntkstudy.math.Statistics;

/**
 * The verdict rules of SCIENCE §7 as pure functions over plain numbers (no Spark, no I/O): C1
 * spectral amplification, C2 non-convergence at practical widths, C3 higher malleability of
 * attention, C4 attention approximates better, and the dual implication, each returning a
 * {@link Verdict} whose rule text and evidence carry the numbers it was decided on.
 */
public final class VerdictRules {
  private VerdictRules() {}

  /** The k of κ_k = λ1/λk that C1 fits over (SCIENCE §1). */
  public static final List<Integer> KAPPA_KS = List.of(2, 5, 10, 20, 50);
  /** C1 holds when the slope lies in [SLOPE_LO, SLOPE_HI] (cubing gives 3). */
  public static final double C1_SLOPE_LO = 2.5;
  /** The upper end of C1's slope range. */
  public static final double C1_SLOPE_HI = 3.5;
  /** The target error ε of C2's extrapolated width m̂(ε). */
  public static final double C2_EPS = 0.1;
  /** The default of {@code --practical-width}: 1e6 neurons. */
  public static final double DEFAULT_PRACTICAL_WIDTH = 1e6;
  /** The radius at which §7's dual implication asks for C3 to be {@code higher}. */
  public static final double DUAL_RADIUS = 0.3;
  /** The paper's attn/relu flip-rate ratio range (v1), named beside every C3 ratio. */
  public static final List<Double> PAPER_RATIO = List.of(6.0, 9.0);
  /** The paper's ratio range in its v2. */
  public static final List<Double> PAPER_RATIO_V2 = List.of(2.0, 9.0);
  /** The interventions that get a C3 verdict; {@code curated} has no attack and no control. */
  public static final List<String> C3_INTERVENTIONS = List.of("transformed", "adversarial");

  static final String PAPER = "the paper: 6–9×, v2: 2–9×";

  // ------------------------------------------------------------------ C1

  /**
   * C1 spectral amplification: the OLS slope (with intercept) of ln κ_k(X̃X̃ᵀ) on ln κ_k(G) over the
   * k ∈ {2, 5, 10, 20, 50} with k ≤ r_tol and both values present (finite and positive); {@code
   * holds} when it is in [2.5, 3.5], else {@code fails}; {@code inconclusive} with fewer than two
   * usable k or when κ_k(G) is the same at all of them.
   *
   * @param kappaG k → κ_k(G), a null map or value meaning absent
   * @param kappaXt k → κ_k(X̃X̃ᵀ), likewise
   * @param rTol r_tol = #{λi > tol·λ1} of G
   */
  public static Verdict c1(Map<Integer, Double> kappaG, Map<Integer, Double> kappaXt, int rTol) {
    List<Long> used = new ArrayList<>();
    List<Double> g = new ArrayList<>();
    List<Double> xt = new ArrayList<>();
    List<Long> overRank = new ArrayList<>();
    List<Long> missing = new ArrayList<>();
    for (int k : KAPPA_KS) {
      Double a = kappaG == null ? null : kappaG.get(k);
      Double b = kappaXt == null ? null : kappaXt.get(k);
      if (k > rTol) {
        overRank.add((long) k);
      } else if (!usable(a) || !usable(b)) {
        missing.add((long) k);
      } else {
        used.add((long) k);
        g.add(a);
        xt.add(b);
      }
    }
    Map<String, Object> ev = evidence("C1");
    ev.put("k_used", used);
    ev.put("r_tol", (long) rTol);
    ev.put("k_over_r_tol", overRank);
    ev.put("k_missing", missing);
    ev.put("kappa_g", g);
    ev.put("kappa_xt", xt);
    String fit = "slope of ln κ_k(X̃X̃ᵀ) on ln κ_k(G) over k ∈ " + set(used) + " (k ≤ r_tol = " + rTol + ")";
    if (used.size() < 2) {
      String why = "fewer than two usable k (" + used.size() + ")" + skipped(overRank, missing, rTol);
      ev.put("reason", why);
      return new Verdict(Verdict.INCONCLUSIVE, "no " + fit + ": " + why, ev);
    }
    double[] x = new double[used.size()];
    double[] y = new double[used.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.log(g.get(i));
      y[i] = Math.log(xt.get(i));
    }
    boolean flat = true;
    for (double xi : x) {
      flat &= xi == x[0];
    }
    if (flat) {
      String why = "κ_k(G) is the same (" + num(g.get(0)) + ") at every usable k: no slope to fit";
      ev.put("reason", why);
      return new Verdict(Verdict.INCONCLUSIVE, "no " + fit + ": " + why, ev);
    }
    Statistics.Line line = Statistics.ols(x, y);
    ev.put("slope", line.slope());
    ev.put("intercept", line.intercept());
    ev.put("slope_se", line.slopeStdError());
    ev.put("range", List.of(C1_SLOPE_LO, C1_SLOPE_HI));
    boolean in = line.slope() >= C1_SLOPE_LO && line.slope() <= C1_SLOPE_HI;
    String rule = fit + " is " + num(line.slope()) + (in ? ", in " : ", outside ") + "[" + C1_SLOPE_LO + ", "
        + C1_SLOPE_HI + "]" + skipped(overRank, missing, rTol);
    return new Verdict(in ? Verdict.HOLDS : Verdict.FAILS, rule, ev);
  }

  private static boolean usable(Double v) {
    return v != null && Double.isFinite(v) && v > 0;
  }

  private static String skipped(List<Long> overRank, List<Long> missing, int rTol) {
    StringBuilder s = new StringBuilder();
    if (!overRank.isEmpty()) {
      s.append("; skipped k ∈ ").append(set(overRank)).append(" (k > r_tol = ").append(rTol).append(")");
    }
    if (!missing.isEmpty()) {
      s.append("; skipped k ∈ ").append(set(missing)).append(" (κ_k missing)");
    }
    return s.toString();
  }

  // ------------------------------------------------------------------ C2

  /** C2 from a sweep {@link Fit} of e_W (its slope and intercept); a null fit is a missing fit. */
  public static Verdict c2(String model, Fit fit, Double widestWidth, double practicalWidth) {
    return c2(model, fit == null ? null : fit.slope(), fit == null ? null : fit.intercept(), widestWidth,
        practicalWidth);
  }

  /**
   * C2 non-convergence at practical widths, per model, from the log10 fit of e_W on width (§3):
   * m̂(0.1) = 10^((log10 0.1 − a)/b); {@code holds} when b ≥ 0 or m̂(0.1) ≥ the practical width (checked
   * first, as §7 lists it); {@code fails} when b < 0 and m̂(0.1) ≤ the widest width measured; {@code
   * inconclusive} otherwise, or with the reason when the fit (or, where it decides, the widest width)
   * is missing. Compared in log10, so m̂ never overflows.
   *
   * @param model "attn" or "relu"
   * @param slope b, or null when there is no fit
   * @param intercept a, or null
   * @param widestWidth the widest width measured, or null
   * @param practicalWidth {@code --practical-width} (default 1e6), finite and positive
   */
  public static Verdict c2(String model, Double slope, Double intercept, Double widestWidth, double practicalWidth) {
    if (!(practicalWidth > 0) || !Double.isFinite(practicalWidth)) {
      throw new IllegalArgumentException("--practical-width must be a finite positive number of neurons, got "
          + practicalWidth);
    }
    Map<String, Object> ev = evidence("C2");
    ev.put("model", model);
    ev.put("metric", "e_W");
    ev.put("slope", slope);
    ev.put("intercept", intercept);
    ev.put("eps", C2_EPS);
    boolean haveSlope = slope != null && Double.isFinite(slope);
    boolean haveFit = haveSlope && intercept != null && Double.isFinite(intercept);
    Double log10MHat = haveFit && slope < 0 ? (Math.log10(C2_EPS) - intercept) / slope : null;
    ev.put("m_hat", log10MHat == null ? null : Math.pow(10, log10MHat));
    ev.put("log10_m_hat", log10MHat);
    ev.put("widest_width", widestWidth);
    ev.put("practical_width", practicalWidth);
    String fitText = model + "'s e_W fit log10 e_W = " + (haveFit ? num(intercept) : "a")
        + (haveSlope ? (slope < 0 ? " − " + num(-slope) : " + " + num(slope)) : " + b") + " · log10 m";
    if (haveSlope && slope >= 0) {
      return new Verdict(Verdict.HOLDS, fitText + " has slope b = " + num(slope) + " ≥ 0: e_W does not fall with width",
          ev);
    }
    if (!haveFit) {
      String why = haveSlope ? "the e_W fit has no intercept"
          : "no e_W fit (fewer than two widths ≥ --fit-min-width with a value)";
      ev.put("reason", why);
      return new Verdict(Verdict.INCONCLUSIVE, model + ": " + why + ", so m̂(0.1) is unknown", ev);
    }
    String mHat = fitText + " reaches e_W = 0.1 at m̂(0.1) = 10^" + num(log10MHat);
    if (log10MHat >= Math.log10(practicalWidth)) {
      return new Verdict(Verdict.HOLDS, mHat + " ≥ the practical width " + width(practicalWidth), ev);
    }
    boolean haveWidest = widestWidth != null && Double.isFinite(widestWidth) && widestWidth > 0;
    if (!haveWidest) {
      String why = "the widest width measured is unknown";
      ev.put("reason", why);
      return new Verdict(Verdict.INCONCLUSIVE, mHat + " < the practical width " + width(practicalWidth) + ", and "
          + why, ev);
    }
    if (log10MHat <= Math.log10(widestWidth)) {
      return new Verdict(Verdict.FAILS, mHat + " ≤ the widest width measured, " + width(widestWidth)
          + ": e_W converges within the widths measured", ev);
    }
    return new Verdict(Verdict.INCONCLUSIVE, mHat + ", between the widest width measured (" + width(widestWidth)
        + ") and the practical width (" + width(practicalWidth) + "): the extrapolation decides", ev);
  }

  // ------------------------------------------------------------------ C3

  /**
   * One model's side of a SCIENCE §7 C3 comparison: the seed-mean excess flip rate E (flip rate − random-sign
   * flip rate, SCIENCE §5) with its bootstrap interval, and whether the network is at chance (§6).
   *
   * @param excess mean E, or null
   * @param lo the interval's lower end, or null
   * @param hi the interval's upper end, or null
   * @param atChance whether the influence part's networks are at chance
   * @param testAccuracy their seed-mean test accuracy (for the sentence), or null
   * @param chance the chance rate c (the largest class share of the test set), or null
   */
  public record Excess(Double excess, Double lo, Double hi, boolean atChance, Double testAccuracy, Double chance) {
    /** The figures with the at-chance flag computed by {@link #atChance(double, double, int)}. */
    public static Excess of(double excess, double lo, double hi, double testAccuracy, double chance, int nTest) {
      return new Excess(excess, lo, hi, VerdictRules.atChance(testAccuracy, chance, nTest), testAccuracy, chance);
    }

    boolean present() {
      return excess != null && lo != null && hi != null && !lo.isNaN() && !hi.isNaN() && !excess.isNaN();
    }

    boolean above() {
      return lo > 0;
    }

    boolean below() {
      return hi < 0;
    }

    boolean includesZero() {
      return lo <= 0 && hi >= 0;
    }
  }

  /**
   * The excess ratio that decides SCIENCE §7's C3 when both excesses lie above 0: mean E_attn /
   * mean E_relu with its bootstrap interval (§5; a draw with relu's
   * excess ≤ 0 counts as +∞, so {@code hi} may be +∞), or null values with the reason.
   *
   * @param ratio the ratio of the means, or null
   * @param lo the interval's lower end, or null
   * @param hi the interval's upper end (+∞ allowed), or null
   * @param reason why the ratio is null (relu's mean excess ≤ 0), else null
   */
  public record Ratio(Double ratio, Double lo, Double hi, String reason) {
    boolean present() {
      return ratio != null && lo != null && hi != null && !lo.isNaN() && !hi.isNaN();
    }
  }

  /**
   * Whether a model is at chance (SCIENCE §6): seed-mean test accuracy ≤ c + max(0.02, 2·√(c(1−c)/n*)).
   *
   * @param meanAccuracy the trained networks' seed-mean test accuracy
   * @param chance c, the largest class share of the test set
   * @param nTest n*, the test-set size
   */
  public static boolean atChance(double meanAccuracy, double chance, int nTest) {
    return meanAccuracy <= ChanceLevel.threshold(chance, nTest);
  }

  /**
   * C3 higher malleability of attention for one intervention, attack and radius, exactly as §7:
   * {@code confounded} when either model is at chance, or both excess intervals include 0 (neither
   * attack beats random noise); else {@code higher} when relu's excess interval includes 0 (or lies
   * below it: relu's attack does worse than noise, §7's "else (both above 0)" leaves no other place
   * for it) and attn's lies above 0; else {@code reversed} when attn's excess interval includes 0 or
   * lies below it; else (both above 0) {@code higher}, {@code reversed} or {@code indistinguishable}
   * as the excess ratio's interval lies above 1, below 1, or contains 1. A missing excess, or a missing
   * ratio where it decides, gives {@code inconclusive} with the reason. The paper's range (6–9×; v2:
   * 2–9×) is in the evidence beside the ratio.
   *
   * @param intervention "transformed" or "adversarial" ({@code curated} has no verdict)
   * @param attack "fgsm", "pgd" or "mim"
   * @param radius the attack's ℓ∞ radius ε
   */
  public static Verdict c3(String intervention, String attack, double radius, Excess attn, Excess relu, Ratio ratio) {
    if (!C3_INTERVENTIONS.contains(intervention)) {
      throw new IllegalArgumentException("no C3 verdict for intervention \"" + intervention + "\": SCIENCE §7 judges "
          + C3_INTERVENTIONS + " only (curated has no attack and no control)");
    }
    Objects.requireNonNull(attn, "attn");
    Objects.requireNonNull(relu, "relu");
    Map<String, Object> ev = evidence("C3");
    ev.put("intervention", intervention);
    ev.put("attack", attack);
    ev.put("radius", radius);
    for (String model : List.of("attn", "relu")) {
      Excess e = model.equals("attn") ? attn : relu;
      ev.put(model + "_excess", e.excess());
      ev.put(model + "_excess_lo", e.lo());
      ev.put(model + "_excess_hi", e.hi());
      ev.put(model + "_at_chance", e.atChance());
      ev.put(model + "_test_accuracy", e.testAccuracy());
      ev.put(model + "_chance", e.chance());
    }
    ev.put("excess_ratio", ratio == null ? null : ratio.ratio());
    ev.put("excess_ratio_lo", ratio == null ? null : ratio.lo());
    ev.put("excess_ratio_hi", ratio == null ? null : ratio.hi());
    if (ratio != null && ratio.hi() != null && ratio.hi() == Double.POSITIVE_INFINITY) {
      ev.put("excess_ratio_hi_unbounded", true);
    }
    if (ratio == null || !ratio.present()) {
      ev.put("excess_ratio_reason", ratio == null || ratio.reason() == null ? "not computed" : ratio.reason());
    }
    ev.put("paper_ratio", PAPER_RATIO);
    ev.put("paper_ratio_v2", PAPER_RATIO_V2);
    String where = intervention + ", " + attack.toUpperCase(Locale.ROOT) + ", ε = " + radius;

    if (attn.atChance() || relu.atChance()) {
      String who = attn.atChance() && relu.atChance() ? "both networks are" : (attn.atChance() ? "attn" : "relu")
          + "'s networks are";
      return new Verdict(Verdict.CONFOUNDED, where + ": " + who + " at chance (seed-mean test accuracy ≤ c + max(0.02,"
          + " 2√(c(1−c)/n*)); attn " + accuracy(attn) + ", relu " + accuracy(relu) + ")", ev);
    }
    if (!attn.present() || !relu.present()) {
      String why = (!attn.present() ? "attn" : "relu") + "'s excess flip rate or its interval is missing";
      ev.put("reason", why);
      return new Verdict(Verdict.INCONCLUSIVE, where + ": " + why, ev);
    }
    String excesses = "attn's excess interval " + interval(attn.lo(), attn.hi()) + ", relu's " + interval(relu.lo(),
        relu.hi());
    if (attn.includesZero() && relu.includesZero()) {
      return new Verdict(Verdict.CONFOUNDED, where + ": both excess intervals include 0 (" + excesses
          + "): neither attack beats random noise", ev);
    }
    if (!relu.above() && attn.above()) {
      return new Verdict(Verdict.HIGHER, where + ": relu's excess interval " + (relu.below() ? "lies below 0"
          : "includes 0") + " and attn's lies above 0 (" + excesses + ")", ev);
    }
    if (!attn.above()) {
      return new Verdict(Verdict.REVERSED, where + ": attn's excess interval " + (attn.below() ? "lies below 0"
          : "includes 0") + " while relu's " + (relu.above() ? "lies above 0" : "lies below 0") + " (" + excesses
          + ")", ev);
    }
    // Both above 0: the ratio decides.
    String both = where + ": both excess intervals lie above 0 (" + excesses + "); ";
    if (ratio == null || !ratio.present()) {
      String why = "the excess ratio is missing (" + ev.get("excess_ratio_reason") + ")";
      ev.put("reason", why);
      return new Verdict(Verdict.INCONCLUSIVE, both + why, ev);
    }
    String r = "the excess ratio attn/relu " + num(ratio.ratio()) + " has interval " + interval(ratio.lo(), ratio.hi());
    if (ratio.lo() > 1) {
      return new Verdict(Verdict.HIGHER, both + r + ", above 1 (" + PAPER + ")", ev);
    }
    if (ratio.hi() < 1) {
      return new Verdict(Verdict.REVERSED, both + r + ", below 1 (" + PAPER + ")", ev);
    }
    return new Verdict(Verdict.INDISTINGUISHABLE, both + r + ", which contains 1 (" + PAPER + ")", ev);
  }

  private static String accuracy(Excess e) {
    return "test accuracy " + num(e.testAccuracy()) + " vs chance " + num(e.chance())
        + (e.atChance() ? " (at chance)" : "");
  }

  // ------------------------------------------------------------------ C4

  /** C4 outcome of a piece of evidence: attention is better. */
  public static final String BETTER = "better";
  /** C4 outcome of a piece of evidence: attention is worse. */
  public static final String WORSE = "worse";
  /** C4 outcome of a piece of evidence: neither (equal MSE, or overlapping t-intervals). */
  public static final String UNDECIDED = "undecided";

  /**
   * C4 attention approximates better, on two pieces of evidence: kernel ridge with H∞ (test MSE on x̃
   * for attn against on x for relu: lower is better, equal is undecided) and the trained networks
   * (seed-mean test loss with its §3 t-interval: lower with disjoint intervals is better, higher with
   * disjoint intervals worse, overlapping intervals undecided); {@code holds} when attn is better on
   * both, {@code fails} when worse on both, {@code mixed} otherwise (each piece named); {@code
   * inconclusive} when a piece's numbers are missing.
   *
   * @param krrMseAttn kernel-ridge H∞ test MSE on x̃, or null
   * @param krrMseRelu kernel-ridge H∞ test MSE on x, or null
   * @param netLossAttn attn networks' test loss over seeds, or null
   * @param netLossRelu relu networks' test loss over seeds, or null
   */
  public static Verdict c4(Double krrMseAttn, Double krrMseRelu, Interval netLossAttn, Interval netLossRelu) {
    Map<String, Object> ev = evidence("C4");
    ev.put("krr_test_mse_attn", krrMseAttn);
    ev.put("krr_test_mse_relu", krrMseRelu);
    boolean haveKrr = finite(krrMseAttn) && finite(krrMseRelu);
    String krr = !haveKrr ? null : krrMseAttn < krrMseRelu ? BETTER : krrMseAttn > krrMseRelu ? WORSE : UNDECIDED;
    ev.put("krr_outcome", krr);
    for (String model : List.of("attn", "relu")) {
      Interval iv = model.equals("attn") ? netLossAttn : netLossRelu;
      ev.put("net_test_loss_" + model, iv == null ? null : iv.mean());
      ev.put("net_test_loss_" + model + "_lo", iv == null ? null : iv.lo());
      ev.put("net_test_loss_" + model + "_hi", iv == null ? null : iv.hi());
      ev.put("net_seeds_" + model, iv == null ? 0L : (long) iv.seeds());
    }
    boolean haveNet = complete(netLossAttn) && complete(netLossRelu);
    String net = null;
    if (haveNet) {
      if (netLossAttn.hi() < netLossRelu.lo()) {
        net = BETTER;
      } else if (netLossAttn.lo() > netLossRelu.hi()) {
        net = WORSE;
      } else {
        net = UNDECIDED;
      }
    }
    ev.put("net_outcome", net);
    String krrText = !haveKrr ? "kernel ridge with H∞: test MSE missing"
        : "kernel ridge with H∞: attn " + krr + " (test MSE " + num(krrMseAttn) + " on x̃ vs " + num(krrMseRelu)
            + " on x)";
    String netText = !haveNet ? "trained networks: test loss missing"
        : "trained networks: attn " + net + " (test loss " + num(netLossAttn.mean()) + " "
            + interval(netLossAttn.lo(), netLossAttn.hi()) + " vs relu " + num(netLossRelu.mean()) + " "
            + interval(netLossRelu.lo(), netLossRelu.hi()) + (UNDECIDED.equals(net) ? ", intervals overlap" : "")
            + ")";
    String rule = krrText + "; " + netText;
    if (!haveKrr || !haveNet) {
      String why = (!haveKrr && !haveNet ? "both pieces are" : !haveKrr ? "the kernel-ridge piece is"
          : "the trained-network piece is") + " missing";
      ev.put("reason", why);
      return new Verdict(Verdict.INCONCLUSIVE, rule + ": " + why, ev);
    }
    if (BETTER.equals(krr) && BETTER.equals(net)) {
      return new Verdict(Verdict.HOLDS, rule + ": better on both", ev);
    }
    if (WORSE.equals(krr) && WORSE.equals(net)) {
      return new Verdict(Verdict.FAILS, rule + ": worse on both", ev);
    }
    return new Verdict(Verdict.MIXED, rule + ": not the same on both", ev);
  }

  private static boolean complete(Interval iv) {
    return iv != null && iv.mean() != null && iv.lo() != null && iv.hi() != null;
  }

  // ------------------------------------------------------------------ dual

  /**
   * The dual implication (§7): {@code holds} where C3 (transformed, PGD) is {@code higher} at radius
   * 0.3 and at at least one other radius and C4 {@code holds}; {@code confounded} where those C3
   * verdicts are {@code confounded} — the one at 0.3, or, with 0.3 {@code higher}, every other radius
   * measured (checked before C4, as §7 orders the rules); {@code fails} otherwise. Radius 0.3 not
   * measured, or no other radius measured, is §7's "otherwise": {@code fails}, with the reason (the
   * claim as §7 states it cannot hold on the radii measured; add them to {@code --attack-eps}), not
   * {@code confounded}, which §7 keeps for networks at chance and attacks no better than noise. An
   * {@code inconclusive} C3 at 0.3, or an {@code inconclusive} C4 where C3 would let the claim hold,
   * makes the dual {@code inconclusive} (missing numbers are not a failure).
   *
   * @param c3TransformedPgd radius → C3 verdict of (transformed, PGD), as measured (may be empty)
   * @param c4 C4's verdict
   */
  public static Verdict dual(Map<Double, Verdict> c3TransformedPgd, Verdict c4) {
    Objects.requireNonNull(c4, "c4");
    Map<Double, Verdict> c3 = c3TransformedPgd == null ? Map.of() : c3TransformedPgd;
    Map<String, Object> ev = evidence("dual");
    ev.put("radius", DUAL_RADIUS);
    Map<String, Object> words = new LinkedHashMap<>();
    Verdict at03 = null;
    List<Double> others = new ArrayList<>();
    List<Double> othersHigher = new ArrayList<>();
    List<Double> othersConfounded = new ArrayList<>();
    for (Map.Entry<Double, Verdict> e : c3.entrySet()) {
      words.put(Double.toString(e.getKey()), e.getValue().verdict());
      if (Math.abs(e.getKey() - DUAL_RADIUS) <= 1e-9) {
        at03 = e.getValue();
      } else {
        others.add(e.getKey());
        if (Verdict.HIGHER.equals(e.getValue().verdict())) {
          othersHigher.add(e.getKey());
        } else if (Verdict.CONFOUNDED.equals(e.getValue().verdict())) {
          othersConfounded.add(e.getKey());
        }
      }
    }
    ev.put("c3_transformed_pgd", words);
    ev.put("other_radii_higher", othersHigher);
    ev.put("c4", c4.verdict());
    StringJoiner byRadius = new StringJoiner(", ");
    words.forEach((r, w) -> byRadius.add(w + " at " + r));
    String c3Text = "C3 (transformed, PGD) " + (words.isEmpty() ? "was not measured" : "is " + byRadius);
    String rule = c3Text + "; C4 " + c4.verdict();
    if (at03 == null) {
      String why = words.isEmpty() ? "C3 (transformed, PGD) was not measured"
          : "radius 0.3 was not measured (radii measured: " + set(others) + "), so the claim as §7 states it cannot"
              + " hold; add 0.3 to --attack-eps";
      ev.put("reason", why);
      return new Verdict(Verdict.FAILS, rule + ": " + why, ev);
    }
    String v03 = at03.verdict();
    boolean c3Higher = Verdict.HIGHER.equals(v03) && !othersHigher.isEmpty();
    if (c3Higher && Verdict.HOLDS.equals(c4.verdict())) {
      return new Verdict(Verdict.HOLDS, rule + ": C3 higher at 0.3 and at " + set(othersHigher) + ", and C4 holds",
          ev);
    }
    if (Verdict.CONFOUNDED.equals(v03)) {
      return new Verdict(Verdict.CONFOUNDED, rule + ": C3 is confounded at radius 0.3", ev);
    }
    if (Verdict.HIGHER.equals(v03) && !others.isEmpty() && othersConfounded.size() == others.size()) {
      return new Verdict(Verdict.CONFOUNDED, rule + ": C3 is higher at radius 0.3 but confounded at every other"
          + " radius " + set(others), ev);
    }
    if (Verdict.INCONCLUSIVE.equals(v03)) {
      String why = "C3 at radius 0.3 is inconclusive";
      ev.put("reason", why);
      return new Verdict(Verdict.INCONCLUSIVE, rule + ": " + why, ev);
    }
    if (c3Higher && Verdict.INCONCLUSIVE.equals(c4.verdict())) {
      String why = "C3 is higher but C4 is inconclusive";
      ev.put("reason", why);
      return new Verdict(Verdict.INCONCLUSIVE, rule + ": " + why, ev);
    }
    String why;
    if (!Verdict.HIGHER.equals(v03)) {
      why = "C3 is " + v03 + ", not higher, at radius 0.3";
    } else if (others.isEmpty()) {
      why = "only radius 0.3 was measured; §7 asks for one other radius too (add one to --attack-eps)";
    } else if (othersHigher.isEmpty()) {
      why = "C3 is higher at radius 0.3 but at no other radius";
    } else {
      why = "C4 " + c4.verdict() + ", not holds";
    }
    ev.put("reason", why);
    return new Verdict(Verdict.FAILS, rule + ": " + why, ev);
  }

  // ------------------------------------------------------------------ helpers

  private static Map<String, Object> evidence(String claim) {
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("claim", claim);
    return ev;
  }

  private static boolean finite(Double v) {
    return v != null && Double.isFinite(v);
  }





}
