package org.ntkstudy.results;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One verdict on one of the paper's claims (SCIENCE §7): the verdict word, the rule as it was
 * applied in plain words, and the numbers behind it under stable snake_case keys, as written to
 * {@code summary.json} under {@code verdicts.<claim>}; {@link #sentence()} is the report's one line.
 *
 * <p>The evidence is normalised so that it survives JSON exactly (what {@link ResultJson} reads
 * back is equal): integers become {@code Long}, floats {@code Double}, a number that is not finite
 * becomes null, lists and maps become unmodifiable copies in their order. Its first entry, {@code
 * claim} ("C1", "C2", "C3", "C4" or "dual"), says which rule made it, so that the sentence can be
 * rebuilt from a summary read back from disk.
 *
 * @param verdict one of {@link #WORDS}
 * @param rule the rule as applied, in plain words, with its numbers
 * @param evidence the numbers behind the verdict, insertion-ordered
 */
@JsonPropertyOrder({"verdict", "rule", "evidence"})
public record Verdict(String verdict, String rule, Map<String, Object> evidence) {

  /** The claim holds by its rule. */
  public static final String HOLDS = "holds";
  /** The claim fails by its rule. */
  public static final String FAILS = "fails";
  /** The numbers cannot decide (a missing fit, a missing piece, an extrapolation between the bounds). */
  public static final String INCONCLUSIVE = "inconclusive";
  /** The comparison means nothing: a network at chance, or attacks no better than random noise. */
  public static final String CONFOUNDED = "confounded";
  /** C3: attention's excess flip rate is higher than ReLU's. */
  public static final String HIGHER = "higher";
  /** C3: attention's excess flip rate is lower than ReLU's, or attention's attack does not beat noise. */
  public static final String REVERSED = "reversed";
  /** C3: both attacks beat noise and the excess ratio's interval contains 1. */
  public static final String INDISTINGUISHABLE = "indistinguishable";
  /** C4: attention is better on one piece of evidence and not on the other. */
  public static final String MIXED = "mixed";

  /** Every verdict word of SCIENCE §7. */
  public static final Set<String> WORDS =
      Set.of(HOLDS, FAILS, INCONCLUSIVE, CONFOUNDED, HIGHER, REVERSED, INDISTINGUISHABLE, MIXED);

  public Verdict {
    Objects.requireNonNull(verdict, "verdict");
    if (!WORDS.contains(verdict)) {
      throw new IllegalArgumentException("no verdict \"" + verdict + "\" in SCIENCE §7; one of " + WORDS);
    }
    Objects.requireNonNull(rule, "rule");
    evidence = evidence == null ? Map.of() : normalisedMap(evidence);
  }

  /** The claim whose rule made this verdict ({@code evidence.claim}), or null when it does not say. */
  public String claim() {
    return evidence.get("claim") instanceof String s ? s : null;
  }

  /**
   * The verdict in one line of plain words for the report, computed from the evidence, e.g.
   * "reversed: attn's excess flip rate is below relu's (ratio 0.41 [0.12, 0.80]; the paper: 6–9×,
   * v2: 2–9×)" or "confounded: the attn network is at chance (test accuracy 0.51, chance 0.50)".
   */
  public String sentence() {
    return VerdictSentences.sentence(this);
  }

  private static Map<String, Object> normalisedMap(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      out.put(String.valueOf(e.getKey()), normalised(e.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Object normalised(Object v) {
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float || v instanceof Double) {
      double d = ((Number) v).doubleValue();
      return Double.isFinite(d) ? d : null;
    }
    if (v instanceof Map<?, ?> m) {
      return normalisedMap(m);
    }
    if (v instanceof Iterable<?> it) {
      List<Object> out = new ArrayList<>();
      it.forEach(x -> out.add(normalised(x)));
      return Collections.unmodifiableList(out);
    }
    if (v instanceof double[] a) {
      List<Object> out = new ArrayList<>(a.length);
      for (double d : a) {
        out.add(normalised(d));
      }
      return Collections.unmodifiableList(out);
    }
    if (v instanceof int[] a) {
      List<Object> out = new ArrayList<>(a.length);
      for (int i : a) {
        out.add((long) i);
      }
      return Collections.unmodifiableList(out);
    }
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long) {
      return v;
    }
    throw new IllegalArgumentException("evidence holds numbers, strings, booleans, lists and maps, not "
        + v.getClass().getSimpleName());
  }
}
