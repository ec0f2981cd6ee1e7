package org.ntkstudy.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.ntkstudy.io.Json;

/**
 * The typed results against the map-based writer they replace: every golden summary.json (written
 * by the old code on real runs, see resources/results/golden/README.md) read into its record and
 * written back is byte-identical, and every record survives record → JSON → record.
 */
class ResultJsonTest {
  static String golden(String name) {
    try (InputStream in = ResultJsonTest.class.getResourceAsStream("/results/golden/" + name)) {
      assertNotNull(in, name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "spectrum.json, org.ntkstudy.results.SpectrumResult",
    "sweep.json, org.ntkstudy.results.SweepResult",
    "train.json, org.ntkstudy.results.TrainResult",
    "study.json, org.ntkstudy.results.StudyResult",
    "influence.json, org.ntkstudy.results.InfluenceResult",
    "influence-quick.json, org.ntkstudy.results.InfluenceResult",
    "influence-radius.json, org.ntkstudy.results.InfluenceResult",
    "kernel-empirical-lanczos.json, org.ntkstudy.results.KernelResult",
    "kernel-analytic.json, org.ntkstudy.results.KernelResult",
    "kernel-empirical-lapack.json, org.ntkstudy.results.KernelResult",
    "kernel-over-budget.json, org.ntkstudy.results.KernelResult",
  })
  void goldenSummariesAreWrittenBackByteForByte(String file, Class<?> type) {
    String old = golden(file);
    Object record = ResultJson.read(old, type);
    assertEquals(old, ResultJson.write(record) + "\n", file);
    // The same record again from its own JSON (round trip through the typed writer).
    assertEquals(record, ResultJson.read(ResultJson.write(record), type), file);
    // The map view has the same keys in the same order as the old map tree.
    assertEquals(Json.write(Json.read(old)), Json.write(ResultJson.toMap(record)), file);
  }

  @Test
  void spectrumKeepsItsKappaFamilyInPlaceAndTyped() {
    SpectrumResult s = ResultJson.read(golden("spectrum.json"), SpectrumResult.class);
    assertEquals(6.073879179305208, s.kappaK(2, "G"));
    assertEquals(1.9803468134831756E8, s.kappaK(50, "G3"));
    assertEquals(2.9564353065097126, s.attnExponent(50));
    assertEquals(20, s.kappaKs().size());
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), s.classes());
    assertEquals(SpectrumResult.DEFINITIONS, s.definitions());
    assertEquals(256L, s.provenance().config().get("n"));
    List<String> keys = List.copyOf(ResultJson.toMap(s).keySet());
    assertEquals("kappa_cubed", keys.get(keys.indexOf("kappa_2_G") - 1));
    assertEquals("eps", keys.get(keys.indexOf("kappa_50_attn_exponent") + 1));
    // A key that is neither a component nor of the κ_k family is an error, not silently kept.
    String bad = golden("spectrum.json").replace("\"kappa_2_G\"", "\"kappa_2_X\"");
    assertThrows(IllegalArgumentException.class, () -> ResultJson.read(bad, SpectrumResult.class));
  }

  @Test
  void sweepAndTrainTablesAreTyped() {
    SweepResult s = ResultJson.read(golden("sweep.json"), SweepResult.class);
    assertEquals(List.of("relu", "attn"), s.models());
    Interval e = s.interval("relu", 16, "e_F");
    assertEquals(new Interval(0.24201914711750017, 0.06031940320872051, 0.4237188910262798, 2), e);
    assertEquals(e, s.figures("relu", 16).eF());
    assertEquals(-0.7866615287741267, s.fit("relu", "e_F").slope());
    assertNull(s.fit("relu", "e_F").slopeSe());
    assertEquals("rank_deficient", s.thresholds().get("attn").kappaDStatus());
    assertNull(s.thresholds().get("attn").kappaD());
    assertEquals(SweepResult.DEFINITIONS, s.definitions());

    TrainResult t = ResultJson.read(golden("train.json"), TrainResult.class);
    assertEquals(List.of("attn", "relu"), List.copyOf(t.groups().keySet()));
    assertEquals(List.of(0.01, 1.0), List.copyOf(t.groups().get("relu").get(16).keySet()));
    Interval acc = t.interval("relu", 128, 1.0, "gd", "test_accuracy");
    assertNotNull(acc);
    assertEquals(2, acc.seeds());
    assertNull(t.figures("relu", 128, 0.5, "gd"));

    StudyResult st = ResultJson.read(golden("study.json"), StudyResult.class);
    assertEquals(List.copyOf(Results.PARTS), List.copyOf(st.parts().keySet()));
    assertTrue(st.part("influence").networks().contains("train part"));
    assertNull(st.part("spectrum").networks());
    assertEquals(PartStatus.RUN, st.part("train").status());
  }

  @Test
  void partsAnswerTheReportsQuestionsTyped() {
    SpectrumResult sp = ResultJson.read(golden("spectrum.json"), SpectrumResult.class);
    assertEquals(List.of(2, 5, 10, 20, 50), sp.ks());
    assertEquals(sp.timings().get("total_s"), sp.totalS());
    assertEquals(256L, sp.provenance().option("n"));
    assertNull(sp.provenance().option("no_such_option"));

    SweepResult sw = ResultJson.read(golden("sweep.json"), SweepResult.class);
    assertEquals(sw.widths(), sw.widthsOf("relu"));
    assertEquals(List.of(), sw.widthsOf("no_such_model"));
    assertEquals(sw.thresholds().get("attn"), sw.thresholdsOf("attn"));
    assertNull(sw.thresholdsOf("no_such_model"));

    TrainResult t = ResultJson.read(golden("train.json"), TrainResult.class);
    assertEquals(List.of("attn", "relu"), t.models());

    // Every part states its dataset, n, provenance and run time alike.
    for (PartResult r : List.<PartResult>of(sp, sw, t)) {
      assertNotNull(r.dataset());
      assertTrue(r.n() > 0);
      assertNotNull(r.provenance());
      assertNotNull(r.totalS());
    }
  }

  @Test
  void influenceTablesAreTyped() {
    InfluenceResult r = ResultJson.read(golden("influence.json"), InfluenceResult.class);
    assertEquals(List.of("relu", "attn"), r.models());
    MalleabilityFigures f = r.figures("relu", "fgsm", "transformed");
    assertEquals(new Interval(0.3076923076923077, -0.6697080566288266, 1.285092672013442, 2), f.flipRate());
    assertEquals(f.flipRate(), f.figure("flip_rate"));
    assertEquals(new Interval(null, null, null, 0), r.figures("attn", "none", "curated").controlRandom());
    assertNull(r.figures("attn", "mim", "transformed"));
    assertEquals(new FlipRateRatio(0.14285714285714285, 0.0, 0.5, 2, 2, null), r.ratio("pgd", "transformed"));
    assertEquals(PaperFlipRates.PAPER, r.paperFlipRates());
    assertEquals(List.of("source", "mnist_10class", "cifar10_10class", "mnist_3_vs_8", "attacks"),
        List.copyOf(ResultJson.toMap(r.paperFlipRates()).keySet()));
    assertEquals(TransductiveLooSummary.DEFINITION, r.transductive().definition());
    assertEquals(0.90625, r.transductive().seeds().get("0").signAgreement());
    assertNull(r.retrainLoo(), "retrain_loo did not run (n > 100): the key is absent");
    assertEquals(0.84375, r.dual().table().get("attn").krrTestAccuracy());
    assertEquals(new Interval(0.5, 0.5, 0.5, 2), r.dual().table().get("attn").netTestAccuracy());
    assertTrue(r.dual().verdict().attnApproximatesBetter());
    assertEquals(Boolean.FALSE, r.dual().verdict().attnMoreMalleable());
    assertEquals(DualTable.Verdict.of(0.4112333523026624, 0.4735927356287098, false), r.dual().verdict());
    assertEquals("margin", r.influenceTarget());
    assertEquals(128L, r.provenance().config().get("width"));
  }

  @Test
  void influenceRadiiAndExcessesAreTyped() {
    InfluenceResult old = ResultJson.read(golden("influence.json"), InfluenceResult.class);
    assertEquals(List.of(0.3), old.radii(), "a summary before the radius axis has its one eps");
    assertNull(old.atRadius(0.3));
    assertNull(old.excessRatio("pgd", "transformed"));
    assertNull(old.figures("relu", "fgsm", "transformed").excess());

    InfluenceResult r = ResultJson.read(golden("influence-radius.json"), InfluenceResult.class);
    assertEquals(List.of(0.3, 0.1), r.radii());
    assertEquals(0.3, r.eps());
    assertEquals(InfluenceResult.DEFINITIONS, r.definitions());
    RadiusFigures first = r.atRadius(0.3);
    assertEquals(r.figures("attn", "pgd", "transformed"), first.figures("attn", "pgd", "transformed"));
    assertEquals(r.ratio("pgd", "transformed"), first.ratio("pgd", "transformed"));
    assertEquals(r.excessRatio("pgd", "transformed"), first.excessRatio("pgd", "transformed"));
    assertNull(first.figures("attn", "none", "curated"), "curated is reported once, at the top level");
    FlipRateRatio none = r.excessRatio("fgsm", "transformed");
    assertFalse(none.present());
    assertTrue(none.note().contains("excess"), none.note());
    FlipRateRatio unbounded = r.atRadius(0.1).excessRatio("fgsm", "transformed");
    assertTrue(unbounded.present() && unbounded.hi() == null && unbounded.hiUnbounded(), unbounded.toString());
    Interval excess = r.atRadius(0.1).figures("relu", "pgd", "adversarial").excess();
    assertTrue(excess.lo() > 0, "relu's excess at 0.1 lies above 0: " + excess);
  }

  @Test
  void influenceOptionalPartsSurviveARoundTrip() {
    Interval a = Interval.of(new double[] {0.25, 0.5});
    MalleabilityFigures f = new MalleabilityFigures(a, a, a, Interval.of(new double[0]), a);
    Map<String, Map<String, Map<String, MalleabilityFigures>>> mall = new LinkedHashMap<>();
    mall.put("relu", Map.of("fgsm", Map.of("transformed", f)));
    mall.put("attn", Map.of("fgsm", Map.of("transformed", f)));
    Map<String, Map<String, FlipRateRatio>> ratio = Map.of("fgsm",
        Map.of("transformed", FlipRateRatio.none(2, 2)));
    LooAgreement agree = new LooAgreement(Double.NaN, 0.5, 0.75, 0.25, 1.5, null);
    Map<String, LooSummary> models = new LinkedHashMap<>();
    models.put("relu", new LooSummary(a, a, Map.of("0", agree)));
    models.put("attn", new LooSummary(a, Interval.of(new double[] {Double.NaN}), Map.of("0", agree)));
    RetrainLooSummary retrain = new RetrainLooSummary(RetrainLooSummary.definition(3), models);
    DualRow row = new DualRow(0.5, Double.NaN, 0.125, a, a, a, Map.of(DualRow.flipKey("fgsm", "transformed"), a));
    Map<String, DualRow> table = new LinkedHashMap<>();
    table.put("relu", row);
    table.put("attn", row);
    DualTable withVerdict = new DualTable(table, DualTable.Verdict.of(0.25, 0.5, null));
    InfluenceResult r = new InfluenceResult("influence", "fashion-mnist", "binary", 12, 6, 1e-3, "analytic",
        "output", 2, 0.1, 0.3, "Cholesky", mall, ratio, PaperFlipRates.PAPER, null, retrain, withVerdict, 1.5,
        provenance());
    String json = ResultJson.write(r);
    assertFalse(json.contains("\"transductive\""), "an analysis that did not run is an absent key: " + json);
    assertTrue(json.contains("\"note\" : \"" + FlipRateRatio.NO_RATIO + "\""), json);
    assertTrue(json.contains("\"attn_more_malleable\" : null"), "an undetermined verdict is null: " + json);
    assertEquals(r, ResultJson.read(json, InfluenceResult.class));
    List<String> retrainKeys = List.copyOf(ResultJson.toMap(r.retrainLoo()).keySet());
    assertEquals(List.of("definition", "relu", "attn"), retrainKeys, "models beside the definition, in order");
    List<String> dualKeys = List.copyOf(ResultJson.toMap(withVerdict).keySet());
    assertEquals(List.of("table", "attn_approximates_better", "attn_more_malleable", "statement"), dualKeys);
    assertTrue(r.dual().verdict().statement().endsWith("both hold: undetermined"), r.dual().verdict().statement());

    // One model: no verdict keys at all, and none read back.
    InfluenceResult one = new InfluenceResult("influence", "fashion-mnist", "binary", 12, 6, 1e-3, "empirical",
        "margin", 2, 0.1, 0.3, "Cholesky", Map.of("relu", mall.get("relu")), Map.of(), PaperFlipRates.PAPER,
        new TransductiveLooSummary(TransductiveLooSummary.DEFINITION, a, a, Map.of("1", agree)), null,
        new DualTable(Map.of("relu", row), null), 0.5, provenance());
    String oj = ResultJson.write(one);
    assertFalse(oj.contains("statement") || oj.contains("retrain_loo"), oj);
    assertEquals(one, ResultJson.read(oj, InfluenceResult.class));
  }

  @Test
  void nonFiniteNumbersAreWrittenAsNullAndReadBackAsNull() {
    Interval iv = new Interval(Double.NaN, Double.NEGATIVE_INFINITY, 1.0, 3);
    assertEquals(new Interval(null, null, 1.0, 3), iv, "the record holds what the JSON will say");
    String json = ResultJson.write(iv);
    assertFalse(json.contains("NaN") || json.contains("Infinity"), json);
    assertEquals(iv, ResultJson.read(json, Interval.class));
    assertEquals(new Interval(null, null, null, 0), Interval.of(new double[] {Double.NaN}));

    KernelResult k = new KernelResult("kernel", "relu", "empirical", 8, 4, 0, 3, 4, 2.0, Double.POSITIVE_INFINITY,
        1.5, -1e-17, null, Arrays.asList(1.5, Double.NaN), "test", null, 64, 0.25, provenance());
    String kj = ResultJson.write(k);
    assertTrue(kj.contains("\"top_eigenvalues\" : [ 1.5, null ]"), kj);
    assertFalse(kj.contains("top_eigenvalue_residuals"), "an absent figure is an absent key: " + kj);
    assertTrue(kj.contains("\"kappa\" : null"), "a figure that does not exist is null: " + kj);
    assertEquals(k, ResultJson.read(kj, KernelResult.class));
  }

  @Test
  void everyRecordSurvivesARoundTrip() {
    ProvenanceRecord p = provenance();
    assertEquals(p, ResultJson.read(ResultJson.write(p), ProvenanceRecord.class));

    Map<String, Double> ks = SpectrumResult.kappaFamily(new double[] {4, 2, 1, 0.5, 0.1, 0.01, 0, 0, 0, 0, 0, 0},
        new double[] {64, 8, 1, 0.125, 1e-3, 1e-6, 0, 0, 0, 0, 0, 0},
        new double[] {9, 1, 0.1, 0.01, 1e-4, 1e-7, 0, 0, 0, 0, 0, 0});
    Map<String, Double> timings = new LinkedHashMap<>();
    timings.put("load_s", 0.5);
    timings.put("total_s", 1.25);
    SpectrumResult s = new SpectrumResult("spectrum", "mnist", "binary", List.of(3, 8), 12, 784, 12, "gram",
        "covariance", 4.0, 0.0, 12, 0.0, 1e-10, 6, Double.NaN, null, null, "rank_deficient", 1e-3, 4001.0, null, ks,
        0.1, null, null, 9.0, Map.of("C1", VerdictRules.c1(Map.of(2, 2.0), Map.of(2, 8.0), 6)),
        SpectrumResult.DEFINITIONS, timings, p);
    assertEquals(s, ResultJson.read(ResultJson.write(s), SpectrumResult.class));
    assertEquals(2.0, s.kappaK(2, "G"));
    assertNull(s.kappaK(20, "G"), "k > n");

    Map<Integer, WidthFigures> byWidth = new LinkedHashMap<>();
    Interval a = Interval.of(new double[] {0.5, 0.25, 0.125});
    byWidth.put(16, new WidthFigures(a, a, a, Interval.of(new double[] {Double.NaN}), a, a, a));
    byWidth.put(64, new WidthFigures(a, a, a, a, a, a, a));
    Map<String, Fit> fits = new LinkedHashMap<>();
    fits.put("e_F", new Fit(-0.5, 0.25, null, 1e4, 4.0, 2, 3));
    fits.put("e_f", Fit.none(1, 3));
    SweepResult sw = new SweepResult("sweep", "fashion-mnist", 10, 5, 784, 3, List.of(16, 64),
        Map.of("relu", new Thresholds(10.0, null, "rank_deficient", 8.0, null)), Map.of("relu", byWidth),
        Map.of("relu", fits), Map.of("relu", fits), 1e-3, 0.1, 64,
        Map.of("C2", Map.of("relu", VerdictRules.c2("relu", fits.get("e_F"), 64.0, 1e6))), SweepResult.DEFINITIONS,
        2.5, p);
    assertEquals(sw, ResultJson.read(ResultJson.write(sw), SweepResult.class));
    assertEquals(a, sw.interval("relu", 64, "kappa"));
    assertNull(sw.interval("attn", 64, "kappa"));

    TrainFigures f = new TrainFigures(a, a, a, a, a, a, a, a, a, a);
    Map<Double, Map<String, TrainFigures>> bySigma = new LinkedHashMap<>();
    bySigma.put(0.01, Map.of("adam", f));
    bySigma.put(1.0, Map.of("gd", f));
    TrainResult t = new TrainResult("train", "fashion-mnist", "binary", "mse", 10, 5, 3, 4,
        Map.of("relu", Map.of(16, bySigma)), null, null, null, 3.5, p);
    String tj = ResultJson.write(t);
    assertTrue(tj.contains("\"0.01\" : {") && tj.contains("\"1.0\" : {"), "sigma0 keys as Java prints them: " + tj);
    assertEquals(t, ResultJson.read(tj, TrainResult.class));
    assertEquals(f, t.figures("relu", 16, 1.0, "gd"));

    Map<String, PartStatus> parts = new LinkedHashMap<>();
    parts.put("spectrum", new PartStatus(null, PartStatus.KEPT, null));
    parts.put("influence", new PartStatus("from --train-dir", PartStatus.RUN, 1.5));
    StudyResult st = new StudyResult("study", "tiny", Map.of("n", "128"), parts, null, "report/report.html", 4.0, p);
    String sj = ResultJson.write(st);
    assertFalse(sj.contains("\"seconds\" : null"), sj);
    assertEquals(st, ResultJson.read(sj, StudyResult.class));
  }

  static ProvenanceRecord provenance() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("n", 12);
    config.put("widths", List.of(16, 64));
    config.put("sigma0", List.of(0.01, 1.0));
    config.put("lambda", 1e-3);
    config.put("test_data", null);
    config.put("npy", true);
    config.put("nested", Map.of("x", 1L));
    return new ProvenanceRecord("abc", "2026-11-29T00:00:00Z", 7, "3.5.9", "local[2]", 2, "17", "Debian", "JNIBLAS",
        "JNILAPACK", null, "bundled", "OpenBLAS", null, 1024, 200, config);
  }
}
