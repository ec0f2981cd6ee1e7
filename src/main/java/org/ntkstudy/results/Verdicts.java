package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A study's verdicts on the paper's claims under the SCIENCE §7 keys, written as {@code verdicts}
 * in {@code summary.json}: {@code C1}, {@code C2.attn}, {@code C2.relu},
 * {@code C3.<intervention>.<attack>.<radius>} (radius as Java prints a double, e.g. "0.3"), {@code C4},
 * {@code dual}; each a {@link Verdict} ({@code verdict}, {@code rule}, {@code evidence}).
 *
 * @param c1 spectral amplification
 * @param c2 model ("attn", "relu") → non-convergence at practical widths
 * @param c3 intervention ("transformed", "adversarial") → attack → radius → higher malleability
 * @param c4 attention approximates better
 * @param dual the dual implication (C3 transformed PGD and C4)
 */
@JsonPropertyOrder({"C1", "C2", "C3", "C4", "dual"})
public record Verdicts(
    @JsonProperty("C1") Verdict c1,
    @JsonProperty("C2") Map<String, Verdict> c2,
    @JsonProperty("C3") Map<String, Map<String, Map<Double, Verdict>>> c3,
    @JsonProperty("C4") Verdict c4,
    @JsonProperty("dual") Verdict dual) {

  public Verdicts {
    Objects.requireNonNull(c1, "C1");
    Objects.requireNonNull(c4, "C4");
    Objects.requireNonNull(dual, "dual");
    c2 = ResultJson.ordered(c2 == null ? Map.of() : c2);
    for (String model : c2.keySet()) {
      if (!List.of("attn", "relu").contains(model)) {
        throw new IllegalArgumentException("C2 verdicts are per model attn, relu; not " + model);
      }
    }
    Map<String, Map<String, Map<Double, Verdict>>> frozen = new LinkedHashMap<>();
    if (c3 != null) {
      for (var byIntervention : c3.entrySet()) {
        if (!VerdictRules.C3_INTERVENTIONS.contains(byIntervention.getKey())) {
          throw new IllegalArgumentException("no C3 verdict for intervention \"" + byIntervention.getKey()
              + "\": SCIENCE §7 judges " + VerdictRules.C3_INTERVENTIONS + " only");
        }
        Map<String, Map<Double, Verdict>> byAttack = new LinkedHashMap<>();
        byIntervention.getValue().forEach((attack, byRadius) -> byAttack.put(attack, ResultJson.ordered(byRadius)));
        frozen.put(byIntervention.getKey(), Collections.unmodifiableMap(byAttack));
      }
    }
    c3 = Collections.unmodifiableMap(frozen);
  }

  /**
   * The verdicts with {@code dual} computed from C3 (transformed, PGD) and C4 by
   * {@link VerdictRules#dual}.
   */
  public static Verdicts of(Verdict c1, Verdict c2Attn, Verdict c2Relu,
      Map<String, Map<String, Map<Double, Verdict>>> c3, Verdict c4) {
    Map<String, Verdict> c2 = new LinkedHashMap<>();
    c2.put("attn", Objects.requireNonNull(c2Attn, "C2.attn"));
    c2.put("relu", Objects.requireNonNull(c2Relu, "C2.relu"));
    Map<String, Map<Double, Verdict>> transformed = c3 == null ? null : c3.get("transformed");
    Map<Double, Verdict> pgd = transformed == null ? null : transformed.get("pgd");
    return new Verdicts(c1, c2, c3, c4, VerdictRules.dual(pgd, c4));
  }

  /** The C3 verdict of one intervention, attack and radius, or null when it was not measured. */
  public Verdict c3(String intervention, String attack, double radius) {
    Map<String, Map<Double, Verdict>> byAttack = c3.get(intervention);
    Map<Double, Verdict> byRadius = byAttack == null ? null : byAttack.get(attack);
    return byRadius == null ? null : byRadius.get(radius);
  }

  /**
   * Every verdict under its dotted §7 key ({@code C1}, {@code C2.attn}, …,
   * {@code C3.transformed.pgd.0.3}, {@code C4}, {@code dual}), in the JSON's order: the report's list.
   */
  public Map<String, Verdict> byKey() {
    Map<String, Verdict> out = new LinkedHashMap<>();
    out.put("C1", c1);
    c2.forEach((model, v) -> out.put("C2." + model, v));
    c3.forEach((iv, byAttack) -> byAttack.forEach((attack, byRadius) -> byRadius.forEach(
        (radius, v) -> out.put("C3." + iv + "." + attack + "." + radius, v))));
    out.put("C4", c4);
    out.put("dual", dual);
    return Collections.unmodifiableMap(out);
  }
}
