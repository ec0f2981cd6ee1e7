package org.ntkstudy.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ntkstudy.results.VerdictRules.Excess;
import org.ntkstudy.results.VerdictRules.Ratio;

/** The {@link Verdicts} of SCIENCE §7 through {@link ResultJson}: the §7 keys, and record → JSON → record. */
class VerdictsJsonTest {

  static Verdicts sample() {
    Map<Integer, Double> g = new LinkedHashMap<>();
    Map<Integer, Double> xt = new LinkedHashMap<>();
    for (int k : VerdictRules.KAPPA_KS) {
      g.put(k, (double) k);
      xt.put(k, Math.pow(k, 2.93));
    }
    Verdict c1 = VerdictRules.c1(g, xt, 30);
    Verdict c2Attn = VerdictRules.c2("attn", -0.1, -0.3, 4096.0, 1e6);
    Verdict c2Relu = VerdictRules.c2("relu", Fit.none(1, 2), 4096.0, 1e6);
    Excess attn = new Excess(0.3, 0.2, 0.4, false, 0.95, 0.5);
    Excess relu = new Excess(0.05, 0.02, 0.08, false, 0.97, 0.5);
    Map<Double, Verdict> pgd = new LinkedHashMap<>();
    pgd.put(0.3, VerdictRules.c3("transformed", "pgd", 0.3, attn, relu, new Ratio(6.0, 3.0, 12.0, null)));
    pgd.put(0.1, VerdictRules.c3("transformed", "pgd", 0.1, attn, relu,
        new Ratio(6.0, 3.0, Double.POSITIVE_INFINITY, null)));
    pgd.put(0.03, VerdictRules.c3("transformed", "pgd", 0.03, new Excess(0.01, -0.01, 0.03, false, 0.95, 0.5),
        new Excess(0.0, -0.02, 0.02, false, 0.97, 0.5), new Ratio(null, null, null, "relu's mean excess ≤ 0")));
    Map<String, Map<Double, Verdict>> transformed = new LinkedHashMap<>();
    transformed.put("pgd", pgd);
    transformed.put("fgsm", Map.of(0.3, VerdictRules.c3("transformed", "fgsm", 0.3,
        new Excess(0.3, 0.2, 0.4, true, 0.51, 0.5), relu, null)));
    Map<String, Map<String, Map<Double, Verdict>>> c3 = new LinkedHashMap<>();
    c3.put("transformed", transformed);
    c3.put("adversarial", Map.of("pgd", Map.of(0.3, VerdictRules.c3("adversarial", "pgd", 0.3,
        new Excess(0.01, -0.02, 0.04, false, 0.95, 0.5), relu, new Ratio(0.2, -0.4, 0.8, null)))));
    Verdict c4 = VerdictRules.c4(0.1, 0.2, new Interval(0.1, 0.08, 0.12, 3), new Interval(0.2, 0.18, 0.22, 3));
    return Verdicts.of(c1, c2Attn, c2Relu, c3, c4);
  }

  @Test
  void verdictsRoundTripThroughResultJson() {
    Verdicts v = sample();
    String json = ResultJson.write(v);
    assertFalse(json.contains("Infinity") || json.contains("NaN"), json);
    Verdicts back = ResultJson.read(json, Verdicts.class);
    assertEquals(v, back);
    assertEquals(json, ResultJson.write(back), "written again byte for byte");
    // Sentences are computed from the evidence, so a summary read from disk says the same.
    Map<String, Verdict> before = v.byKey();
    Map<String, Verdict> after = back.byKey();
    assertEquals(List.copyOf(before.keySet()), List.copyOf(after.keySet()));
    before.forEach((key, verdict) -> assertEquals(verdict.sentence(), after.get(key).sentence(), key));
    assertTrue(after.get("C3.transformed.pgd.0.1").sentence().contains("∞"), "+∞ survives as the unbounded flag");
  }

  @Test
  void theJsonHasTheSection7Keys() {
    Verdicts v = sample();
    assertEquals(List.of("C1", "C2.attn", "C2.relu", "C3.transformed.pgd.0.3", "C3.transformed.pgd.0.1",
        "C3.transformed.pgd.0.03", "C3.transformed.fgsm.0.3", "C3.adversarial.pgd.0.3", "C4", "dual"),
        List.copyOf(v.byKey().keySet()));
    Map<String, Object> tree = ResultJson.toMap(v);
    assertEquals(List.of("C1", "C2", "C3", "C4", "dual"), List.copyOf(tree.keySet()));
    Map<?, ?> c1 = (Map<?, ?>) tree.get("C1");
    assertEquals(List.of("verdict", "rule", "evidence"), List.copyOf(c1.keySet()));
    assertEquals("holds", c1.get("verdict"));
    Map<?, ?> c3 = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) tree.get("C3")).get("transformed")).get("pgd");
    assertEquals(List.of("0.3", "0.1", "0.03"), List.copyOf(c3.keySet()));
    assertEquals("higher", ((Map<?, ?>) c3.get("0.3")).get("verdict"));
    Map<?, ?> attnC2 = (Map<?, ?>) ((Map<?, ?>) tree.get("C2")).get("attn");
    Map<?, ?> ev = (Map<?, ?>) attnC2.get("evidence");
    assertEquals(List.of("claim", "model", "metric", "slope", "intercept", "eps", "m_hat", "log10_m_hat",
        "widest_width", "practical_width"), List.copyOf(ev.keySet()), "evidence keys in insertion order");

    // The verdicts the sample was built to give, and dual computed from C3 (transformed, PGD) and C4.
    assertEquals("holds", v.c2().get("attn").verdict());
    assertEquals("inconclusive", v.c2().get("relu").verdict());
    assertEquals("confounded", v.c3("transformed", "pgd", 0.03).verdict());
    assertEquals("confounded", v.c3("transformed", "fgsm", 0.3).verdict());
    assertEquals("reversed", v.c3("adversarial", "pgd", 0.3).verdict());
    assertNull(v.c3("curated", "pgd", 0.3));
    assertEquals("holds", v.c4().verdict());
    assertEquals("holds", v.dual().verdict());
    assertTrue(v.c3("transformed", "pgd", 0.03).sentence().contains("random noise"));
    assertTrue(v.c3("transformed", "fgsm", 0.3).sentence().contains("at chance"));
    assertTrue(v.c3("adversarial", "pgd", 0.3).sentence().startsWith("reversed: "));
  }

  @Test
  void onlyTransformedAndAdversarialGetC3Verdicts() {
    Verdicts v = sample();
    Map<String, Map<String, Map<Double, Verdict>>> c3 = new LinkedHashMap<>(v.c3());
    c3.put("curated", Map.of("none", Map.of(0.3, v.c1())));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Verdicts(v.c1(), v.c2(), c3, v.c4(), v.dual()));
    assertTrue(e.getMessage().contains("curated"), e.getMessage());
  }

  @Test
  void evidenceIsNormalisedToWhatJsonReadsBack() {
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("claim", "C1");
    ev.put("count", 3);
    ev.put("ratio", Double.NaN);
    ev.put("values", new double[] {1.5, Double.POSITIVE_INFINITY});
    ev.put("ks", List.of(2, 5));
    ev.put("nested", Map.of("k", 1));
    Verdict v = new Verdict("inconclusive", "constructed", ev);
    assertEquals(3L, v.evidence().get("count"));
    assertNull(v.evidence().get("ratio"));
    assertTrue(v.evidence().containsKey("ratio"));
    assertEquals(java.util.Arrays.asList(1.5, null), v.evidence().get("values"));
    assertEquals(List.of(2L, 5L), v.evidence().get("ks"));
    assertEquals(Map.of("k", 1L), v.evidence().get("nested"));
    assertEquals(v, ResultJson.read(ResultJson.write(v), Verdict.class));
    assertThrows(IllegalArgumentException.class,
        () -> new Verdict("holds", "r", Map.of("x", new Object())));
  }
}
