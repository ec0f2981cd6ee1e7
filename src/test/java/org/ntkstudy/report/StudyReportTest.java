package org.ntkstudy.report;

import org.ntkstudy.math.TrainingProfile;
import org.ntkstudy.report.page.Charts;
import org.ntkstudy.report.page.Fmt;
import org.ntkstudy.report.page.Html;
import org.ntkstudy.report.page.ImageGrid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.io.Json;
import org.ntkstudy.jobs.influence.InfluenceJob;
import org.ntkstudy.jobs.SpectrumJob;
import org.ntkstudy.jobs.TrainJob;
import org.ntkstudy.jobs.WidthSweepJob;
import org.ntkstudy.math.Attacks;
import org.ntkstudy.math.Influence;
import org.ntkstudy.math.Model;
import org.ntkstudy.math.Trainer;
import org.ntkstudy.report.page.ReportData.Csv;
import org.ntkstudy.results.ClaimVerdicts;
import org.ntkstudy.results.FlipRateRatio;
import org.ntkstudy.results.InfluenceResult;
import org.ntkstudy.results.Interval;
import org.ntkstudy.results.PaperFlipRates;
import org.ntkstudy.results.ResultJson;
import org.ntkstudy.results.Results;
import org.ntkstudy.results.SpectrumResult;
import org.ntkstudy.results.StudyResult;
import org.ntkstudy.results.StudyOutputs;
import org.ntkstudy.results.SweepResult;
import org.ntkstudy.results.TrainResult;
import org.ntkstudy.results.Verdict;
import org.ntkstudy.results.Verdicts;
import org.ntkstudy.spark.GramSpectrum;
import org.ntkstudy.testing.SparkTestSession;
import org.ntkstudy.testing.TestData;

/** The study report over a small study built by the jobs themselves. */
class StudyReportTest {
  @TempDir
  static Path shared;

  static Path study;
  static SpectrumResult spectrum;
  static SweepResult sweep;
  static TrainResult train;
  static InfluenceResult influence;

  /** A four-part study of 40 6×6 images (two classes): spectrum, sweep, train, influence with npy at two radii. */
  @BeforeAll
  static void buildStudy() throws IOException {
    Path data = TestData.idxDataset(shared.resolve("idx"), 200, 60, 6, 1, 21);
    DatasetSpec spec = DatasetSpec.of(DatasetSpec.MNIST, data.toString(), 40).withNTest(12).withClasses("0,1")
        .withSubset(DatasetSpec.FIRST);
    SparkSession spark = SparkTestSession.get();
    study = shared.resolve("study");
    Files.createDirectories(study);
    new SpectrumJob(new SpectrumJob.Config(spec, study.resolve("spectrum").toString(), false, true, 0, 0, 1e-10, 0.1,
        1e-3, GramSpectrum.Route.AUTO, 1L << 30)).run(spark);
    new WidthSweepJob(new WidthSweepJob.Config(spec, study.resolve("sweep").toString(), false, true,
        List.of(Model.RELU, Model.ATTN), List.of(8, 16, 64), 2, 0.01, 1e-3, 0.1, 1e-10, 8, 16, 0, 1L << 30, 1e6)).run(spark);
    TrainJob.Result trained = new TrainJob(new TrainJob.Config(spec, study.resolve("train").toString(), false,
        List.of(Model.RELU, Model.ATTN), List.of(8, 16), List.of(0.01, 1.0),
        List.of(Trainer.Optimizer.ADAM, Trainer.Optimizer.GD), 2, TrainingProfile.QUICK, 3, 1e-2, 0, 16, 1e-3, false,
        null, null, 1e-3, 0, 0)).run(spark);
    new InfluenceJob(new InfluenceJob.Config(spec, study.resolve("influence").toString(), false, true, 1L << 30,
        List.of(Model.RELU, Model.ATTN), List.of(Attacks.Kind.FGSM, Attacks.Kind.PGD), List.of("transformed", "curated"),
        1e-3, InfluenceJob.KernelKind.EMPIRICAL, Influence.Target.MARGIN, trained.out().toString(), 16, 0.01,
        Trainer.Optimizer.ADAM, 2, TrainingProfile.QUICK, 3, 1e-2, 0, 16, 1e-3, false, List.of(0.3, 0.1), 0.1, false, false,
        InfluenceJob.Switch.ON, InfluenceJob.Switch.AUTO, 1000, 0)).run(spark);
    StudyOutputs outputs = Results.read(study.toString(), spark.sparkContext().hadoopConfiguration());
    spectrum = outputs.spectrum();
    sweep = outputs.sweep();
    train = outputs.train();
    influence = outputs.influence();
  }

  @Test
  void fullStudyRendersEverySectionFromTheSummaries() throws Exception {
    org.apache.hadoop.fs.Path out = StudyReport.write(SparkTestSession.get(), study.toString());
    Path html = Path.of(out.toUri());
    assertEquals(study.resolve("report").resolve("report.html").toRealPath(), html.toRealPath());
    String page = Files.readString(html);

    assertSelfContained(page);
    assertSections(page);
    assertFalse(page.contains("could not be drawn"), "a section failed: " + excerpt(page, "could not be drawn"));
    assertNoNullText(page);

    // Every image is a PNG of the size the page declares; charts and grids have their known sizes.
    Map<String, int[]> images = images(page);
    for (String fig : List.of("fig-spectrum_eigenvalues", "fig-kappa_amplification", "fig-sweep_spectra",
        "fig-sweep_errors", "fig-train_ntk_distance", "fig-flip_rates", "fig-ratio", "fig-dose_response",
        "fig-transductive", "fig-retrain_loo")) {
      assertTrue(images.containsKey(fig), "figure " + fig + " missing; have " + images.keySet());
    }
    assertEquals(Charts.WIDTH, images.get("fig-spectrum_eigenvalues")[0]);
    assertEquals(Charts.HEIGHT, images.get("fig-spectrum_eigenvalues")[1]);
    assertEquals(2 * Charts.PANEL_WIDTH, images.get("fig-sweep_errors")[0]);
    assertEquals(2 * Charts.PANEL_HEIGHT, images.get("fig-sweep_errors")[1]);
    int k = influence.k();
    int[] grid = ImageGrid.size(k, 36, org.ntkstudy.report.sections.ExamplesSection.MAX_TILES);
    for (String model : List.of("relu", "attn")) {
      for (String attack : List.of("fgsm", "pgd")) {
        int[] size = images.get("fig-examples_" + model + "_" + attack);
        assertNotNull(size, "image grid of " + model + "/" + attack);
        assertEquals(grid[0], size[0]);
        assertEquals(grid[1], size[1]);
      }
    }

    // Numbers from the summaries, formatted as the report formats them.
    Map<String, Double> shown = new java.util.LinkedHashMap<>();
    shown.put("kappa_10_G", spectrum.kappaK(10, "G"));
    shown.put("kappa_10_G3", spectrum.kappaK(10, "G3"));
    shown.put("kappa_10_attn", spectrum.kappaK(10, "attn"));
    shown.put("kappa_10_attn_exponent", spectrum.attnExponent(10));
    shown.put("kappa_tol", spectrum.kappaTol());
    for (Map.Entry<String, Double> e : shown.entrySet()) {
      Double v = e.getValue();
      assertNotNull(v, e.getKey());
      assertTrue(page.contains("<td>" + Fmt.html(v) + "</td>") || page.contains(Fmt.html(v) + "<br>"),
          e.getKey() + " = " + v + " shown as " + Fmt.html(v));
    }
    // 16 non-zero pixels: G is rank deficient, so κ_d and m*_v2 do not exist and say so.
    assertNull(spectrum.kappaD());
    assertTrue(page.contains("rank deficient"));
    Interval pgd = influence.flipRate("attn", "pgd", "transformed");
    assertTrue(page.contains(Html.esc("attn · PGD · transformed") + "</th><td>" + Fmt.intervalPctHtml(pgd) + "</td>"),
        "attn PGD/transformed flip rate " + Fmt.intervalPctHtml(pgd));
    FlipRateRatio ratio = influence.ratio("pgd", "transformed");
    String ratioHtml = Fmt.intervalHtml(ratio.mean(), ratio.lo(), ratio.hi());
    assertTrue(page.contains("attn/relu ratio " + ratioHtml), "ratio " + ratioHtml);
    String statement = influence.dual().statement();
    assertTrue(page.contains(Html.esc(statement)), "dual statement");
    assertTrue(page.contains("e<sub>F</sub> ∝ m<sup>" + Fmt.html(sweep.fit("relu", "e_F").slope()) + "</sup>"),
        "relu e_F slope in the headline");

    // Without the study's summary.json there are no verdicts, and the section says so; the networks' learnability shows.
    String verdicts = section(page, "verdicts");
    assertTrue(verdicts.contains("No verdicts: this folder has no study summary.json"), verdicts);
    assertTrue(verdicts.contains("Did the networks behind C3 learn?"), verdicts);
    for (String model : List.of("relu", "attn")) {
      Interval acc = influence.dual().row(model).netTestAccuracy();
      String status = influence.chance().atChance(acc.mean()) ? "at chance" : "above chance";
      assertTrue(verdicts.contains(Html.esc(org.ntkstudy.report.page.ReportContext.modelName(model)) + "</th><td>"
          + Fmt.intervalPctHtml(acc) + "</td><td>" + Fmt.pct(influence.chance().chance()) + "</td><td>≤ " + Fmt.pct(influence.chance().threshold())
          + "</td><td><span class=\"" + (status.equals("at chance") ? "chance" : "learned") + "\">" + status),
          model + " learnability row");
    }
    assertTrue(verdicts.contains(Html.esc("Collapse diagnostics of attn's attended features")), verdicts);
    // The training grid marks each group against the chance level.
    assertTrue(section(page, "train").contains("<th>learned?</th>"));
    // Two radii: the dose–response figure and the excesses per radius.
    String malleability = section(page, "malleability");
    assertTrue(malleability.contains("Dose–response"), "dose-response heading");
    assertTrue(malleability.contains(Html.esc("transformed · PGD · ε = 0.1")), "excess table at the second radius");

    // The paper's flip rates appear only as the paper's.
    assertTrue(page.contains("as reported by the paper"));
    assertTrue(page.contains("K + λI factorised by Cholesky (LAPACK dpotrf + dpotri) on the driver"),
        excerpt(page, "factorised"));
    PaperFlipRates paper = influence.paperFlipRates();
    int paperValues = 0;
    for (String setting : paper.settings().keySet()) {
      for (String model : List.of("relu", "attn")) {
        for (Double v : paper.rates(setting, model)) {
          String cell = "<span class=\"paper\">" + Fmt.percentValue(v) + "</span>";
          assertTrue(page.contains(cell), "paper value " + setting + "/" + model + " " + cell);
          paperValues++;
        }
      }
    }
    assertTrue(paperValues >= 18, "the paper's 3 settings × 2 models × 3 attacks");

    // index.json lists every CSV; each exists with its header and the right number of rows.
    Path report = study.resolve("report");
    Map<String, Object> index = Json.read(Files.readString(report.resolve("index.json")));
    Map<String, Object> plots = object(index.get("plots"));
    int cells = 0;
    for (String model : influence.models()) {
      cells += influence.cells(model).size();
    }
    assertEquals(2 * 3, cells, "relu/attn × (fgsm, pgd transformed + curated)");
    int ratios = influence.ratioCells().size();
    int errorRows = 0;
    for (String model : sweep.models()) {
      for (int width : sweep.widthsOf(model)) {
        for (String metric : List.of("e_F", "e_op", "e_W", "e_f")) {
          errorRows += sweep.interval(model, width, metric) == null ? 0 : 1;
        }
      }
    }
    int groups = 0;
    for (var byWidth : train.groups().values()) {
      for (var bySigma : byWidth.values()) {
        for (var byOptimizer : bySigma.values()) {
          groups += byOptimizer.size();
        }
      }
    }
    Map<String, Integer> expectedRows = new java.util.LinkedHashMap<>();
    expectedRows.put("flip_rates", cells);
    expectedRows.put("ratio", ratios);
    expectedRows.put("kappa_amplification", 5);
    expectedRows.put("sweep_errors", errorRows);
    expectedRows.put("sweep_fits", 2 * 4);
    expectedRows.put("sweep_thresholds", 2);
    expectedRows.put("train_ntk_distance", groups * 4);
    expectedRows.put("transductive", 2 * 40);
    expectedRows.put("retrain_loo", 2 * 2 * 40);
    expectedRows.put("dose_response", 2 * 2 * 2);
    expectedRows.put("excess_by_radius", 2 * 2);
    expectedRows.put("learnability", 2);
    expectedRows.put("collapse", 2);
    expectedRows.put("train_chance", groups);
    for (String model : List.of("relu", "attn")) {
      for (String attack : List.of("fgsm", "pgd")) {
        expectedRows.put("examples_" + model + "_" + attack, Math.min(k, org.ntkstudy.report.sections.ExamplesSection.MAX_TILES));
      }
    }
    expectedRows.put("spectrum_eigenvalues", (int) SparkTestSession.get().read()
        .parquet(study.resolve("spectrum/eigenvalues.parquet").toString()).filter("eigenvalue > 0").count());
    assertEquals(groups, 2 * 2 * 2 * 2, "models × σ0 × optimisers × widths");
    for (Map.Entry<String, Integer> e : expectedRows.entrySet()) {
      assertTrue(plots.containsKey(e.getKey()), "index.json lists " + e.getKey() + ": " + plots.keySet());
    }
    for (Map.Entry<String, Object> e : plots.entrySet()) {
      Map<String, Object> entry = object(e.getValue());
      String file = (String) entry.get("csv");
      assertEquals("data/" + e.getKey() + ".csv", file);
      assertTrue(((String) entry.get("title")).length() > 5, "title of " + e.getKey());
      List<String> lines = Files.readAllLines(report.resolve(file), StandardCharsets.UTF_8);
      assertFalse(lines.isEmpty(), file);
      assertTrue(lines.get(0).matches("[a-z_0-9]+(,[a-z_A-Z0-9]+)*"), file + " header: " + lines.get(0));
      int rows = lines.size() - 1;
      assertEquals(((Number) entry.get("rows")).intValue(), rows, file);
      if (expectedRows.containsKey(e.getKey())) {
        assertEquals(expectedRows.get(e.getKey()), rows, file + " rows");
      }
      assertTrue(rows > 0, file + " has data");
      assertTrue(page.contains("data/" + e.getKey() + ".csv"), "the page cites " + file);
    }
    // The CSV holds the numbers drawn: attn PGD/transformed flip rate in percent.
    List<String> flips = Files.readAllLines(report.resolve("data/flip_rates.csv"));
    List<String> head = List.of(flips.get(0).split(","));
    String row = flips.stream().filter(l -> l.startsWith("attn,pgd,transformed,")).findFirst().orElseThrow();
    assertEquals(100 * pgd.mean(), Double.parseDouble(row.split(",")[head.indexOf("flip_rate_pct")]), 1e-9);
  }

  /** With the study's summary.json, its verdicts come first: badges, plain words, rules, C3 by radius, data/verdicts.csv. */
  @Test
  void verdictsComeFirstFromTheStudySummary() throws Exception {
    Path judged = shared.resolve("judged");
    for (String part : List.of("spectrum", "sweep", "train", "influence")) {
      copyTree(study.resolve(part), judged.resolve(part));
    }
    Verdicts verdicts = ClaimVerdicts.study(spectrum, sweep, influence);
    Map<String, String> settings = new java.util.LinkedHashMap<>();
    settings.put("dataset", "mnist");
    settings.put("influence.attack-eps", "0.3,0.1");
    Files.writeString(judged.resolve("summary.json"), ResultJson.write(new StudyResult(StudyResult.JOB, "judged",
        settings, Map.of(), verdicts, "report/report.html", 1.0, null)) + "\n");
    org.apache.hadoop.fs.Path out = StudyReport.write(SparkTestSession.get(), judged.toString());
    String page = Files.readString(Path.of(out.toUri()));
    assertSelfContained(page);
    assertSections(page);
    assertNoNullText(page);
    assertFalse(page.contains("could not be drawn"), excerpt(page, "could not be drawn"));

    // The verdicts section is first and every verdict is on it: its word as a badge, its plain words, its rule.
    String section = section(page, "verdicts");
    assertTrue(page.indexOf("<section id=\"verdicts\">") < page.indexOf("<section id=\"headline\">"));
    Map<String, Verdict> byKey = verdicts.byKey();
    assertTrue(byKey.keySet().stream().anyMatch(k -> k.startsWith("C3.")), "C3 verdicts: " + byKey.keySet());
    for (Map.Entry<String, Verdict> e : byKey.entrySet()) {
      Verdict v = e.getValue();
      String badge = "<span class=\"badge " + Html.verdictClass(v.verdict()) + "\">" + v.verdict() + "</span>";
      assertTrue(section.contains("<code>" + e.getKey() + "</code></th><td>" + badge + "</td><td>"
          + Html.esc(v.sentence().substring(v.verdict().length() + 2)) + "<span class=\"rule\">Rule as applied: "
          + Html.esc(v.rule()) + "</span>"), e.getKey() + " listed with its badge, plain words and rule");
    }
    // The claims table: one row per claim beside the paper's claim, C3 at transformed · PGD · ε = 0.3.
    Verdict c3 = verdicts.c3("transformed", "pgd", 0.3);
    assertNotNull(c3);
    int claims = section.indexOf("<table class=\"verdicts\">");
    int c3Grid = section.indexOf("<table class=\"c3\">");
    assertTrue(claims >= 0 && c3Grid > claims, "the claims table, then the C3 grid");
    String claimsTable = section.substring(claims, c3Grid);
    for (String key : List.of("C1", "C2-attn", "C2-relu", "C3-transformed-pgd-0-3", "C4", "dual")) {
      assertTrue(claimsTable.contains("id=\"verdict-" + key + "\""), "claims table row " + key);
    }
    assertTrue(claimsTable.contains("6–9× more malleable") && claimsTable.contains("κ(G)³"), "the paper's claims");
    assertTrue(claimsTable.contains(Html.esc(c3.sentence().substring(c3.verdict().length() + 2))));
    // The C3 grid: intervention × attack rows, the radii as columns, each cell with its badge.
    String grid = section.substring(c3Grid, section.indexOf("</table>", c3Grid));
    assertTrue(grid.contains("<th>ε = 0.3</th><th>ε = 0.1</th>"), grid);
    assertTrue(grid.contains("transformed · PGD") && grid.contains("transformed · FGSM"), grid);
    assertEquals(2 * 2, countOf(grid, "class=\"badge "), "transformed × {FGSM, PGD} × two radii");

    // data/verdicts.csv: one row per verdict, in order: key, verdict, sentence, rule.
    List<String> csv = Files.readAllLines(judged.resolve("report/data/verdicts.csv"), StandardCharsets.UTF_8);
    assertEquals("key,verdict,sentence,rule", csv.get(0));
    assertEquals(byKey.size() + 1, csv.size());
    int i = 1;
    for (Map.Entry<String, Verdict> e : byKey.entrySet()) {
      Verdict v = e.getValue();
      assertEquals(String.join(",", Csv.cell(e.getKey()), Csv.cell(v.verdict()), Csv.cell(v.sentence()),
          Csv.cell(v.rule())), csv.get(i++), e.getKey());
    }

    // An older study summary, without verdicts, says so.
    Files.writeString(judged.resolve("summary.json"), ResultJson.write(new StudyResult(StudyResult.JOB, "judged",
        settings, Map.of(), null, "report/report.html", 1.0, null)) + "\n");
    String older = Files.readString(Path.of(StudyReport.write(SparkTestSession.get(), judged.toString()).toUri()));
    assertTrue(section(older, "verdicts").contains("written before the verdicts of SCIENCE §7 existed"));
    assertFalse(Files.exists(judged.resolve("report/data/verdicts.csv")));
  }

  @Test
  void missingInfluencePartStillRendersWithANote() throws Exception {
    // An in-progress study folder (the study job's temporary name) without the influence part.
    Path partial = shared.resolve(".partial.inprogress-test");
    for (String part : List.of("spectrum", "sweep", "train")) {
      copyTree(study.resolve(part), partial.resolve(part));
    }
    // Written while in its temporary folder, the page names the folder it will have.
    Path finalName = shared.resolve("partial");
    org.apache.hadoop.fs.Path out = StudyReport.write(SparkTestSession.get(), partial.toString(), finalName.toString());
    String page = Files.readString(Path.of(out.toUri()));
    assertFalse(page.contains("inprogress"), excerpt(page, "inprogress"));
    assertTrue(page.contains("folder " + finalName + "</p>"), excerpt(page, "folder "));
    assertTrue(page.contains(") from " + finalName + ".</footer>"), excerpt(page, "<footer>"));
    assertEquals(finalName.toString(), Json.read(Files.readString(partial.resolve("report/index.json"))).get("study"));
    assertSelfContained(page);
    assertSections(page);
    assertNoNullText(page);
    assertFalse(page.contains("could not be drawn"), excerpt(page, "could not be drawn"));
    int from = page.indexOf("<section id=\"malleability\">");
    int to = page.indexOf("</section>", from);
    assertTrue(from >= 0 && to > from);
    assertTrue(page.substring(from, to).contains("Not available: this study has no influence part"),
        page.substring(from, to));
    assertTrue(page.contains("missing: influence"));
    Map<String, Object> plots = object(Json.read(Files.readString(partial.resolve("report/index.json"))).get("plots"));
    assertFalse(plots.containsKey("flip_rates"));
    assertTrue(plots.containsKey("sweep_errors") && plots.containsKey("train_ntk_distance"));
    assertTrue(images(page).containsKey("fig-kappa_amplification"));
  }

  /** A new report replaces the old one only once complete: a failed write keeps it, a finished one leaves no trace. */
  @Test
  void reportIsReplacedOnlyWhenComplete() throws Exception {
    Path copy = shared.resolve("replaced");
    for (String part : List.of("spectrum", "sweep")) {
      copyTree(study.resolve(part), copy.resolve(part));
    }
    StudyReport.write(SparkTestSession.get(), copy.toString());
    Path report = copy.resolve("report");
    Files.writeString(report.resolve("marker.txt"), "the earlier report");
    byte[] html = Files.readAllBytes(report.resolve("report.html"));

    // An unreadable summary fails the write: the earlier report stays as it was, nothing else is left.
    Path summary = copy.resolve("sweep/summary.json");
    byte[] good = Files.readAllBytes(summary);
    Files.writeString(summary, "{ not json");
    assertThrows(RuntimeException.class, () -> StudyReport.write(SparkTestSession.get(), copy.toString()));
    assertEquals("the earlier report", Files.readString(report.resolve("marker.txt")));
    assertArrayEquals(html, Files.readAllBytes(report.resolve("report.html")));
    assertEquals(List.of("report", "spectrum", "sweep"), names(copy));

    // A finished write replaces the folder whole and leaves no temporary or set-aside folder.
    Files.write(summary, good);
    StudyReport.write(SparkTestSession.get(), copy.toString());
    assertFalse(Files.exists(report.resolve("marker.txt")), "the old report is replaced, not merged into");
    assertTrue(Files.exists(report.resolve("report.html")) && Files.exists(report.resolve("index.json")));
    assertEquals(List.of("report", "spectrum", "sweep"), names(copy));
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList();
    }
  }

  @Test
  void numbersAndTextAreFormattedAndEscaped() {
    assertEquals("96.2", Fmt.num(96.17556540494738));
    assertEquals("0.35", Fmt.num(0.35));
    assertEquals("1024", Fmt.num(1024.0));
    assertEquals("5.63×10⁵", Fmt.num(562891.3795669721));
    assertEquals("5.63×10<sup>5</sup>", Fmt.html(562891.3795669721));
    assertEquals("1.2×10<sup>−9</sup>", Fmt.html(1.2e-9));
    assertEquals("−0.693", Fmt.html(-0.6930254290199909));
    assertEquals("—", Fmt.num(null));
    assertEquals("—", Fmt.html(Double.NaN));
    assertEquals("25.0%", Fmt.pct(0.25));
    assertEquals("10<sup>32.9</sup>", Fmt.pow10Html(32.910402912664736));
    assertEquals("0.714 <span class=\"ci\">[0.429, 1]</span>",
        Fmt.intervalHtml(0.7142857142857143, 0.4285714285714286, 1.0));
    assertEquals("&lt;img src=&quot;x&quot;&gt; &amp; &#39;", Html.esc("<img src=\"x\"> & '"));
  }

  // ------------------------------------------------------------------ helpers

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object jsonObject) {
    assertTrue(jsonObject instanceof Map, "a JSON object: " + jsonObject);
    return (Map<String, Object>) jsonObject;
  }

  private static void assertSelfContained(String page) {
    assertTrue(page.startsWith("<!DOCTYPE html>"));
    assertFalse(page.contains("<script"), "no scripts");
    assertFalse(page.contains("<link"), "no linked resources");
    assertFalse(page.contains("@import") || page.contains("url("), "no CSS fetches");
    Matcher m = Pattern.compile("(src|href)\\s*=\\s*\"([^\"]*)\"").matcher(page);
    int n = 0;
    while (m.find()) {
      String v = m.group(2);
      assertFalse(v.startsWith("http:") || v.startsWith("https:") || v.startsWith("//"), "external " + v);
      if (m.group(1).equals("src")) {
        assertTrue(v.startsWith("data:image/png;base64,"), "img src is a PNG data URI: " + v.substring(0,
            Math.min(40, v.length())));
        n++;
      } else {
        assertTrue(v.startsWith("#"), "only in-page links: " + v);
      }
    }
    assertTrue(n > 0, "some images");
  }

  private static void assertSections(String page) {
    int last = -1;
    for (int i = 0; i < StudyReport.SECTIONS.size(); i++) {
      List<String> s = StudyReport.SECTIONS.get(i);
      String h = "<section id=\"" + s.get(0) + "\">\n<h2>" + (i + 1) + ". " + Html.esc(s.get(1)) + "</h2>";
      int at = page.indexOf(h);
      assertTrue(at > last, "section " + h + " in order");
      last = at;
    }
    assertEquals(11, StudyReport.SECTIONS.size());
    assertEquals("verdicts", StudyReport.SECTIONS.get(0).get(0), "the verdicts come first");
  }

  /** Visible text has no null, NaN or Infinity. */
  private static void assertNoNullText(String page) {
    String text = page.replaceAll("data:image/png;base64,[A-Za-z0-9+/=]+", "")
        .replaceAll("(?s)<style>.*?</style>", "").replaceAll("<[^>]+>", " ");
    for (String bad : List.of("\\bnull\\b", "\\bNaN\\b", "Infinity")) {
      Matcher m = Pattern.compile(bad).matcher(text);
      if (m.find()) {
        throw new AssertionError(bad + " in the page: …" + excerpt(text, m.group()) + "…");
      }
    }
  }

  /** figure id → {width, height} of its decoded PNG, checked against the img's attributes. */
  private static Map<String, int[]> images(String page) throws IOException {
    Map<String, int[]> out = new java.util.LinkedHashMap<>();
    Matcher m = Pattern.compile("<figure id=\"([^\"]+)\"><img src=\"data:image/png;base64,([^\"]+)\" width=\"(\\d+)\""
        + " height=\"(\\d+)\"").matcher(page);
    while (m.find()) {
      byte[] png = Base64.getDecoder().decode(m.group(2));
      assertEquals((byte) 0x89, png[0]);
      assertEquals('P', png[1]);
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
      assertNotNull(img, m.group(1) + " decodes");
      assertEquals(Integer.parseInt(m.group(3)), img.getWidth(), m.group(1) + " width");
      assertEquals(Integer.parseInt(m.group(4)), img.getHeight(), m.group(1) + " height");
      out.put(m.group(1), new int[] {img.getWidth(), img.getHeight()});
    }
    assertEquals(countOf(page, "<img "), out.size(), "every <img> is a figure's PNG");
    return out;
  }

  /** The body of section {@code id} of the page. */
  private static String section(String page, String id) {
    int from = page.indexOf("<section id=\"" + id + "\">");
    assertTrue(from >= 0, "section " + id);
    return page.substring(from, page.indexOf("</section>", from));
  }

  private static int countOf(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  private static String excerpt(String s, String what) {
    int i = s.indexOf(what);
    return i < 0 ? "" : s.substring(Math.max(0, i - 200), Math.min(s.length(), i + 200));
  }

  private static void copyTree(Path from, Path to) throws IOException {
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> s = Files.walk(from)) {
      s.forEach(paths::add);
    }
    for (Path p : paths) {
      Path t = to.resolve(from.relativize(p).toString());
      if (Files.isDirectory(p)) {
        Files.createDirectories(t);
      } else {
        Files.copy(p, t);
      }
    }
  }
}
