package org.ntkstudy.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dual table's statement follows the SCIENCE §7 verdicts, never the other way round. */
class DualTableTest {
  private static Verdict c3(double attnLo, double attnHi, double reluLo, double reluHi, double ratioLo,
      double ratioHi) {
    return VerdictRules.c3("transformed", "pgd", 0.3,
        new VerdictRules.Excess((attnLo + attnHi) / 2, attnLo, attnHi, false, 0.9, 0.5),
        new VerdictRules.Excess((reluLo + reluHi) / 2, reluLo, reluHi, false, 0.9, 0.5),
        new VerdictRules.Ratio((ratioLo + ratioHi) / 2, ratioLo, ratioHi, null));
  }

  private static DualTable table(Boolean ratioAbove) {
    return new DualTable(Map.of(), DualTable.Verdict.of(0.4, 0.5, ratioAbove));
  }

  @Test
  void moreMalleableOnlyWhenC3SaysHigher() {
    Verdict c4 = VerdictRules.c4(0.4, 0.5, new Interval(0.2, 0.19, 0.21, 3), new Interval(0.3, 0.29, 0.31, 3));
    Verdict higher = c3(0.2, 0.4, 0.05, 0.1, 2.0, 4.0);
    assertEquals(Verdict.HIGHER, higher.verdict());
    Map<String, Map<String, Map<Double, Verdict>>> byIv = Map.of("transformed", Map.of("pgd", Map.of(0.3, higher)));
    InfluenceVerdicts v = new InfluenceVerdicts(byIv, c4, VerdictRules.dual(Map.of(0.3, higher), c4));
    DualTable t = table(false).withVerdicts(v, 0.3);
    assertEquals(Boolean.TRUE, t.attnMoreMalleable(), "C3 higher overrides a raw ratio that said no");
    assertTrue(t.statement().startsWith("dual implication " + v.dual().verdict()), t.statement());
    assertTrue(t.statement().contains("C4 holds"), t.statement());

    Verdict confounded = c3(-0.1, 0.2, -0.1, 0.2, 0.5, 2.0);
    assertEquals(Verdict.CONFOUNDED, confounded.verdict());
    InfluenceVerdicts w = new InfluenceVerdicts(Map.of("transformed", Map.of("pgd", Map.of(0.3, confounded))), c4,
        VerdictRules.dual(Map.of(0.3, confounded), c4));
    DualTable u = table(true).withVerdicts(w, 0.3);
    assertNull(u.attnMoreMalleable(), "confounded: undetermined, whatever the raw ratio said");
    assertTrue(u.statement().contains("confounded"), u.statement());
    assertEquals(table(true).attnApproximatesBetter(), u.attnApproximatesBetter());
  }
}
