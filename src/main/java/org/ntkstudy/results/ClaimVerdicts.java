package org.ntkstudy.results;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SCIENCE §7 verdicts computed from the parts' typed results: C3, C4 and {@code dual} from an
 * influence result (its excesses per radius, its networks' accuracy against the chance level, its
 * dual table), and a study's whole {@link Verdicts} from its spectrum (C1), sweep (C2) and
 * influence parts. A part that is absent makes its claims {@code inconclusive}, saying so.
 */
public final class ClaimVerdicts {
  private ClaimVerdicts() {}

  /**
   * C3 per intervention ({@code transformed}, {@code adversarial}), attack and radius: the excess
   * of each model over its random-sign control with its bootstrap interval, each model's networks
   * against the chance level, and the excess ratio (SCIENCE §5, §6, §7).
   */
  public static Map<String, Map<String, Map<Double, Verdict>>> c3(InfluenceResult r, ChanceLevel chance) {
    Map<String, Map<String, Map<Double, Verdict>>> out = new LinkedHashMap<>();
    if (r.byRadius() == null || chance == null) {
      return out;
    }
    for (double radius : r.radii()) {
      RadiusFigures at = r.atRadius(radius);
      if (at == null) {
        continue;
      }
      for (String intervention : VerdictRules.C3_INTERVENTIONS) {
        for (String attack : attacks(at, intervention)) {
          MalleabilityFigures attn = at.figures("attn", attack, intervention);
          MalleabilityFigures relu = at.figures("relu", attack, intervention);
          if (attn == null || relu == null) {
            continue;
          }
          Verdict v = VerdictRules.c3(intervention, attack, radius, excess(attn, accuracy(r, "attn"), chance),
              excess(relu, accuracy(r, "relu"), chance), ratio(at.excessRatio(attack, intervention)));
          out.computeIfAbsent(intervention, k -> new LinkedHashMap<>())
              .computeIfAbsent(attack, k -> new LinkedHashMap<>()).put(radius, v);
        }
      }
    }
    return out;
  }

  /**
   * C4 from the dual table: kernel ridge with H∞ on x̃ (attn) against x (relu), and the trained
   * networks' test loss over seeds (SCIENCE §6, §7).
   */
  public static Verdict c4(InfluenceResult r) {
    DualTable dual = r.dual();
    DualRow attn = dual == null ? null : dual.row("attn");
    DualRow relu = dual == null ? null : dual.row("relu");
    return VerdictRules.c4(attn == null ? null : attn.krrTestMse(), relu == null ? null : relu.krrTestMse(),
        attn == null ? null : attn.netTestLoss(), relu == null ? null : relu.netTestLoss());
  }

  /** The influence part's own verdicts: {@code C3}, {@code C4} and {@code dual}. */
  public static InfluenceVerdicts influence(InfluenceResult r, ChanceLevel chance) {
    Map<String, Map<String, Map<Double, Verdict>>> c3 = c3(r, chance);
    Verdict c4 = c4(r);
    return new InfluenceVerdicts(c3, c4, VerdictRules.dual(pgdTransformed(c3), c4));
  }

  /**
   * A study's verdicts from its parts (any of them null when the study has no such part): C1 from
   * the spectrum, C2 from the sweep, C3, C4 and {@code dual} from the influence part.
   */
  public static Verdicts study(SpectrumResult spectrum, SweepResult sweep, InfluenceResult influence) {
    Verdict c1 = spectrum != null && spectrum.verdicts() != null && spectrum.verdicts().get("C1") != null
        ? spectrum.verdicts().get("C1") : absent("C1", "the study has no finished spectrum part");
    Map<String, Verdict> c2 = sweep == null || sweep.verdicts() == null ? null : sweep.verdicts().get("C2");
    Verdict c2Attn = c2 != null && c2.get("attn") != null ? c2.get("attn")
        : absent("C2", "the study has no finished sweep of attn");
    Verdict c2Relu = c2 != null && c2.get("relu") != null ? c2.get("relu")
        : absent("C2", "the study has no finished sweep of relu");
    if (influence == null) {
      return Verdicts.of(c1, c2Attn, c2Relu, Map.of(), absent("C4", "the study has no finished influence part"));
    }
    return Verdicts.of(c1, c2Attn, c2Relu, c3(influence, influence.chance()), c4(influence));
  }

  /** An inconclusive verdict for a claim whose numbers the study does not have. */
  static Verdict absent(String claim, String why) {
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("claim", claim);
    ev.put("reason", why);
    return new Verdict(Verdict.INCONCLUSIVE, why, ev);
  }

  private static Map<Double, Verdict> pgdTransformed(Map<String, Map<String, Map<Double, Verdict>>> c3) {
    Map<String, Map<Double, Verdict>> transformed = c3.get("transformed");
    return transformed == null ? null : transformed.get("pgd");
  }

  private static List<String> attacks(RadiusFigures at, String intervention) {
    Map<String, Map<String, MalleabilityFigures>> byAttack = at.malleability() == null ? null
        : at.malleability().get("attn");
    if (byAttack == null) {
      return List.of();
    }
    return byAttack.entrySet().stream().filter(e -> e.getValue().containsKey(intervention)).map(Map.Entry::getKey)
        .toList();
  }

  private static Double accuracy(InfluenceResult r, String model) {
    DualRow row = r.dual() == null ? null : r.dual().row(model);
    return row == null || row.netTestAccuracy() == null ? null : row.netTestAccuracy().mean();
  }

  private static VerdictRules.Excess excess(MalleabilityFigures f, Double accuracy, ChanceLevel chance) {
    Interval e = f.excess();
    boolean atChance = accuracy != null && chance.atChance(accuracy);
    return new VerdictRules.Excess(e == null ? null : e.mean(), e == null ? null : e.lo(), e == null ? null : e.hi(),
        atChance, accuracy, chance.chance());
  }

  private static VerdictRules.Ratio ratio(FlipRateRatio r) {
    if (r == null) {
      return new VerdictRules.Ratio(null, null, null, "no excess ratio was recorded");
    }
    Double lo = Boolean.TRUE.equals(r.loUnbounded()) ? Double.valueOf(Double.POSITIVE_INFINITY) : r.lo();
    Double hi = Boolean.TRUE.equals(r.hiUnbounded()) ? Double.valueOf(Double.POSITIVE_INFINITY) : r.hi();
    return new VerdictRules.Ratio(r.mean(), lo, hi, r.note());
  }
}
