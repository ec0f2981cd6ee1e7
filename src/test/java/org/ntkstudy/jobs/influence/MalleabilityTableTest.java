package org.ntkstudy.jobs.influence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntkstudy.results.FlipRateRatio;
import org.ntkstudy.results.Interval;
import org.ntkstudy.results.MalleabilityFigures;
import org.ntkstudy.results.RadiusFigures;

/** The summary of hand-made malleability rows: §5's bootstrap intervals, the ratios per radius, curated apart. */
class MalleabilityTableTest {
  /** "1010" → {true, false, true, false}. */
  static boolean[] bits(String s) {
    boolean[] b = new boolean[s.length()];
    for (int i = 0; i < b.length; i++) {
      b[i] = s.charAt(i) == '1';
    }
    return b;
  }

  static double rate(boolean[] b) {
    return (double) MalleabilityRow.count(b) / b.length;
  }

  static MalleabilityRow attacked(String model, double eps, long seed, String flips, String control, String floor) {
    boolean[] f = bits(flips);
    boolean[] c = bits(control);
    boolean[] n = bits(floor);
    return new MalleabilityRow(model, "fgsm", "transformed", seed, rate(f), 0.5, 0.75, rate(c), rate(n), eps, f, c, n);
  }

  static MalleabilityRow curated(String model, long seed, String flips) {
    boolean[] f = bits(flips);
    return new MalleabilityRow(model, "none", "curated", seed, rate(f), 0.25, 0.5, Double.NaN, 0.0, Double.NaN, f,
        null, new boolean[f.length]);
  }

  static MalleabilityTable table() {
    List<MalleabilityRow> rows = new ArrayList<>();
    for (long seed = 0; seed < 2; seed++) {
      // Radius 0.3: relu's attack flips exactly what its control flips (excess 0); attn's beats it.
      rows.add(attacked("relu", 0.3, seed, "11000000", "11000000", "10000000"));
      rows.add(attacked("attn", 0.3, seed, seed == 0 ? "11110000" : "11101000", "10000000", "00000000"));
      rows.add(curated("relu", seed, "10000000"));
      rows.add(curated("attn", seed, "11000000"));
    }
    for (long seed = 0; seed < 2; seed++) {
      // Radius 0.1: relu's excess is positive, attn's larger.
      rows.add(attacked("relu", 0.1, seed, "11100000", "10000000", "10000000"));
      rows.add(attacked("attn", 0.1, seed, "11111100", "10000000", "00000000"));
    }
    return new MalleabilityTable(rows);
  }

  @Test
  void theExcessRatioIsNullWithItsReasonWhenRelusExcessIsNotPositive() {
    MalleabilityTable.Summary s = table().summary(500, 7);
    FlipRateRatio none = s.excessRatio().get("fgsm").get("transformed");
    assertNull(none.mean());
    assertNull(none.lo());
    assertNull(none.hi());
    assertFalse(none.present());
    assertEquals(Boolean.FALSE, none.loUnbounded(), "a null end with its flag false reads 'no ratio'");
    assertTrue(none.note().contains("excess") && none.note().contains("<= 0"), none.note());
    assertEquals(2, none.seedsAttn());
    // The flip-rate ratio at the same radius exists: relu flips 2 of 8 per seed.
    FlipRateRatio flip = s.ratio().get("fgsm").get("transformed");
    assertEquals((8.0 / 16) / (4.0 / 16), flip.mean(), 1e-15);
    assertNull(flip.note());
    assertEquals(500, flip.draws());
    // At 0.1 relu's excess is 3/8 - 1/8 > 0: the excess ratio exists, (6/8 - 1/8) / (2/8) = 2.5.
    RadiusFigures at01 = s.byRadius().get("0.1");
    FlipRateRatio ex01 = at01.excessRatio("fgsm", "transformed");
    assertEquals(2.5, ex01.mean(), 1e-12);
    assertTrue(ex01.present() && ex01.lo() != null || Boolean.TRUE.equals(ex01.loUnbounded()), ex01.toString());
    assertTrue(ex01.hi() != null || Boolean.TRUE.equals(ex01.hiUnbounded()), ex01.toString());
  }

  @Test
  void everyRateIntervalStaysInTheUnitIntervalAndTheRadiiAreKeptApart() {
    MalleabilityTable t = table();
    MalleabilityTable.Summary s = t.summary(1000, 3);
    assertEquals(List.of(0.3, 0.1), t.radii());
    assertEquals(List.of("0.3", "0.1"), List.copyOf(s.byRadius().keySet()));
    // The top level is the first radius, with curated; by_radius has the attacked cells only.
    assertEquals(s.malleability().get("attn").get("fgsm").get("transformed"),
        s.byRadius().get("0.3").figures("attn", "fgsm", "transformed"));
    assertNotNull(s.malleability().get("relu").get("none").get("curated"));
    for (RadiusFigures r : s.byRadius().values()) {
      r.malleability().values().forEach(byAttack -> assertFalse(byAttack.containsKey("none"), "curated has no radius"));
    }
    assertNotNull(s.ratio().get("none").get("curated"), "today's ratio.none.curated stays");
    assertFalse(s.excessRatio().containsKey("none"), "curated has no control, so no excess ratio");
    assertEquals(2.0, s.byRadius().get("0.1").ratio("fgsm", "transformed").mean(), 1e-12);

    MalleabilityFigures cur = s.malleability().get("attn").get("none").get("curated");
    assertEquals(new Interval(null, null, null, 0), cur.controlRandom());
    assertEquals(new Interval(null, null, null, 0), cur.excess());
    assertEquals(0.25, cur.flipRate().mean(), 0.0);

    List<MalleabilityFigures> all = new ArrayList<>();
    s.malleability().values().forEach(a -> a.values().forEach(i -> all.addAll(i.values())));
    s.byRadius().values().forEach(r -> r.malleability().values().forEach(a -> a.values().forEach(
        i -> all.addAll(i.values()))));
    for (MalleabilityFigures f : all) {
      for (String name : List.of("flip_rate", "control_random", "control_noise_floor")) {
        Interval iv = f.figure(name);
        if (iv.present()) {
          assertTrue(0 <= iv.lo() && iv.lo() <= iv.mean() && iv.mean() <= iv.hi() && iv.hi() <= 1, name + " " + iv);
        }
      }
      Interval e = f.excess();
      if (e.present()) {
        assertTrue(-1 <= e.lo() && e.lo() <= e.mean() && e.mean() <= e.hi() && e.hi() <= 1, "excess " + e);
      }
    }
    // The means are the seed means of the rows' rates, the excess their paired difference.
    MalleabilityFigures attn = s.malleability().get("attn").get("fgsm").get("transformed");
    assertEquals((4.0 / 8 + 4.0 / 8) / 2, attn.flipRate().mean(), 0.0);
    assertEquals(1.0 / 8, attn.controlRandom().mean(), 0.0);
    assertEquals(3.0 / 8, attn.excess().mean(), 0.0);
    assertEquals(0.0, attn.controlNoiseFloor().mean(), 0.0);
    assertEquals(new Interval(0.5, 0.5, 0.5, 2), attn.spearman(), "spearman keeps its seed t-interval");
    // Deterministic in (draws, seed).
    assertEquals(s, t.summary(1000, 3));
  }

  @Test
  void theRowsColumnsKeepTheOldOrderAndAddTheNewAtTheEnd() {
    MalleabilityRow r = attacked("relu", 0.3, 1, "1100", "1000", "0000");
    List<Object> v = r.values();
    assertEquals(List.of("relu", "fgsm", "transformed", 1L, 0.5, 0.5, 0.75, 0.25, 0.0, 0.3, 0.25, 4, 2, 1), v);
    List<Object> c = curated("attn", 0, "1000").values();
    assertEquals(java.util.Arrays.asList("attn", "none", "curated", 0L, 0.25, 0.25, 0.5, null, 0.0, null, null, 4, 1,
        null), c);
  }

  @Test
  void unpairedSeedsAreRefused() {
    List<MalleabilityRow> rows = List.of(attacked("relu", 0.3, 0, "10", "00", "00"),
        attacked("attn", 0.3, 1, "10", "00", "00"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new MalleabilityTable(rows).summary(100, 1));
    assertTrue(e.getMessage().contains("pairs"), e.getMessage());
  }

  @Test
  void cellKeysNameTheRadiusOfAttackedCellsOnly() {
    String a = MalleabilityStage.cellKey("attn", 1, new InfluenceWork.CellSpec(0, "pgd", "transformed", 0.3));
    String b = MalleabilityStage.cellKey("attn", 1, new InfluenceWork.CellSpec(0, "pgd", "transformed", 0.03));
    assertEquals("attn_seed1_pgd_transformed_eps0.3", a);
    assertEquals("attn_seed1_pgd_transformed_eps0.03", b);
    assertEquals("attn_seed1_none_curated",
        MalleabilityStage.cellKey("attn", 1, new InfluenceWork.CellSpec(0, "none", "curated", Double.NaN)));
    assertTrue(MalleabilityStage.AXES.contains("attack_eps"));
  }
}
