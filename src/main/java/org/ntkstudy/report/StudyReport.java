package org.ntkstudy.report;

import static org.ntkstudy.report.Html.esc;
import static org.ntkstudy.report.ReportData.at;
import static org.ntkstudy.report.ReportData.bool;
import static org.ntkstudy.report.ReportData.list;
import static org.ntkstudy.report.ReportData.map;
import static org.ntkstudy.report.ReportData.num;
import static org.ntkstudy.report.ReportData.str;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.ntkstudy.io.Json;
import org.ntkstudy.io.Npy;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.SymmetricEigen;
import org.ntkstudy.report.ReportData.Csv;
import org.ntkstudy.report.ReportData.Iv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The study's HTML report: one self-contained file ({@code DIR/report/report.html}, plots embedded
 * as PNG data URIs, no external resources) read from a study folder's parts (spectrum, sweep,
 * train, influence — any may be missing), with the numbers behind every plot in
 * {@code DIR/report/data/*.csv} and an {@code index.json} listing them.
 */
public final class StudyReport {
  private static final Logger LOG = LoggerFactory.getLogger(StudyReport.class);

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** The parts a study folder may hold, in the order they run. */
  public static final List<String> PARTS = List.of("spectrum", "sweep", "train", "influence");

  /** The report's sections: id and heading, in order. */
  public static final List<List<String>> SECTIONS = List.of(
      List.of("headline", "Headline"),
      List.of("spectrum", "Dataset spectrum and the κ³ amplification"),
      List.of("sweep-spectra", "Spectra of the empirical NTK Θ_m by width"),
      List.of("sweep-errors", "Error against width"),
      List.of("train", "NTK distance and kernel movement: lazy vs rich"),
      List.of("malleability", "Influence malleability: flip rates"),
      List.of("dual", "The dual implication"),
      List.of("examples", "Top-τ training examples before and after the attack"),
      List.of("loo", "Transductive and retraining leave-one-out"),
      List.of("provenance", "Provenance"));

  /** Points drawn per spectrum line at most (log-spaced indices beyond). */
  static final int MAX_PLOT_POINTS = 1500;
  /** Examples drawn per image grid at most. */
  static final int MAX_TILES = 20;
  /** H∞'s spectrum is added to the sweep plot when its n is at most this. */
  static final int MAX_HINF_EIGEN = 2500;
  /** Interval bands on the log-scale spectra are drawn from this many seeds on. */
  static final int MIN_SEEDS_FOR_BANDS = 3;
  static final List<String> ERROR_METRICS = List.of("e_F", "e_op", "e_W", "e_f");
  static final List<String> TRAIN_FIGURES =
      List.of("ntk_distance", "ntk_distance_relative", "kernel_movement", "kernel_distance");
  static final List<String> MALL_METRICS =
      List.of("flip_rate", "spearman", "topk_overlap", "control_random", "control_noise_floor");

  private final SparkSession spark;
  private final FileSystem fs;
  private final Path dir;
  private final Path reportDir;
  private final Map<String, Map<String, Object>> summaries = new LinkedHashMap<>();
  private final Map<String, String> absent = new LinkedHashMap<>();
  private Map<String, Object> study;
  private final StringBuilder out = new StringBuilder();
  private final Map<String, DataFile> data = new LinkedHashMap<>();
  private final Map<String, Integer> figureNumbers = new LinkedHashMap<>();
  private final List<String> failures = new ArrayList<>();

  private record DataFile(String title, String figure, Csv csv) {}

  private StudyReport(SparkSession spark, String studyDir) throws IOException {
    this.spark = spark;
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path d = new Path(studyDir);
    this.fs = d.getFileSystem(conf);
    // No .crc sidecar files beside the report on a local disk.
    fs.setWriteChecksum(false);
    this.dir = fs.makeQualified(d);
    this.reportDir = new Path(dir, "report");
  }

  /**
   * Writes {@code studyDir/report/report.html}, {@code report/data/*.csv} and
   * {@code report/index.json} (replacing an earlier report) and returns the HTML's path.
   *
   * @param studyDir a study folder (a Hadoop URI or local path), finished or still in progress
   */
  public static Path write(SparkSession spark, String studyDir) {
    try {
      StudyReport r = new StudyReport(spark, studyDir);
      return r.run();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report of " + studyDir + ": " + e.getMessage(), e);
    }
  }

  private Path run() throws IOException {
    if (!fs.exists(dir) || !fs.getFileStatus(dir).isDirectory()) {
      throw new IOException(dir + " is not a folder");
    }
    for (String part : PARTS) {
      Path summary = new Path(dir, part + "/summary.json");
      if (fs.exists(summary)) {
        summaries.put(part, Json.read(readText(summary)));
      } else if (fs.exists(new Path(dir, part))) {
        absent.put(part, "the " + part + " folder has no summary.json (the part has not finished)");
      } else {
        absent.put(part, "this study has no " + part + " part");
      }
    }
    Path studySummary = new Path(dir, "summary.json");
    if (fs.exists(studySummary)) {
      study = Json.read(readText(studySummary));
    }

    header();
    section("headline", this::headline);
    section("spectrum", this::spectrum);
    section("sweep-spectra", this::sweepSpectra);
    section("sweep-errors", this::sweepErrors);
    section("train", this::train);
    section("malleability", this::malleability);
    section("dual", this::dual);
    section("examples", this::examples);
    section("loo", this::loo);
    section("provenance", this::provenance);
    out.append("<footer>Generated ").append(esc(Instant.now().toString())).append(" by org.ntkstudy.report.StudyReport")
        .append(" (code ").append(esc(Provenance.gitCommit())).append(") from ").append(esc(show(dir)))
        .append(".</footer>\n</main>\n</body>\n</html>\n");

    if (fs.exists(reportDir)) {
      fs.delete(reportDir, true);
    }
    fs.mkdirs(new Path(reportDir, "data"));
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("report", "report.html");
    index.put("study", show(dir));
    index.put("parts_present", new ArrayList<>(summaries.keySet()));
    index.put("parts_missing", new LinkedHashMap<>(absent));
    Map<String, Object> plots = new LinkedHashMap<>();
    for (Map.Entry<String, DataFile> e : data.entrySet()) {
      String file = "data/" + e.getKey() + ".csv";
      writeText(new Path(reportDir, file), e.getValue().csv().text());
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("csv", file);
      entry.put("title", e.getValue().title());
      entry.put("figure", e.getValue().figure());
      entry.put("rows", e.getValue().csv().rows());
      plots.put(e.getKey(), entry);
    }
    index.put("plots", plots);
    index.put("sections_failed", failures);
    writeText(new Path(reportDir, "index.json"), Json.write(index));
    Path html = new Path(reportDir, "report.html");
    writeText(html, out.toString());
    LOG.info("report written to {} ({} plots' data files)", html, data.size());
    return html;
  }

  // ------------------------------------------------------------------ page scaffolding

  private void header() {
    String dataset = firstString("dataset");
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
        .append(esc("NTK attention study" + (dataset == null ? "" : " — " + dataset))).append("</title>\n<style>")
        .append(Html.STYLE).append("</style>\n</head>\n<body>\n<main>\n");
    out.append("<h1>").append(esc("Linearized attention and the NTK: study report"
        + (dataset == null ? "" : " — " + dataset))).append("</h1>\n");
    String name = str(study, "study");
    out.append("<p class=\"subtitle\">").append(esc((name == null ? "" : "Study " + name + " · ")
        + "reproducing “Influence Malleability in Linearized Attention” (arXiv 2603.13085) · folder "
        + show(dir))).append("</p>\n");
    out.append("<nav class=\"toc\"><b>Contents</b><ol>");
    for (List<String> s : SECTIONS) {
      out.append("<li><a href=\"#").append(s.get(0)).append("\">").append(esc(s.get(1))).append("</a></li>");
    }
    out.append("</ol></nav>\n");
  }

  private interface Body {
    void run() throws Exception;
  }

  private void section(String id, Body body) {
    String title = SECTIONS.stream().filter(s -> s.get(0).equals(id)).findFirst().orElseThrow().get(1);
    int n = 1 + SECTIONS.indexOf(SECTIONS.stream().filter(s -> s.get(0).equals(id)).findFirst().orElseThrow());
    out.append("<section id=\"").append(id).append("\">\n<h2>").append(n).append(". ").append(esc(title))
        .append("</h2>\n");
    int mark = out.length();
    Set<String> dataBefore = new LinkedHashSet<>(data.keySet());
    try {
      body.run();
    } catch (Exception | LinkageError e) {
      LOG.warn("report section {} failed", id, e);
      out.setLength(mark);
      data.keySet().retainAll(dataBefore);
      failures.add(id);
      out.append(Html.note("This section could not be drawn from the study's files: " + e));
    }
    out.append("</section>\n");
  }

  private boolean requirePart(String part) {
    if (summaries.containsKey(part)) {
      return true;
    }
    out.append(Html.note("Not available: " + absent.getOrDefault(part, "no " + part + " part") + "."));
    return false;
  }

  /** Registers a plot's data file. */
  private void data(String name, String title, String figure, Csv csv) {
    data.put(name, new DataFile(title, figure, csv));
  }

  /** Cites a table's data file under it. */
  private void tableData(String name) {
    out.append("<p class=\"tabledata\"><span class=\"data\">Data: data/").append(esc(name)).append(".csv</span></p>\n");
  }

  /** Embeds a figure; {@code files} are the data names it was drawn from. */
  private void figure(String id, BufferedImage img, String title, String caption, String... files) {
    int n = figureNumbers.size() + 1;
    figureNumbers.put(id, n);
    out.append("<figure id=\"fig-").append(esc(id)).append("\"><img src=\"").append(Charts.dataUri(img))
        .append("\" width=\"").append(img.getWidth()).append("\" height=\"").append(img.getHeight())
        .append("\" alt=\"").append(esc(title)).append("\"><figcaption><b>Figure ").append(n).append(". ")
        .append(esc(title)).append(".</b> ").append(esc(caption));
    if (files.length > 0) {
      out.append(" <span class=\"data\">Data: ");
      for (int i = 0; i < files.length; i++) {
        out.append(i > 0 ? ", " : "").append("data/").append(esc(files[i])).append(".csv");
      }
      out.append("</span>");
    }
    out.append("</figcaption></figure>\n");
  }

  // ------------------------------------------------------------------ 1. headline

  private void headline() {
    List<String> items = new ArrayList<>();
    // Dataset and sizes.
    String dataset = firstString("dataset");
    StringBuilder ds = new StringBuilder("Dataset <b>").append(esc(dataset == null ? "unknown" : dataset))
        .append("</b>; training examples n per part: ");
    List<String> sizes = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> e : summaries.entrySet()) {
      Double n = num(e.getValue(), "n");
      String classes = str(e.getValue(), "provenance", "config", "classes");
      sizes.add(esc(e.getKey()) + " " + Fmt.html(n) + (classes == null ? "" : " (classes " + esc(classes) + ")"));
    }
    ds.append(sizes.isEmpty() ? "—" : String.join(", ", sizes));
    Double d = num(summaries.get("spectrum"), "d");
    if (d != null) {
      ds.append("; d = ").append(Fmt.html(d)).append(" pixels");
    }
    ds.append('.');
    items.add(ds.toString());

    // κ amplification.
    Map<String, Object> sp = summaries.get("spectrum");
    if (sp != null) {
      List<Double> exps = new ArrayList<>();
      List<Integer> ks = new ArrayList<>();
      for (int k : kValues(sp)) {
        Double e = num(sp, "kappa_" + k + "_attn_exponent");
        if (e != null) {
          exps.add(e);
          ks.add(k);
        }
      }
      StringBuilder b = new StringBuilder("κ amplification: ");
      if (exps.isEmpty()) {
        b.append("no exponent could be computed (κ_k null for every k).");
      } else {
        double lo = exps.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double hi = exps.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        b.append("κ_k(X̃X̃ᵀ) = κ_k(G)<sup><i>e</i></sup> with <i>e</i> = ").append(Fmt.html(lo));
        if (hi - lo > 5e-4) {
          b.append("–").append(Fmt.html(hi));
        }
        b.append(" over k = ").append(esc(joinInts(ks))).append(" (3 is exact cubing)");
        int k = ks.contains(10) ? 10 : ks.get(ks.size() - 1);
        Double g = num(sp, "kappa_" + k + "_G");
        Double a = num(sp, "kappa_" + k + "_attn");
        b.append("; at k = ").append(k).append(": κ(G) = ").append(Fmt.html(g)).append(", κ(G)³ = ")
            .append(Fmt.html(g == null ? null : g * g * g)).append(", κ(X̃X̃ᵀ) = ").append(Fmt.html(a)).append('.');
      }
      Double v1 = num(sp, "log10_m_star_v1");
      Double v2 = num(sp, "log10_m_star_v2");
      b.append(" Theory widths for G: m*<sub>v1</sub> = ").append(Fmt.pow10Html(v1)).append(", m*<sub>v2</sub> = ")
          .append(v2 == null ? "— (κ_d undefined: " + esc(kappaDStatus(sp)) + ")" : Fmt.pow10Html(v2)).append('.');
      items.add(b.toString());
    } else {
      items.add(esc("κ amplification: " + absent.get("spectrum") + "."));
    }

    // Width fits.
    Map<String, Object> sw = summaries.get("sweep");
    if (sw != null) {
      StringBuilder b = new StringBuilder("Convergence of Θ<sub>m</sub> to H∞ (OLS of log e<sub>F</sub> on log m, widths ≥ ")
          .append(Fmt.html(num(sw, "fit_min_width"))).append("): ");
      List<String> per = new ArrayList<>();
      for (String model : map(sw, "fits").keySet()) {
        Map<String, Object> f = map(sw, "fits", model, "e_F");
        Double slope = num(f, "slope");
        Double mHat = num(f, "m_hat");
        Double lm = num(f, "log10_m_hat");
        String reach = mHat != null ? (lm != null && lm >= 6 ? Fmt.pow10Html(lm) : Fmt.html(mHat))
            : lm != null ? Fmt.pow10Html(lm) : "never (the fit does not fall)";
        per.add("<b>" + esc(model) + "</b> e<sub>F</sub> ∝ m<sup>" + Fmt.html(slope) + "</sup> (± "
            + Fmt.html(num(f, "slope_se")) + "), reaching ε = " + Fmt.html(num(sw, "eps")) + " at m̂ ≈ " + reach
            + " vs theory m*<sub>v1</sub> = " + Fmt.pow10Html(num(sw, "thresholds", model, "log10_m_star_v1")));
      }
      b.append(per.isEmpty() ? "no fits." : String.join("; ", per) + ".");
      items.add(b.toString());
    } else {
      items.add(esc("Width sweep: " + absent.get("sweep") + "."));
    }

    // Flip-rate ratio.
    Map<String, Object> inf = summaries.get("influence");
    if (inf != null) {
      String[] key = headlineRatioKey(inf);
      if (key == null) {
        items.add("Malleability: no attn/relu ratio in the influence summary.");
      } else {
        Iv r = Iv.of(at(inf, "ratio", key[0], key[1]));
        Iv fa = Iv.of(at(inf, "malleability", "attn", key[0], key[1], "flip_rate"));
        Iv fr = Iv.of(at(inf, "malleability", "relu", key[0], key[1], "flip_rate"));
        StringBuilder b = new StringBuilder("Malleability (").append(esc(key[0].toUpperCase(Locale.ROOT)))
            .append(", ").append(esc(key[1])).append(", ε = ").append(Fmt.html(num(inf, "eps"))).append("): flip rate attn ")
            .append(fa.pctHtml()).append(" vs relu ").append(fr.pctHtml()).append("; attn/relu ratio ")
            .append(r.html()).append(" (bootstrap 95% interval over seeds).");
        List<String> paper = paperRatios(inf, key[0]);
        if (!paper.isEmpty()) {
          b.append(" <span class=\"paper\">As reported by the paper (").append(esc(key[0].toUpperCase(Locale.ROOT)))
              .append("): ").append(String.join(", ", paper)).append(".</span>");
        }
        items.add(b.toString());
      }
      String statement = str(inf, "dual", "statement");
      if (statement != null) {
        items.add("Dual implication: <span class=\"statement\">" + esc(statement) + "</span>");
      }
    } else {
      items.add(esc("Malleability and the dual implication: " + absent.get("influence") + "."));
    }
    List<String> present = new ArrayList<>(summaries.keySet());
    items.add(esc("Parts present: " + (present.isEmpty() ? "none" : String.join(", ", present))
        + (absent.isEmpty() ? "." : "; missing: " + String.join(", ", absent.keySet()) + ".")));
    out.append("<div class=\"headline\"><ul>");
    for (String i : items) {
      out.append("<li>").append(i).append("</li>");
    }
    out.append("</ul></div>\n");
  }

  /** PGD/transformed when present, else the first attack with a transformed ratio, else any. */
  private static String[] headlineRatioKey(Map<String, Object> inf) {
    Map<String, Object> ratio = map(inf, "ratio");
    if (Iv.of(at(ratio, "pgd", "transformed")).present()) {
      return new String[] {"pgd", "transformed"};
    }
    for (String attack : ratio.keySet()) {
      if (Iv.of(at(ratio, attack, "transformed")).present()) {
        return new String[] {attack, "transformed"};
      }
    }
    for (String attack : ratio.keySet()) {
      for (String iv : map(ratio, attack).keySet()) {
        return new String[] {attack, iv};
      }
    }
    return null;
  }

  /** The paper's attn/relu ratio of one attack in each of its settings, computed from its flip rates. */
  private static List<String> paperRatios(Map<String, Object> inf, String attack) {
    Map<String, Object> paper = map(inf, "paper_flip_rates");
    List<?> attacks = list(paper, "attacks");
    int a = attacks.indexOf(attack);
    List<String> outList = new ArrayList<>();
    if (a < 0) {
      return outList;
    }
    for (String setting : paper.keySet()) {
      List<?> attn = list(paper, setting, "attn");
      List<?> relu = list(paper, setting, "relu");
      if (attn.size() > a && relu.size() > a) {
        Double x = num(attn.get(a));
        Double y = num(relu.get(a));
        if (x != null && y != null && y > 0) {
          outList.add(Fmt.percentValue(x) + " vs " + Fmt.percentValue(y) + " = " + Fmt.html(x / y) + "× ("
              + esc(settingName(setting)) + ")");
        }
      }
    }
    return outList;
  }

  private static String settingName(String key) {
    return switch (key) {
      case "mnist_10class" -> "MNIST, 10 classes";
      case "cifar10_10class" -> "CIFAR-10, 10 classes";
      case "mnist_3_vs_8" -> "MNIST, 3 vs 8";
      default -> key.replace('_', ' ');
    };
  }

  // ------------------------------------------------------------------ 2. spectrum

  private void spectrum() throws IOException {
    if (!requirePart("spectrum")) {
      return;
    }
    Map<String, Object> sp = summaries.get("spectrum");
    Map<String, double[]> eig = readEigenvalues();
    String[][] matrices = {{"G", "G = XXᵀ (Gram matrix)"}, {"G3", "G³ (linearized-attention kernel)"},
        {"attn", "X̃X̃ᵀ (row-normalised attended features)"}};
    Color[] colors = {Charts.BLUE, Charts.GREY, Charts.VERMILLION};
    if (!eig.isEmpty()) {
      Csv csv = new Csv("matrix", "index", "eigenvalue");
      XYSeriesCollection ds = new XYSeriesCollection();
      double lo = Double.POSITIVE_INFINITY;
      double hi = 0;
      int maxIndex = 1;
      List<String> dropped = new ArrayList<>();
      for (String[] m : matrices) {
        double[] v = eig.get(m[0]);
        if (v == null) {
          continue;
        }
        XYSeries s = new XYSeries(m[1], false, true);
        int nonPositive = 0;
        for (int i : plotIndices(v.length)) {
          if (v[i] > 0) {
            s.add(i + 1, v[i]);
            csv.row(m[0], i + 1, v[i]);
            lo = Math.min(lo, v[i]);
            hi = Math.max(hi, v[i]);
            maxIndex = Math.max(maxIndex, i + 1);
          }
        }
        for (double x : v) {
          nonPositive += x > 0 ? 0 : 1;
        }
        if (nonPositive > 0) {
          dropped.add(nonPositive + " of " + m[0]);
        }
        ds.addSeries(s);
      }
      if (ds.getSeriesCount() > 0 && hi > 0) {
        XYPlot plot = new XYPlot(ds, Charts.logAxis("index i (eigenvalues in descending order)", 0.8,
            Math.max(2, maxIndex * 1.25), 10), Charts.logAxis("eigenvalue λᵢ (dimensionless; rows of X have unit norm)",
            lo / 3, hi * 3, 10), null);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < ds.getSeriesCount(); i++) {
          String key = (String) ds.getSeriesKey(i);
          int which = key.startsWith("G =") ? 0 : key.startsWith("G³") ? 1 : 2;
          r.setSeriesPaint(i, colors[which]);
          r.setSeriesStroke(i, which == 1 ? Charts.DASHED : Charts.SOLID);
        }
        plot.setRenderer(r);
        Charts.stylePlot(plot);
        for (int k : kValues(sp)) {
          if (k <= maxIndex) {
            plot.addDomainMarker(Charts.marker(k, new Color(0x999999), Charts.DOTTED, "k=" + k,
                RectangleAnchor.TOP_RIGHT, TextAnchor.TOP_LEFT));
          }
        }
        String title = "Spectra of G, G³ and X̃X̃ᵀ (n = " + Fmt.num(num(sp, "n")) + ", d = " + Fmt.num(num(sp, "d")) + ")";
        JFreeChart c = Charts.chart(title, plot);
        data("spectrum_eigenvalues", title, "fig-spectrum_eigenvalues", csv);
        figure("spectrum_eigenvalues", Charts.render(c, Charts.WIDTH, Charts.HEIGHT), title,
            "Look for G³ falling three times as many decades as G from λ₁ to λ_k (the κ³ amplification) and for "
                + "X̃X̃ᵀ tracking G³ rather than G; dotted lines mark the k of the κ_k below."
                + (dropped.isEmpty() ? "" : " Eigenvalues ≤ 0 (round-off, rank deficiency) cannot be drawn on a log "
                    + "axis and are left out: " + String.join(", ", dropped) + ".")
                + (eig.values().stream().anyMatch(v -> v.length > MAX_PLOT_POINTS) ? " Long spectra are drawn at "
                    + MAX_PLOT_POINTS + " log-spaced indices." : ""),
            "spectrum_eigenvalues");
      }
    } else {
      out.append(Html.note("No eigenvalue files (eigenvalues.parquet or eigenvalues_*.npy) in the spectrum part."));
    }

    // κ_k at matched k.
    Csv kc = new Csv("k", "kappa_G", "kappa_G_cubed", "kappa_G3", "kappa_attn", "exponent");
    XYSeries sG = new XYSeries("κ_k(G)");
    XYSeries sG3 = new XYSeries("κ_k(G)³ (exact cubing)");
    XYSeries sG3m = new XYSeries("κ_k(G³) as computed");
    XYSeries sA = new XYSeries("κ_k(X̃X̃ᵀ)");
    List<List<String>> rows = new ArrayList<>();
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    List<Integer> ks = kValues(sp);
    for (int k : ks) {
      Double g = num(sp, "kappa_" + k + "_G");
      Double g3 = num(sp, "kappa_" + k + "_G3");
      Double a = num(sp, "kappa_" + k + "_attn");
      Double e = num(sp, "kappa_" + k + "_attn_exponent");
      Double cube = g == null ? null : g * g * g;
      kc.row(k, g, cube, g3, a, e);
      rows.add(List.of(Integer.toString(k), Fmt.html(g), Fmt.html(cube), Fmt.html(g3), Fmt.html(a), Fmt.html(e)));
      for (Object[] pair : new Object[][] {{sG, g}, {sG3, cube}, {sG3m, g3}, {sA, a}}) {
        Double v = (Double) pair[1];
        if (v != null && v > 0) {
          ((XYSeries) pair[0]).add(k, v);
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (hi > 0 && !ks.isEmpty()) {
      XYSeriesCollection ds = new XYSeriesCollection();
      ds.addSeries(sG);
      ds.addSeries(sG3);
      ds.addSeries(sG3m);
      ds.addSeries(sA);
      int kMax = ks.stream().mapToInt(Integer::intValue).max().orElse(50);
      XYPlot plot = new XYPlot(ds, Charts.logAxis("k (κ_k = λ₁ / λ_k, log scale)", 1.5, kMax * 1.4, 2),
          Charts.logAxis("condition number κ_k (dimensionless)", Math.min(1, lo / 2), hi * 4, 10), null);
      XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
      Color[] cs = {Charts.BLUE, Charts.GREY, Charts.GREY, Charts.VERMILLION};
      Stroke[] st = {Charts.SOLID, Charts.DASHED, Charts.THIN, Charts.SOLID};
      for (int i = 0; i < 4; i++) {
        r.setSeriesPaint(i, cs[i]);
        r.setSeriesStroke(i, st[i]);
      }
      r.setSeriesLinesVisible(2, false);
      r.setSeriesShape(2, new Rectangle2D.Double(-5, -5, 10, 10));
      r.setSeriesShapesFilled(2, false);
      plot.setRenderer(r);
      Charts.stylePlot(plot);
      String title = "κ³ amplification at matched k";
      data("kappa_amplification", title, "fig-kappa_amplification", kc);
      figure("kappa_amplification", Charts.render(Charts.chart(title, plot), Charts.WIDTH, Charts.HEIGHT), title,
          "Look for κ_k(X̃X̃ᵀ) (orange) lying on the dashed κ_k(G)³ line rather than on κ_k(G) (blue): the attended "
              + "features' kernel cubes the data's condition number at every k.", "kappa_amplification");
    }
    out.append("<h3>Condition numbers κ_k = λ₁/λ_k at matched k</h3>\n");
    out.append(Html.table("num", List.of("k", "κ_k(G)", "κ_k(G)³", "κ_k(G³)", "κ_k(X̃X̃ᵀ)",
        "exponent ln κ_k(X̃X̃ᵀ) / ln κ_k(G)"), rows));

    out.append("<h3>Global condition numbers and the theory's widths</h3>\n");
    List<List<String>> g = new ArrayList<>();
    Map<String, Object> defs = map(sp, "definitions");
    g.add(List.of("n, d", Fmt.html(num(sp, "n")) + ", " + Fmt.html(num(sp, "d")), esc("training examples, pixels")));
    g.add(List.of("λ₁ (G)", Fmt.html(num(sp, "lambda_max")), esc("largest eigenvalue of G")));
    g.add(List.of("λ_r (G), r = " + Fmt.html(num(sp, "r")), Fmt.html(num(sp, "lambda_r")), esc("r = min(n, d)")));
    g.add(List.of("rank_tol", Fmt.html(num(sp, "rank_tol")), esc("#{λᵢ > tol·λ₁}, tol = " + Fmt.num(num(sp, "tol")))));
    String warn = str(sp, "kappa_tol_warning");
    g.add(List.of("κ_tol", Fmt.html(num(sp, "kappa_tol")) + (warn == null ? "" : "<br><small>" + esc(warn) + "</small>"),
        esc(definition(defs, "kappa_tol"))));
    Double kd = num(sp, "kappa_d");
    g.add(List.of("κ_d", kd == null ? esc("rank deficient (λ_r = " + Fmt.num(num(sp, "lambda_r")) + ")") : Fmt.html(kd),
        esc(definition(defs, "kappa_d"))));
    g.add(List.of("κ_ridge", Fmt.html(num(sp, "kappa_ridge")), esc(definition(defs, "kappa_ridge"))));
    g.add(List.of("κ_tol³", Fmt.html(num(sp, "kappa_cubed")), esc(definition(defs, "kappa_cubed"))));
    g.add(List.of("m*<sub>v1</sub>", Fmt.pow10Html(num(sp, "log10_m_star_v1")),
        esc(definition(defs, "log10_m_star_v1") + "; ε = " + Fmt.num(num(sp, "eps")))));
    Double v2 = num(sp, "log10_m_star_v2");
    g.add(List.of("m*<sub>v2</sub>", v2 == null ? esc("— (κ_d is " + kappaDStatus(sp) + ")") : Fmt.pow10Html(v2),
        esc(definition(defs, "log10_m_star_v2"))));
    out.append(Html.table("num", List.of("quantity", "value", "definition"), g));
  }

  private static String definition(Map<String, Object> defs, String key) {
    Object d = defs.get(key);
    // The summaries' definitions say "null" for a figure that does not exist; the report says "undefined".
    return d == null ? "" : String.valueOf(d).replaceAll("\\bnull\\b", "undefined");
  }

  private static String kappaDStatus(Map<String, Object> sp) {
    String s = str(sp, "kappa_d_status");
    return s == null ? "undefined" : s.replace('_', ' ');
  }

  private static List<Integer> kValues(Map<String, Object> sp) {
    TreeSet<Integer> ks = new TreeSet<>();
    Pattern p = Pattern.compile("kappa_(\\d+)_G");
    for (String key : sp.keySet()) {
      Matcher m = p.matcher(key);
      if (m.matches()) {
        ks.add(Integer.parseInt(m.group(1)));
      }
    }
    return new ArrayList<>(ks);
  }

  private Map<String, double[]> readEigenvalues() throws IOException {
    Map<String, double[]> outMap = new LinkedHashMap<>();
    Path parquet = new Path(dir, "spectrum/eigenvalues.parquet");
    if (fs.exists(parquet)) {
      Map<String, TreeMap<Integer, Double>> byMatrix = new LinkedHashMap<>();
      for (Row r : spark.read().parquet(parquet.toString()).select("matrix", "index", "eigenvalue").collectAsList()) {
        byMatrix.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(((Number) r.get(1)).intValue(),
            r.isNullAt(2) ? Double.NaN : r.getDouble(2));
      }
      for (Map.Entry<String, TreeMap<Integer, Double>> e : byMatrix.entrySet()) {
        outMap.put(e.getKey(), e.getValue().values().stream().mapToDouble(Double::doubleValue).toArray());
      }
      return outMap;
    }
    for (String m : List.of("G", "G3", "attn")) {
      Path npy = new Path(dir, "spectrum/eigenvalues_" + m + ".npy");
      if (fs.exists(npy)) {
        outMap.put(m, readNpy(npy).data());
      }
    }
    return outMap;
  }

  /** All indices up to MAX_PLOT_POINTS, else log-spaced ones (always the first and the last). */
  static int[] plotIndices(int n) {
    if (n <= MAX_PLOT_POINTS) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    TreeSet<Integer> s = new TreeSet<>();
    for (int j = 0; j < MAX_PLOT_POINTS; j++) {
      s.add((int) Math.min(n - 1, Math.round(Math.pow(n, (double) j / (MAX_PLOT_POINTS - 1))) - 1));
    }
    s.add(0);
    s.add(n - 1);
    return s.stream().mapToInt(Integer::intValue).toArray();
  }

  // ------------------------------------------------------------------ 3. sweep spectra

  private void sweepSpectra() throws IOException {
    if (!requirePart("sweep")) {
      return;
    }
    Path parquet = new Path(dir, "sweep/spectra.parquet");
    if (!fs.exists(parquet)) {
      out.append(Html.note("The sweep part has no spectra.parquet."));
      return;
    }
    // model → width → index → {mean, lo, hi, seeds}
    Map<String, TreeMap<Integer, TreeMap<Integer, double[]>>> byModel = new LinkedHashMap<>();
    for (Row r : spark.read().parquet(parquet.toString()).select("model", "width", "index", "mean", "lo", "hi", "seeds")
        .collectAsList()) {
      byModel.computeIfAbsent(r.getString(0), k -> new TreeMap<>())
          .computeIfAbsent(((Number) r.get(1)).intValue(), k -> new TreeMap<>())
          .put(((Number) r.get(2)).intValue(), new double[] {d(r, 3), d(r, 4), d(r, 5), d(r, 6)});
    }
    List<String> models = orderModels(byModel.keySet());
    if (models.isEmpty()) {
      out.append(Html.note("spectra.parquet is empty."));
      return;
    }
    TreeSet<Integer> widths = new TreeSet<>();
    byModel.values().forEach(m -> widths.addAll(m.keySet()));
    List<Integer> widthList = new ArrayList<>(widths);
    Map<String, double[]> hInf = new LinkedHashMap<>();
    for (String model : models) {
      Path h = new Path(dir, "sweep/H_inf_" + model + ".npy");
      if (fs.exists(h) && fs.getFileStatus(h).getLen() <= 8L * MAX_HINF_EIGEN * MAX_HINF_EIGEN + 4096) {
        hInf.put(model, SymmetricEigen.values(readNpy(h)));
      }
    }

    Csv csv = new Csv("model", "width", "index", "mean", "lo", "hi", "seeds");
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    int maxIndex = 1;
    for (String model : models) {
      for (Map.Entry<Integer, TreeMap<Integer, double[]>> w : byModel.get(model).entrySet()) {
        for (double[] v : w.getValue().values()) {
          if (v[0] > 0) {
            lo = Math.min(lo, v[0]);
            hi = Math.max(hi, Math.max(v[0], v[2]));
          }
        }
        maxIndex = Math.max(maxIndex, w.getValue().lastKey());
      }
      double[] h = hInf.get(model);
      if (h != null) {
        for (int i = 0; i < Math.min(h.length, maxIndex); i++) {
          if (h[i] > 0) {
            lo = Math.min(lo, h[i]);
            hi = Math.max(hi, h[i]);
          }
        }
      }
    }
    if (!(hi > 0)) {
      out.append(Html.note("No positive eigenvalue in spectra.parquet to draw."));
      return;
    }
    double floor = lo / 3;
    LogAxis yAxis = Charts.logAxis("eigenvalue of Θ_m (dimensionless)", floor, hi * 3, 10);
    CombinedRangeXYPlot combined = new CombinedRangeXYPlot(yAxis);
    combined.setGap(14);
    LegendItemCollection legend = new LegendItemCollection();
    int dropped = 0;
    boolean bands = false;
    boolean noBand = false;
    for (String model : models) {
      YIntervalSeriesCollection ds = new YIntervalSeriesCollection();
      int wi = 0;
      DeviationRenderer r = new DeviationRenderer(true, false);
      r.setAlpha(0.14f);
      for (int width : widthList) {
        TreeMap<Integer, double[]> byIndex = byModel.get(model).get(width);
        if (byIndex == null) {
          wi++;
          continue;
        }
        YIntervalSeries s = new YIntervalSeries("m = " + width + " · " + model, false, true);
        int[] keys = byIndex.keySet().stream().mapToInt(Integer::intValue).toArray();
        for (int q : plotIndices(keys.length)) {
          double[] v = byIndex.get(keys[q]);
          csv.row(model, width, keys[q], v[0], v[1], v[2], Double.isNaN(v[3]) ? null : (int) v[3]);
          if (v[0] > 0) {
            boolean band = v[3] >= MIN_SEEDS_FOR_BANDS && !Double.isNaN(v[1]) && !Double.isNaN(v[2]);
            s.add(keys[q], v[0], band ? Math.max(floor, v[1]) : v[0], band ? v[2] : v[0]);
            bands |= band;
            noBand |= !band;
          } else {
            dropped++;
          }
        }
        Color c = Charts.sequential(widthList.size() == 1 ? 0 : (double) wi / (widthList.size() - 1));
        int si = ds.getSeriesCount();
        ds.addSeries(s);
        r.setSeriesPaint(si, c);
        r.setSeriesFillPaint(si, c);
        r.setSeriesStroke(si, new BasicStroke(1.8f));
        if (model.equals(models.get(0))) {
          legend.add(new LegendItem("m = " + width, null, null, null, new Rectangle2D.Double(-6, -3, 12, 6), c));
        }
        wi++;
      }
      double[] h = hInf.get(model);
      if (h != null) {
        YIntervalSeries s = new YIntervalSeries("H∞ · " + model, false, true);
        int nShow = Math.min(h.length, maxIndex);
        int[] idx = plotIndices(nShow);
        for (int q : idx) {
          if (h[q] > 0) {
            s.add(q + 1, h[q], h[q], h[q]);
          }
          csv.row(model, "inf", q + 1, h[q], h[q], h[q], null);
        }
        int si = ds.getSeriesCount();
        ds.addSeries(s);
        r.setSeriesPaint(si, Color.BLACK);
        r.setSeriesFillPaint(si, Color.BLACK);
        r.setSeriesStroke(si, Charts.DASHED);
        if (model.equals(models.get(0)) || legend.getItemCount() <= widthList.size()) {
          legend.add(new LegendItem("H∞ (infinite width)", null, null, null, new Rectangle2D.Double(-6, -1, 12, 2),
              Color.BLACK));
        }
      }
      XYPlot sub = new XYPlot(ds, Charts.logAxis("index i — " + modelName(model), 0.8, maxIndex * 1.25, 10), null, r);
      Charts.stylePlot(sub);
      combined.add(sub, 1);
    }
    combined.setFixedLegendItems(legend);
    String title = "Spectrum of the empirical NTK Θ_m by width (mean over seeds" + (bands ? ", 95% band)" : ")");
    JFreeChart c = Charts.chart(title, combined);
    data("sweep_spectra", title, "fig-sweep_spectra", csv);
    figure("sweep_spectra", Charts.render(c, Charts.WIDTH, Charts.HEIGHT), title,
        "Look for the curves converging on the dashed H∞ spectrum as the width grows (dark to light); the "
            + "smallest eigenvalues converge last, and they are the ones the condition number — and the width the "
            + "NTK approximation needs — depends on."
            + (hInf.isEmpty() ? " (H∞'s spectrum is not drawn: the sweep was run without --npy or n is too large.)" : "")
            + (dropped > 0 ? " " + dropped + " non-positive mean eigenvalues (round-off) are left out of the log "
                + "axis." : "")
            + (bands ? " Bands are 95% intervals over seeds, cut at the axis' lower edge." : "")
            + (noBand ? " No interval band where fewer than " + MIN_SEEDS_FOR_BANDS + " seeds back a mean (with 2 seeds "
                + "the t-interval spans many decades); the intervals are in the CSV." : ""),
        "sweep_spectra");
  }

  private static double d(Row r, int i) {
    return r.isNullAt(i) ? Double.NaN : ((Number) r.get(i)).doubleValue();
  }

  // ------------------------------------------------------------------ 4. sweep errors

  private void sweepErrors() {
    if (!requirePart("sweep")) {
      return;
    }
    Map<String, Object> sw = summaries.get("sweep");
    List<String> models = orderModels(map(sw, "per_width").keySet());
    Double eps = num(sw, "eps");
    Double fitMin = num(sw, "fit_min_width");
    Csv errCsv = new Csv("model", "metric", "width", "mean", "lo", "hi", "seeds");
    Csv fitCsv = new Csv("model", "metric", "slope", "intercept", "slope_se", "m_hat", "log10_m_hat", "widths", "seeds",
        "rms_slope", "rms_intercept", "rms_m_hat");
    Csv thrCsv = new Csv("model", "kappa_tol", "kappa_d", "kappa_d_status", "log10_m_star_v1", "log10_m_star_v2");
    List<JFreeChart> panels = new ArrayList<>();
    List<String> offAxis = new ArrayList<>();
    for (String model : models) {
      Map<String, Object> t = map(sw, "thresholds", model);
      thrCsv.row(model, num(t, "kappa_tol"), num(t, "kappa_d"), str(t, "kappa_d_status"), num(t, "log10_m_star_v1"),
          num(t, "log10_m_star_v2"));
    }
    for (String metric : ERROR_METRICS) {
      JFreeChart panel = errorPanel(sw, models, metric, eps, fitMin, errCsv, fitCsv, offAxis);
      if (panel != null) {
        panels.add(panel);
      }
    }
    if (panels.isEmpty()) {
      out.append(Html.note("The sweep summary has no per-width e_F, e_op, e_W or e_f."));
      return;
    }
    String title = "Distance of Θ_m from H∞ against width m, with OLS fits and the theory's widths";
    int cols = Math.min(2, panels.size());
    BufferedImage img = Charts.grid(panels, cols, Charts.PANEL_WIDTH, Charts.PANEL_HEIGHT);
    data("sweep_errors", title, "fig-sweep_errors", errCsv);
    data("sweep_fits", "OLS fits of log10(seed-mean metric) on log10 m (the dashed lines of the error-against-width"
        + " plot)", "fig-sweep_errors", fitCsv);
    data("sweep_thresholds", "Theory widths m*_v1, m*_v2 as log10 (marked or stated in the error-against-width plot)",
        "fig-sweep_errors", thrCsv);
    List<String> thr = new ArrayList<>();
    for (String model : models) {
      Map<String, Object> t = map(sw, "thresholds", model);
      Double v2 = num(t, "log10_m_star_v2");
      thr.add(model + ": m*_v1 = " + Fmt.pow10(num(t, "log10_m_star_v1")) + ", m*_v2 = "
          + (v2 == null ? "— (κ_d " + kappaDStatus(t) + ")" : Fmt.pow10(v2)));
    }
    figure("sweep_errors", img, title,
        "Look for straight lines on these log–log axes: the slope is the rate at which the finite-width kernel "
            + "approaches H∞ (−1/2 is the Monte-Carlo rate), and m̂ is where the fit reaches ε = " + Fmt.num(eps)
            + ". Points are seed means with 95% intervals (intervals reaching below the axis are cut at its edge; "
            + "the two models are offset slightly sideways); dashed lines are the fits over widths ≥ "
            + Fmt.num(fitMin) + ". Theory widths (SCIENCE §1, from each model's Gram matrix): " + String.join("; ", thr)
            + (offAxis.isEmpty() ? "." : " — beyond the width axis, as noted in each panel."),
        "sweep_errors", "sweep_fits", "sweep_thresholds");

    // Fits table.
    List<List<String>> rows = new ArrayList<>();
    for (String model : models) {
      for (String metric : ERROR_METRICS) {
        Map<String, Object> f = map(sw, "fits", model, metric);
        if (f.isEmpty()) {
          continue;
        }
        Map<String, Object> rms = map(sw, "fits_rms", model, metric);
        Double lm = num(f, "log10_m_hat");
        rows.add(List.of(esc(model + " · " + metric), Fmt.html(num(f, "slope")) + " ± " + Fmt.html(num(f, "slope_se")),
            Fmt.html(num(f, "intercept")), Fmt.html(num(f, "widths")),
            lm == null ? "never" : lm >= 6 ? Fmt.pow10Html(lm) : Fmt.html(num(f, "m_hat")),
            rms.isEmpty() ? Fmt.NONE : Fmt.html(num(rms, "slope"))));
      }
    }
    out.append("<h3>Fits (OLS of log₁₀ metric on log₁₀ m)</h3>\n");
    out.append(Html.table("num", List.of("model · metric", "slope ± s.e.", "intercept", "widths fitted",
        "m̂(ε = " + Fmt.num(eps) + ")", "slope of the RMS fit"), rows));
    List<List<String>> trows = new ArrayList<>();
    for (String model : models) {
      Map<String, Object> t = map(sw, "thresholds", model);
      Double kd = num(t, "kappa_d");
      Double v2 = num(t, "log10_m_star_v2");
      trows.add(List.of(esc(modelName(model)), Fmt.html(num(t, "kappa_tol")),
          kd == null ? esc(kappaDStatus(t)) : Fmt.html(kd), Fmt.pow10Html(num(t, "log10_m_star_v1")),
          v2 == null ? esc("— (κ_d " + kappaDStatus(t) + ")") : Fmt.pow10Html(v2)));
    }
    out.append("<h3>Theory thresholds of each model's Gram matrix (G for relu, X̃X̃ᵀ for attn)</h3>\n");
    out.append(Html.table("num", List.of("model", "κ_tol", "κ_d", "m*_v1", "m*_v2"), trows));

    // Other per-width figures (λmin, κ, …).
    Csv other = new Csv("model", "metric", "width", "mean", "lo", "hi", "seeds");
    List<List<String>> orows = new ArrayList<>();
    Set<String> otherMetrics = new LinkedHashSet<>();
    for (String model : models) {
      for (Map.Entry<String, Object> w : map(sw, "per_width", model).entrySet()) {
        for (String metric : map(w.getValue()).keySet()) {
          if (!ERROR_METRICS.contains(metric)) {
            otherMetrics.add(metric);
          }
        }
      }
    }
    if (!otherMetrics.isEmpty()) {
      for (String model : models) {
        for (String width : sortedWidthKeys(map(sw, "per_width", model).keySet())) {
          List<String> row = new ArrayList<>();
          row.add(esc(model + " · m = " + width));
          for (String metric : otherMetrics) {
            Iv iv = Iv.of(at(sw, "per_width", model, width, metric));
            other.row(model, metric, Integer.parseInt(width), iv.mean(), iv.lo(), iv.hi(), iv.seeds());
            row.add(iv.html());
          }
          orows.add(row);
        }
      }
      List<String> head = new ArrayList<>();
      head.add("model · width");
      head.addAll(otherMetrics);
      out.append("<h3>Other per-width figures of Θ_m (mean [95% interval] over seeds)</h3>\n");
      out.append(Html.table("num", head, orows));
      data("sweep_other_metrics", "Per-width λ_max, λ_min, κ of Θ_m (table)", null, other);
      tableData("sweep_other_metrics");
    }
  }

  private static List<String> sortedWidthKeys(Set<String> keys) {
    List<String> l = new ArrayList<>();
    for (String k : keys) {
      if (k.matches("\\d+")) {
        l.add(k);
      }
    }
    l.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
    return l;
  }

  private JFreeChart errorPanel(Map<String, Object> sw, List<String> models, String metric, Double eps, Double fitMin,
      Csv errCsv, Csv fitCsv, List<String> offAxis) {
    YIntervalSeriesCollection pts = new YIntervalSeriesCollection();
    XYSeriesCollection fits = new XYSeriesCollection();
    List<Double> positives = new ArrayList<>();
    double wMin = Double.POSITIVE_INFINITY;
    double wMax = 0;
    Map<String, List<double[]>> values = new LinkedHashMap<>();
    for (String model : models) {
      List<double[]> vs = new ArrayList<>();
      for (String width : sortedWidthKeys(map(sw, "per_width", model).keySet())) {
        Iv iv = Iv.of(at(sw, "per_width", model, width, metric));
        if (!iv.present()) {
          continue;
        }
        double m = Double.parseDouble(width);
        errCsv.row(model, metric, (int) m, iv.mean(), iv.lo(), iv.hi(), iv.seeds());
        vs.add(new double[] {m, iv.mean(), iv.lo() == null ? Double.NaN : iv.lo(),
            iv.hi() == null ? Double.NaN : iv.hi()});
        wMin = Math.min(wMin, m);
        wMax = Math.max(wMax, m);
        for (Double v : new Double[] {iv.mean(), iv.hi()}) {
          if (v != null && v > 0) {
            positives.add(v);
          }
        }
        if (iv.lo() != null && iv.lo() > 0) {
          positives.add(iv.lo());
        }
      }
      values.put(model, vs);
    }
    if (positives.isEmpty()) {
      return null;
    }
    double xMax = wMax * 1.6;
    for (String model : models) {
      Double mHat = num(sw, "fits", model, metric, "m_hat");
      if (mHat != null && mHat > wMax && mHat <= 1000 * wMax) {
        xMax = Math.max(xMax, mHat * 1.6);
      }
    }
    double xMin = wMin / 1.6;
    if (eps != null && eps > 0) {
      positives.add(eps);
    }
    double yLo = positives.stream().mapToDouble(Double::doubleValue).min().orElseThrow() / 2;
    double yHi = positives.stream().mapToDouble(Double::doubleValue).max().orElseThrow() * 2;

    XYErrorRenderer er = new XYErrorRenderer();
    er.setDrawXError(false);
    er.setDefaultLinesVisible(false);
    er.setCapLength(6);
    er.setErrorStroke(new BasicStroke(1.3f));
    XYLineAndShapeRenderer fr = new XYLineAndShapeRenderer(true, true);
    int mi = 0;
    for (String model : models) {
      double dodge = Math.pow(10, (mi - (models.size() - 1) / 2.0) * 0.025);
      YIntervalSeries s = new YIntervalSeries(modelName(model) + ": mean, 95% interval", false, true);
      for (double[] v : values.get(model)) {
        if (v[1] > 0) {
          double low = Double.isNaN(v[2]) ? v[1] : Math.max(yLo, v[2]);
          double high = Double.isNaN(v[3]) ? v[1] : v[3];
          s.add(v[0] * dodge, v[1], low, high);
        }
      }
      pts.addSeries(s);
      int si = pts.getSeriesCount() - 1;
      er.setSeriesPaint(si, Charts.modelColor(model));
      er.setSeriesShape(si, markerShape(mi));

      Map<String, Object> f = map(sw, "fits", model, metric);
      Map<String, Object> rms = map(sw, "fits_rms", model, metric);
      Double slope = num(f, "slope");
      Double icpt = num(f, "intercept");
      Double mHat = num(f, "m_hat");
      Double lmHat = num(f, "log10_m_hat");
      fitCsv.row(model, metric, slope, icpt, num(f, "slope_se"), mHat, lmHat, num(f, "widths"), num(f, "seeds"),
          num(rms, "slope"), num(rms, "intercept"), num(rms, "m_hat"));
      if (slope != null && icpt != null) {
        String reach = lmHat == null ? "never" : lmHat >= 6 ? Fmt.pow10(lmHat) : Fmt.num(mHat);
        XYSeries line = new XYSeries(modelName(model) + " fit: slope " + Fmt.num(slope) + " ± "
            + Fmt.num(num(f, "slope_se")) + ", m̂ = " + reach, false, true);
        double from = fitMin != null ? Math.max(fitMin, wMin) : wMin;
        double to = xMax / 1.2;
        for (int q = 0; q <= 30; q++) {
          double x = from * Math.pow(to / from, q / 30.0);
          line.add(x, Math.pow(10, icpt + slope * Math.log10(x)));
        }
        fits.addSeries(line);
        int li = fits.getSeriesCount() - 1;
        fr.setSeriesPaint(li, Charts.modelColor(model));
        fr.setSeriesStroke(li, Charts.DASHED);
        fr.setSeriesShapesVisible(li, false);
        if (mHat != null && mHat <= xMax && eps != null) {
          XYSeries hit = new XYSeries(model + " m̂", false, true);
          hit.add((double) mHat, (double) eps);
          fits.addSeries(hit);
          int hi = fits.getSeriesCount() - 1;
          fr.setSeriesPaint(hi, Charts.modelColor(model));
          fr.setSeriesLinesVisible(hi, false);
          fr.setSeriesShape(hi, triangle());
          fr.setSeriesVisibleInLegend(hi, false);
        }
      }
      mi++;
    }
    XYPlot plot = new XYPlot();
    plot.setDomainAxis(Charts.logAxis("width m (neurons, log scale)", xMin, xMax, xMax / xMin < 2e4 ? 2 : 10));
    plot.setRangeAxis(Charts.logAxis(metricLabel(metric), yLo, yHi, 10));
    plot.setDataset(0, pts);
    plot.setRenderer(0, er);
    plot.setDataset(1, fits);
    plot.setRenderer(1, fr);
    Charts.stylePlot(plot);
    if (eps != null && eps > 0) {
      plot.addRangeMarker(Charts.marker(eps, Charts.GREY, Charts.DOTTED, "ε = " + Fmt.num(eps),
          RectangleAnchor.BOTTOM_LEFT, TextAnchor.TOP_LEFT));
    }
    List<String> beyond = new ArrayList<>();
    for (String model : models) {
      for (String[] v : new String[][] {{"log10_m_star_v1", "m*v1"}, {"log10_m_star_v2", "m*v2"}}) {
        Double l = num(sw, "thresholds", model, v[0]);
        if (l == null) {
          continue;
        }
        if (l <= Math.log10(xMax)) {
          plot.addDomainMarker(Charts.marker(Math.pow(10, l), Charts.modelColor(model), Charts.DOTTED,
              v[1] + " " + model + " = " + Fmt.pow10(l), RectangleAnchor.TOP_LEFT, TextAnchor.TOP_RIGHT));
        } else {
          beyond.add(v[1] + " " + model + " = " + Fmt.pow10(l));
        }
      }
    }
    JFreeChart c = Charts.chart(metric + ": " + metricTitle(metric), plot);
    if (!beyond.isEmpty()) {
      offAxis.addAll(beyond);
      TextTitle t = new TextTitle("beyond the axis → " + String.join(", ", beyond), Charts.ANNOTATION);
      t.setPaint(Color.DARK_GRAY);
      t.setHorizontalAlignment(HorizontalAlignment.CENTER);
      c.addSubtitle(t);
    }
    return c;
  }

  private static String metricTitle(String metric) {
    return switch (metric) {
      case "e_F" -> "relative Frobenius distance";
      case "e_op" -> "relative spectral distance";
      case "e_W" -> "whitened spectral distance";
      case "e_f" -> "kernel-ridge predictor distance (test)";
      default -> metric;
    };
  }

  private static String metricLabel(String metric) {
    return switch (metric) {
      case "e_F" -> "‖Θ_m − H∞‖_F / ‖H∞‖_F (dimensionless)";
      case "e_op" -> "‖Θ_m − H∞‖₂ / ‖H∞‖₂ (dimensionless)";
      case "e_W" -> "‖(H∞+λI)^−½ (Θ_m − H∞)(H∞+λI)^−½‖₂";
      case "e_f" -> "‖f_Θm − f_H∞‖_F / ‖f_H∞‖_F (dimensionless)";
      default -> metric;
    };
  }

  private static Shape markerShape(int i) {
    return switch (i % 3) {
      case 0 -> new Ellipse2D.Double(-4.5, -4.5, 9, 9);
      case 1 -> new Rectangle2D.Double(-4, -4, 8, 8);
      default -> triangle();
    };
  }

  private static Shape triangle() {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(0, -6);
    p.lineTo(5.5, 4.5);
    p.lineTo(-5.5, 4.5);
    p.closePath();
    return p;
  }

  // ------------------------------------------------------------------ 5. train

  private void train() {
    if (!requirePart("train")) {
      return;
    }
    Map<String, Object> tr = summaries.get("train");
    Map<String, Object> groups = map(tr, "groups");
    List<String> models = orderModels(groups.keySet());
    // (model, sigma0, optimizer) → width → figure → Iv
    Map<List<String>, TreeMap<Integer, Map<String, Object>>> lines = new LinkedHashMap<>();
    TreeSet<Double> sigmas = new TreeSet<>();
    for (String model : models) {
      for (String width : sortedWidthKeys(map(groups, model).keySet())) {
        for (Map.Entry<String, Object> s0 : map(groups, model, width).entrySet()) {
          sigmas.add(Double.parseDouble(s0.getKey()));
          for (Map.Entry<String, Object> opt : map(s0.getValue()).entrySet()) {
            lines.computeIfAbsent(List.of(model, s0.getKey(), opt.getKey()), k -> new TreeMap<>())
                .put(Integer.parseInt(width), map(opt.getValue()));
          }
        }
      }
    }
    if (lines.isEmpty()) {
      out.append(Html.note("The train summary has no groups."));
      return;
    }
    List<List<String>> keys = new ArrayList<>(lines.keySet());
    keys.sort((a, b) -> {
      int c = Integer.compare(models.indexOf(a.get(0)), models.indexOf(b.get(0)));
      if (c != 0) {
        return c;
      }
      c = Double.compare(Double.parseDouble(a.get(1)), Double.parseDouble(b.get(1)));
      return c != 0 ? c : a.get(2).compareTo(b.get(2));
    });
    List<Double> sigmaList = new ArrayList<>(sigmas);
    Csv csv = new Csv("model", "sigma0", "optimizer", "width", "figure", "mean", "lo", "hi", "seeds");
    List<JFreeChart> panels = new ArrayList<>();
    double wMin = lines.values().stream().mapToInt(TreeMap::firstKey).min().orElse(1);
    double wMax = lines.values().stream().mapToInt(TreeMap::lastKey).max().orElse(2);
    List<String> zeroNotes = new ArrayList<>();
    for (String figure : TRAIN_FIGURES) {
      YIntervalSeriesCollection ds = new YIntervalSeriesCollection();
      XYErrorRenderer r = new XYErrorRenderer();
      r.setDrawXError(false);
      r.setDefaultLinesVisible(true);
      r.setCapLength(5);
      r.setErrorStroke(new BasicStroke(1.1f));
      boolean logY = figure.startsWith("kernel_");
      List<double[]> all = new ArrayList<>();
      for (List<String> key : keys) {
        for (Map.Entry<Integer, Map<String, Object>> w : lines.get(key).entrySet()) {
          Iv iv = Iv.of(w.getValue().get(figure));
          if (iv.present()) {
            all.add(new double[] {iv.mean(), iv.lo() == null ? iv.mean() : iv.lo(), iv.hi() == null ? iv.mean() : iv.hi()});
          }
        }
      }
      if (all.isEmpty()) {
        continue;
      }
      // Means below 1e-10 of the largest are round-off zeros (a kernel that did not move).
      double maxMean = all.stream().mapToDouble(v -> v[0]).max().orElse(0);
      double zero = 1e-10 * maxMean;
      double posMin = all.stream().mapToDouble(v -> v[0]).filter(v -> v > zero).min().orElse(Double.NaN);
      long positive = all.stream().filter(v -> v[0] > zero).count();
      // A log axis when the figure spans decades; means ≤ 0 (a network that did not move) are then left out.
      logY = logY && !Double.isNaN(posMin) && positive >= 0.75 * all.size();
      if (logY && positive < all.size()) {
        zeroNotes.add((all.size() - positive) + " of " + all.size() + " " + figure + " means are 0 (below 10⁻¹⁰ of "
            + "the largest)");
      }
      double yLo = logY ? posMin / 3 : 0;
      int gi = 0;
      for (List<String> key : keys) {
        double dodge = Math.pow(10, (gi - (keys.size() - 1) / 2.0) * 0.018);
        String label = key.get(0) + " · σ0 = " + Fmt.num(Double.parseDouble(key.get(1))) + " · " + key.get(2);
        YIntervalSeries s = new YIntervalSeries(label, false, true);
        for (Map.Entry<Integer, Map<String, Object>> w : lines.get(key).entrySet()) {
          Iv iv = Iv.of(w.getValue().get(figure));
          csv.row(key.get(0), Double.parseDouble(key.get(1)), key.get(2), w.getKey(), figure, iv.mean(), iv.lo(),
              iv.hi(), iv.seeds());
          if (!iv.present() || (logY && iv.mean() <= zero)) {
            continue;
          }
          double lo = iv.lo() == null ? iv.mean() : iv.lo();
          double hi = iv.hi() == null ? iv.mean() : iv.hi();
          s.add(w.getKey() * dodge, iv.mean(), logY ? Math.max(yLo, lo) : lo, hi);
        }
        ds.addSeries(s);
        int si = ds.getSeriesCount() - 1;
        Color base = Charts.modelColor(key.get(0));
        int sIdx = sigmaList.indexOf(Double.parseDouble(key.get(1)));
        Color c = sIdx == 0 ? base : Charts.lighter(base, Math.min(0.6, 0.35 * sIdx)).darker();
        if (sIdx > 0) {
          c = key.get(0).equals("relu") ? Charts.SKY : key.get(0).equals("attn") ? Charts.ORANGE : c;
          if (sIdx > 1) {
            c = Charts.lighter(c, Math.min(0.6, 0.2 * (sIdx - 1)));
          }
        }
        r.setSeriesPaint(si, c);
        r.setSeriesStroke(si, key.get(2).equals("adam") ? Charts.SOLID : key.get(2).equals("gd") ? Charts.DASHED
            : Charts.DOTTED);
        r.setSeriesShape(si, markerShape(models.indexOf(key.get(0))));
        gi++;
      }
      ValueAxis y;
      if (logY) {
        double yHi = all.stream().mapToDouble(v -> Math.max(v[0], v[2])).max().orElse(1) * 2;
        y = Charts.logAxis(trainLabel(figure), yLo, yHi, 10);
      } else {
        NumberAxis a = Charts.linearAxis(trainLabel(figure));
        a.setAutoRangeIncludesZero(true);
        y = a;
      }
      XYPlot plot = new XYPlot(ds, Charts.logAxis("width m (neurons, log scale)", wMin / 1.6, wMax * 1.6,
          wMax / wMin < 2e4 ? 2 : 10), y, r);
      Charts.stylePlot(plot);
      panels.add(Charts.chart(trainTitle(figure), plot));
    }
    if (panels.isEmpty()) {
      out.append(Html.note("The train groups hold none of " + TRAIN_FIGURES + "."));
      return;
    }
    String title = "NTK distance and kernel movement after training, against width";
    data("train_ntk_distance", title, "fig-train_ntk_distance", csv);
    int legendRows = (keys.size() + 3) / 4;
    figure("train_ntk_distance", Charts.gridWithLegend(panels, 2, Charts.PANEL_WIDTH, Charts.PANEL_HEIGHT - 40,
        24 + 20 * legendRows), title,
        "Look for the lazy runs (σ0 = 1 with gradient descent, dashed) sitting low and falling with width while "
            + "the rich runs (σ0 = 0.01) stay far from the kernel whatever the width: that separates "
            + "feature learning from a width too small for the NTK. Points are seed means with 95% intervals (cut at a "
            + "log axis' edge); solid lines Adam, dashed full-batch gradient descent; points are offset slightly "
            + "sideways per line. " + Fmt.num(num(tr, "epochs")) + " epochs."
            + (zeroNotes.isEmpty() ? "" : " Left out of the log axes: " + String.join("; ", zeroNotes) + "."),
        "train_ntk_distance");

    // Accuracy and alignment table.
    Csv acc = new Csv("model", "sigma0", "optimizer", "width", "train_accuracy", "test_accuracy", "test_loss",
        "alignment_0", "alignment_T");
    List<List<String>> rows = new ArrayList<>();
    for (List<String> key : keys) {
      for (Map.Entry<Integer, Map<String, Object>> w : lines.get(key).entrySet()) {
        Map<String, Object> g = w.getValue();
        Iv trA = Iv.of(g.get("train_accuracy"));
        Iv teA = Iv.of(g.get("test_accuracy"));
        Iv teL = Iv.of(g.get("test_loss"));
        Iv a0 = Iv.of(g.get("alignment_0"));
        Iv aT = Iv.of(g.get("alignment_T"));
        acc.row(key.get(0), Double.parseDouble(key.get(1)), key.get(2), w.getKey(), trA.mean(), teA.mean(), teL.mean(),
            a0.mean(), aT.mean());
        rows.add(List.of(esc(key.get(0) + " · σ0 = " + Fmt.num(Double.parseDouble(key.get(1))) + " · " + key.get(2)
            + " · m = " + w.getKey()), trA.pctHtml(), teA.pctHtml(), teL.html(), a0.html(), aT.html()));
      }
    }
    out.append("<h3>Accuracy and kernel–target alignment (mean [95% interval] over seeds)</h3>\n");
    out.append(Html.table("num", List.of("model · σ0 · optimizer · width", "train accuracy", "test accuracy",
        "test loss", "alignment A(Θ_0)", "alignment A(Θ_T)"), rows));
    data("train_accuracy", "Final accuracy, loss and alignment per training group (table)", null, acc);
    tableData("train_accuracy");
  }

  private static String trainTitle(String figure) {
    return switch (figure) {
      case "ntk_distance" -> "NTK distance ‖f_m − f_NTK‖_F";
      case "ntk_distance_relative" -> "Relative NTK distance";
      case "kernel_movement" -> "Kernel movement ‖Θ_T − Θ_0‖_F / ‖Θ_0‖_F";
      case "kernel_distance" -> "Kernel distance 1 − cos(Θ_0, Θ_T)";
      default -> figure;
    };
  }

  private static String trainLabel(String figure) {
    return switch (figure) {
      case "ntk_distance" -> "‖f_m(X*) − f_H∞(X*)‖_F (output units)";
      case "ntk_distance_relative" -> "‖f_m − f_H∞‖_F / ‖f_H∞‖_F (dimensionless)";
      case "kernel_movement" -> "‖Θ_T − Θ_0‖_F / ‖Θ_0‖_F (dimensionless)";
      case "kernel_distance" -> "1 − ⟨Θ_0, Θ_T⟩_F / (‖Θ_0‖_F ‖Θ_T‖_F)";
      default -> figure;
    };
  }

  // ------------------------------------------------------------------ 6. malleability

  private void malleability() {
    if (!requirePart("influence")) {
      return;
    }
    Map<String, Object> inf = summaries.get("influence");
    Map<String, Object> mall = map(inf, "malleability");
    List<String> models = orderModels(mall.keySet());
    // Cells in the summary's order: (attack, intervention).
    List<String[]> cells = new ArrayList<>();
    for (String model : models) {
      for (Map.Entry<String, Object> a : map(mall, model).entrySet()) {
        for (String iv : map(a.getValue()).keySet()) {
          if (cells.stream().noneMatch(c -> c[0].equals(a.getKey()) && c[1].equals(iv))) {
            cells.add(new String[] {a.getKey(), iv});
          }
        }
      }
    }
    if (cells.isEmpty()) {
      out.append(Html.note("The influence summary has no malleability cells."));
      return;
    }
    out.append(Html.p("k = " + Fmt.num(num(inf, "k")) + " top training examples (τ = " + Fmt.num(num(inf, "tau"))
        + ", n = " + Fmt.num(num(inf, "n")) + "), attack radius ε = " + Fmt.num(num(inf, "eps")) + " in pixels, kernel "
        + str(inf, "kernel") + ", influence target " + str(inf, "influence_target") + ", λ_ridge = "
        + Fmt.num(num(inf, "lambda")) + (str(inf, "factorisation") == null ? "" : "; K + λI factorised by "
        + str(inf, "factorisation")) + "."));
    Csv csv = new Csv("model", "attack", "intervention", "flip_rate_pct", "flip_rate_lo_pct", "flip_rate_hi_pct",
        "control_random_pct", "control_random_lo_pct", "control_random_hi_pct", "control_noise_floor_pct",
        "control_noise_floor_lo_pct", "control_noise_floor_hi_pct", "seeds");
    DefaultCategoryDataset ds = new DefaultCategoryDataset();
    Charts.WhiskerBarRenderer r = new Charts.WhiskerBarRenderer();
    String[][] kinds = {{"flip_rate", "flip rate"}, {"control_random", "control: random ±ε signs"},
        {"control_noise_floor", "control: noise floor (other seed, no attack)"}};
    double top = 0;
    double topMean = 0;
    int row = 0;
    for (String model : models) {
      for (int k = 0; k < kinds.length; k++) {
        String series = model + " " + kinds[k][1];
        for (int c = 0; c < cells.size(); c++) {
          Iv iv = Iv.of(at(mall, model, cells.get(c)[0], cells.get(c)[1], kinds[k][0]));
          String cat = cellLabel(cells.get(c));
          ds.addValue(iv.mean() == null ? null : 100 * iv.mean(), series, cat);
          if (iv.present()) {
            r.interval(row, c, iv.lo() == null ? null : 100 * iv.lo(), iv.hi() == null ? null : 100 * iv.hi());
            top = Math.max(top, 100 * iv.mean());
            topMean = Math.max(topMean, 100 * iv.mean());
            if (iv.hi() != null) {
              top = Math.max(top, Math.min(100, 100 * iv.hi()));
            }
          }
        }
        Color base = Charts.modelColor(model);
        r.setSeriesPaint(row, k == 0 ? base : Charts.lighter(base, k == 1 ? 0.45 : 0.72));
        row++;
      }
      for (String[] cell : cells) {
        Map<String, Object> m = map(mall, model, cell[0], cell[1]);
        Iv f = Iv.of(m.get("flip_rate"));
        Iv cr = Iv.of(m.get("control_random"));
        Iv cn = Iv.of(m.get("control_noise_floor"));
        csv.row(model, cell[0], cell[1], p100(f.mean()), p100(f.lo()), p100(f.hi()), p100(cr.mean()), p100(cr.lo()),
            p100(cr.hi()), p100(cn.mean()), p100(cn.lo()), p100(cn.hi()), f.seeds());
      }
    }
    CategoryAxis x = new CategoryAxis("attack · intervention");
    Charts.styleAxis(x);
    x.setMaximumCategoryLabelLines(2);
    x.setCategoryMargin(0.18);
    NumberAxis y = Charts.linearAxis("flip rate (% of the top-k examples whose influence changes sign)");
    y.setRange(0, Math.min(100, Math.max(5, Math.max(topMean * 1.5, Math.min(top, topMean * 2.2)))));
    CategoryPlot plot = new CategoryPlot(ds, x, y, r);
    Charts.stylePlot(plot);
    String title = "Influence flip rates of attn vs relu, with controls";
    data("flip_rates", title, "fig-flip_rates", csv);
    figure("flip_rates", Charts.render(Charts.chart(title, plot), Charts.WIDTH, Charts.HEIGHT + 60), title,
        "Look for the attn bars (orange) standing above the relu bars (blue) and both above their own controls "
            + "(lighter bars: random ±ε signs on the same examples, and the sign changes between two seeds without "
            + "an attack); whiskers are 95% intervals over seeds, cut at the axis. Curated removes the top k "
            + "(no attack, no random control) and counts flips among the next k.",
        "flip_rates");

    // Full metrics table.
    List<List<String>> rows = new ArrayList<>();
    for (String model : models) {
      for (String[] cell : cells) {
        Map<String, Object> m = map(mall, model, cell[0], cell[1]);
        if (m.isEmpty()) {
          continue;
        }
        rows.add(List.of(esc(model + " · " + cellLabel(cell)), Iv.of(m.get("flip_rate")).pctHtml(),
            Iv.of(m.get("spearman")).html(), Iv.of(m.get("topk_overlap")).html(),
            Iv.of(m.get("control_random")).pctHtml(), Iv.of(m.get("control_noise_floor")).pctHtml(),
            Fmt.html(Iv.of(m.get("flip_rate")).seeds() == null ? null : (double) Iv.of(m.get("flip_rate")).seeds())));
      }
    }
    out.append("<h3>Malleability figures (mean [95% interval] over seeds)</h3>\n");
    out.append(Html.table("num", List.of("model · attack · intervention", "flip rate", "Spearman ρ before/after",
        "top-k overlap", "control: random signs", "control: noise floor", "seeds"), rows));

    // Paper comparison.
    Map<String, Object> paper = map(inf, "paper_flip_rates");
    List<?> attacks = list(paper, "attacks");
    if (!paper.isEmpty() && !attacks.isEmpty()) {
      out.append("<h3>Flip rates: ours beside the paper's (<span class=\"paper\">as reported by the paper</span>, "
          + "percent)</h3>\n");
      List<String> head = new ArrayList<>(List.of("source · setting · model"));
      for (Object a : attacks) {
        head.add(String.valueOf(a).toUpperCase(Locale.ROOT));
      }
      head.add("attn/relu (" + String.valueOf(attacks.get(Math.min(1, attacks.size() - 1))).toUpperCase(Locale.ROOT)
          + ")");
      List<List<String>> prow = new ArrayList<>();
      int ratioCol = Math.min(1, attacks.size() - 1);
      for (String setting : paper.keySet()) {
        if (!(paper.get(setting) instanceof Map)) {
          continue;
        }
        for (String model : List.of("relu", "attn")) {
          List<?> v = list(paper, setting, model);
          if (v.isEmpty()) {
            continue;
          }
          List<String> cellsRow = new ArrayList<>();
          cellsRow.add("<span class=\"paper\">" + esc("paper (as reported) · " + settingName(setting) + " · "
              + modelName(model)) + "</span>");
          for (int a = 0; a < attacks.size(); a++) {
            cellsRow.add("<span class=\"paper\">" + (a < v.size() ? Fmt.percentValue(num(v.get(a))) : Fmt.NONE)
                + "</span>");
          }
          String ratio = Fmt.NONE;
          if (model.equals("attn")) {
            List<?> relu = list(paper, setting, "relu");
            Double x1 = ratioCol < v.size() ? num(v.get(ratioCol)) : null;
            Double x2 = ratioCol < relu.size() ? num(relu.get(ratioCol)) : null;
            ratio = x1 == null || x2 == null || x2 == 0 ? Fmt.NONE : Fmt.html(x1 / x2) + "×";
          }
          cellsRow.add("<span class=\"paper\">" + ratio + "</span>");
          prow.add(cellsRow);
        }
      }
      for (String model : models) {
        List<String> cellsRow = new ArrayList<>();
        cellsRow.add(esc("this study · " + firstString("dataset") + " · " + modelName(model) + " (transformed)"));
        for (Object a : attacks) {
          cellsRow.add(Iv.of(at(mall, model, String.valueOf(a), "transformed", "flip_rate")).pctHtml());
        }
        cellsRow.add(model.equals("attn") ? Iv.of(at(inf, "ratio", String.valueOf(attacks.get(ratioCol)),
            "transformed")).html() : Fmt.NONE);
        prow.add(cellsRow);
      }
      out.append(Html.table("num", head, prow));
      out.append("<p><small>").append(esc("Paper figures: " + (str(paper, "source") == null ? "arXiv 2603.13085"
          : str(paper, "source")) + ". They are the paper's, read from the influence summary, not recomputed here."))
          .append("</small></p>\n");
    }

    // Ratio.
    Map<String, Object> ratio = map(inf, "ratio");
    if (!ratio.isEmpty()) {
      Csv rc = new Csv("attack", "intervention", "mean", "lo", "hi", "seeds_attn", "seeds_relu");
      DefaultCategoryDataset rds = new DefaultCategoryDataset();
      Charts.WhiskerBarRenderer rr = new Charts.WhiskerBarRenderer();
      rr.setMaximumBarWidth(0.12);
      List<List<String>> rrows = new ArrayList<>();
      int c = 0;
      double rTop = 1.2;
      for (String attack : ratio.keySet()) {
        for (String iv : map(ratio, attack).keySet()) {
          Map<String, Object> m = map(ratio, attack, iv);
          Iv v = Iv.of(m);
          rc.row(attack, iv, v.mean(), v.lo(), v.hi(), num(m, "seeds_attn"), num(m, "seeds_relu"));
          String cat = cellLabel(new String[] {attack, iv});
          rds.addValue(v.mean(), "attn / relu flip-rate ratio", cat);
          rr.interval(0, c, v.lo(), v.hi());
          if (v.present()) {
            rTop = Math.max(rTop, v.hi() == null ? v.mean() : v.hi());
          }
          c++;
          rrows.add(List.of(esc(cat), v.html(), Fmt.html(num(m, "seeds_attn")), Fmt.html(num(m, "seeds_relu"))));
        }
      }
      rr.setSeriesPaint(0, Charts.PURPLE);
      CategoryAxis rx = new CategoryAxis("attack · intervention");
      Charts.styleAxis(rx);
      rx.setMaximumCategoryLabelLines(2);
      NumberAxis ry = Charts.linearAxis("attn flip rate / relu flip rate (×)");
      ry.setRange(0, rTop * 1.1);
      CategoryPlot rp = new CategoryPlot(rds, rx, ry, rr);
      Charts.stylePlot(rp);
      rp.addRangeMarker(Charts.marker(1.0, Color.DARK_GRAY, Charts.DASHED, "equal malleability",
          RectangleAnchor.TOP_RIGHT, TextAnchor.BOTTOM_RIGHT));
      String rt = "attn/relu flip-rate ratio with bootstrap 95% intervals";
      data("ratio", rt, "fig-ratio", rc);
      figure("ratio", Charts.render(Charts.chart(rt, rp), Charts.WIDTH, 440), rt,
          "Look for whiskers entirely above the dashed line at 1: only then is attention more malleable than the "
              + "ReLU network beyond seed-to-seed variation (bootstrap over seeds; a missing bar means relu never "
              + "flipped, so the ratio does not exist).",
          "ratio");
      out.append(Html.table("num", List.of("attack · intervention", "ratio [bootstrap 95% interval]", "seeds attn",
          "seeds relu"), rrows));
    }
  }

  private static Double p100(Double v) {
    return v == null ? null : 100 * v;
  }

  private static String cellLabel(String[] cell) {
    return (cell[0].equals("none") ? "no attack" : cell[0].toUpperCase(Locale.ROOT)) + " · " + cell[1];
  }

  // ------------------------------------------------------------------ 7. dual

  private void dual() {
    if (!requirePart("influence")) {
      return;
    }
    Map<String, Object> inf = summaries.get("influence");
    Map<String, Object> dual = map(inf, "dual");
    Map<String, Object> table = map(dual, "table");
    if (table.isEmpty()) {
      out.append(Html.note("The influence summary has no dual-implication table."));
      return;
    }
    List<String> models = orderModels(table.keySet());
    // Quantities in the first model's order, vulnerability flattened.
    List<String> quantities = new ArrayList<>();
    for (String model : models) {
      for (Map.Entry<String, Object> e : map(table, model).entrySet()) {
        if (e.getKey().equals("vulnerability")) {
          for (String v : map(e.getValue()).keySet()) {
            if (!quantities.contains("vulnerability." + v)) {
              quantities.add("vulnerability." + v);
            }
          }
        } else if (!quantities.contains(e.getKey())) {
          quantities.add(e.getKey());
        }
      }
    }
    Csv csv = new Csv("quantity", "model", "mean", "lo", "hi", "seeds");
    List<List<String>> rows = new ArrayList<>();
    for (String q : quantities) {
      List<String> row = new ArrayList<>();
      row.add(esc(quantityName(q)));
      for (String model : models) {
        Object v = q.startsWith("vulnerability.") ? at(table, model, "vulnerability", q.substring(14)) : at(table, model, q);
        Iv iv = Iv.of(v);
        csv.row(q, model, iv.mean(), iv.lo(), iv.hi(), iv.seeds());
        boolean pct = q.contains("flip_rate") || q.contains("accuracy");
        row.add(pct ? iv.pctHtml() : iv.html());
      }
      rows.add(row);
    }
    List<String> head = new ArrayList<>(List.of("quantity"));
    for (String model : models) {
      head.add(modelName(model));
    }
    out.append(Html.p("Approximation (how well each model's kernel fits the task) against vulnerability (how easily "
        + "its influence ranking flips). Kernel-ridge rows use H∞ on x (relu) and on x̃ (attn); network rows use the "
        + "trained networks; intervals are 95% over seeds."));
    out.append(Html.table("num", head, rows));
    data("dual", "The dual-implication table (approximation vs vulnerability)", null, csv);
    tableData("dual");
    Boolean ab = bool(dual, "attn_approximates_better");
    Boolean am = bool(dual, "attn_more_malleable");
    out.append("<p>Attention approximates better: ").append(yesNo(ab)).append(" · attention more malleable: ")
        .append(yesNo(am)).append(" · both hold: ").append(yesNo(ab == null || am == null ? null : ab && am))
        .append("</p>\n");
    String statement = str(dual, "statement");
    out.append("<p class=\"statement\">").append(esc(statement == null ? "No statement in the summary." : statement))
        .append("</p>\n");
  }

  private static String yesNo(Boolean b) {
    return b == null ? Fmt.NONE : b ? "<span class=\"yes\">yes</span>" : "<span class=\"no\">no</span>";
  }

  private static String quantityName(String q) {
    return switch (q) {
      case "krr_test_mse" -> "kernel ridge (H∞): test MSE";
      case "krr_test_accuracy" -> "kernel ridge (H∞): test accuracy";
      case "krr_alignment" -> "kernel ridge (H∞): kernel–target alignment";
      case "net_test_accuracy" -> "trained network: test accuracy";
      case "net_test_loss" -> "trained network: test loss";
      case "net_alignment_T" -> "trained network: alignment A(Θ_T)";
      default -> {
        if (q.startsWith("vulnerability.flip_rate_")) {
          String[] p = q.substring("vulnerability.flip_rate_".length()).split("_", 2);
          yield "flip rate: " + (p.length == 2 ? cellLabel(p) : q);
        }
        yield q.replace('_', ' ');
      }
    };
  }

  // ------------------------------------------------------------------ 8. examples

  private void examples() throws IOException {
    if (!requirePart("influence")) {
      return;
    }
    Map<String, Object> inf = summaries.get("influence");
    Path exDir = new Path(dir, "influence/examples");
    if (!fs.exists(exDir)) {
      out.append(Html.note("The influence part wrote no examples/ folder."));
      return;
    }
    Set<String> names = new TreeSet<>();
    for (FileStatus s : fs.listStatus(exDir)) {
      names.add(s.getPath().getName());
    }
    List<String> models = new ArrayList<>(orderModels(map(inf, "malleability").keySet()));
    List<String> attacks = new ArrayList<>();
    for (Object a : list(inf, "provenance", "config", "attacks")) {
      attacks.add(String.valueOf(a));
    }
    Pattern p = Pattern.compile("([A-Za-z0-9]+)_([A-Za-z0-9]+)\\.csv");
    List<String[]> pairs = new ArrayList<>();
    for (String n : names) {
      Matcher m = p.matcher(n);
      if (m.matches()) {
        if (!models.contains(m.group(1))) {
          models.add(m.group(1));
        }
        if (!attacks.contains(m.group(2))) {
          attacks.add(m.group(2));
        }
        pairs.add(new String[] {m.group(1), m.group(2)});
      }
    }
    if (pairs.isEmpty()) {
      out.append(Html.note("examples/ holds no <model>_<attack>.csv files."));
      return;
    }
    pairs.sort((a, b) -> {
      int c = Integer.compare(models.indexOf(a[0]), models.indexOf(b[0]));
      return c != 0 ? c : Integer.compare(attacks.indexOf(a[1]), attacks.indexOf(b[1]));
    });
    Double eps = num(inf, "eps");
    Double k = num(inf, "k");
    String seed = str(inf, "provenance", "config", "seed");
    out.append(Html.p("The top-k training examples by |I_i| of the first seed" + (seed == null ? "" : " (" + seed + ")")
        + ": the pixels before the attack, after it, and the change. Each tile gives the rank, the index in the "
        + "training subset, the index in the source file, the label, and the total influence I_i before → after."));
    Map<String, Double> seedFlips = seedFlipRates(seed);
    for (String[] pair : pairs) {
      String model = pair[0];
      String attack = pair[1];
      Path cleanPath = new Path(exDir, model + "_clean.npy");
      Path attackedPath = new Path(exDir, model + "_" + attack + ".npy");
      if (!fs.exists(cleanPath) || !fs.exists(attackedPath)) {
        out.append(Html.note("examples/" + model + "_" + attack + ": the .npy pixels are missing."));
        continue;
      }
      List<ImageGrid.Example> rows = readExamples(new Path(exDir, model + "_" + attack + ".csv"));
      Matrix clean = readNpy(cleanPath);
      Matrix attacked = readNpy(attackedPath);
      if (ImageGrid.Shape.of(clean.cols()) == null) {
        out.append(Html.note("examples/" + model + "_" + attack + ": " + clean.cols()
            + " pixels per row is not a square image; not drawn."));
        continue;
      }
      Csv csv = new Csv("rank", "train_index", "source_index", "label", "influence_before", "influence_after",
          "flipped");
      int shown = Math.min(MAX_TILES, Math.min(rows.size(), clean.rows()));
      for (int q = 0; q < shown; q++) {
        ImageGrid.Example e = rows.get(q);
        csv.row(e.rank(), e.trainIndex(), e.sourceIndex(), e.label(), e.before(), e.after(), e.flipped());
      }
      String title = modelName(model) + " · " + attack.toUpperCase(Locale.ROOT) + ": top " + shown + " examples by "
          + "|influence|, before and after the attack";
      BufferedImage img = ImageGrid.draw(title, clean, attacked, rows, eps == null ? 0 : eps, MAX_TILES);
      long flips = rows.stream().limit(shown).filter(ImageGrid.Example::flipped).count();
      double allFlips = rows.isEmpty() ? Double.NaN
          : (double) rows.stream().filter(ImageGrid.Example::flipped).count() / rows.size();
      String which = interventionOf(seedFlips, model, attack, allFlips);
      String name = "examples_" + model + "_" + attack;
      data(name, title, "fig-" + name, csv);
      figure(name, img, title,
          "Look for how little the pixels change (the bottom row, at most ε = " + Fmt.num(eps) + " per pixel) against "
              + "how much the influence changes: " + flips + " of the " + shown + " shown changed sign (red frames)."
              + (k != null && k > shown ? " Showing the top " + shown + " of k = " + Fmt.num(k) + "." : "")
              + " " + which,
          name);
    }
  }

  /** "model|attack|intervention" → flip rate of the given seed, from influence/malleability.csv. */
  private Map<String, Double> seedFlipRates(String seed) throws IOException {
    Map<String, Double> m = new LinkedHashMap<>();
    Path csv = new Path(dir, "influence/malleability.csv");
    if (seed == null || !fs.exists(csv)) {
      return m;
    }
    String[] lines = readText(csv).split("\r?\n");
    List<String> head = Arrays.asList(lines[0].split(","));
    int cm = head.indexOf("model");
    int ca = head.indexOf("attack");
    int ci = head.indexOf("intervention");
    int cs = head.indexOf("seed");
    int cf = head.indexOf("flip_rate");
    if (cm < 0 || ca < 0 || ci < 0 || cs < 0 || cf < 0) {
      return m;
    }
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(",", -1);
      if (f.length > cf && f[cs].trim().equals(seed) && !f[cf].isBlank()) {
        m.put(f[cm] + "|" + f[ca] + "|" + f[ci], Double.parseDouble(f[cf]));
      }
    }
    return m;
  }

  /** Which intervention's flip rate (of the examples' seed) the examples file reproduces. */
  private static String interventionOf(Map<String, Double> seedFlips, String model, String attack, double fraction) {
    List<String> match = new ArrayList<>();
    List<String> known = new ArrayList<>();
    for (Map.Entry<String, Double> e : seedFlips.entrySet()) {
      String[] k = e.getKey().split("\\|");
      if (k[0].equals(model) && k[1].equals(attack)) {
        known.add(k[2] + " " + Fmt.pct(e.getValue()));
        if (Math.abs(e.getValue() - fraction) < 1e-9) {
          match.add(k[2]);
        }
      }
    }
    if (known.isEmpty()) {
      return "";
    }
    if (match.contains("transformed")) {
      return "These are the transformed intervention's examples (their flip rate " + Fmt.pct(fraction)
          + " is that cell's for this seed).";
    }
    if (!match.isEmpty()) {
      return "Note: the sign changes in this file (" + Fmt.pct(fraction) + " of k) reproduce the "
          + String.join("/", match) + " intervention's flip rate for this seed, not the transformed one's ("
          + String.join(", ", known) + "): the examples come from that cell.";
    }
    return "Their flip rate (" + Fmt.pct(fraction) + " of k) matches no cell of this seed (" + String.join(", ", known)
        + ").";
  }

  private List<ImageGrid.Example> readExamples(Path csv) throws IOException {
    List<ImageGrid.Example> rows = new ArrayList<>();
    String[] lines = readText(csv).split("\r?\n");
    if (lines.length == 0) {
      return rows;
    }
    List<String> head = Arrays.asList(lines[0].split(","));
    int[] col = {head.indexOf("rank"), head.indexOf("train_index"), head.indexOf("source_index"), head.indexOf("label"),
        head.indexOf("influence_before"), head.indexOf("influence_after")};
    for (int c : col) {
      if (c < 0) {
        throw new IOException(csv + ": expected the columns rank,train_index,source_index,label,influence_before,"
            + "influence_after, found " + lines[0]);
      }
    }
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      String[] f = lines[i].split(",");
      rows.add(new ImageGrid.Example(Integer.parseInt(f[col[0]].trim()), Integer.parseInt(f[col[1]].trim()),
          Integer.parseInt(f[col[2]].trim()), Integer.parseInt(f[col[3]].trim()), parse(f[col[4]]), parse(f[col[5]])));
    }
    return rows;
  }

  private static double parse(String s) {
    return s == null || s.isBlank() ? Double.NaN : Double.parseDouble(s.trim());
  }

  // ------------------------------------------------------------------ 9. LOO

  private void loo() {
    if (!requirePart("influence")) {
      return;
    }
    Map<String, Object> inf = summaries.get("influence");
    Map<String, Object> trans = map(inf, "transductive");
    Map<String, Object> retrain = map(inf, "retrain_loo");
    if (trans.isEmpty() && retrain.isEmpty()) {
      out.append(Html.note("Neither the transductive LOO nor the retraining LOO was run (the influence part runs them "
          + "only for small n unless asked: --transductive, --retrain-loo)."));
      return;
    }
    out.append("<h3>Transductive LOO (attn): example i also removed from the attention context</h3>\n");
    if (trans.isEmpty()) {
      out.append(Html.note("Not run in this study."));
    } else {
      String def = str(trans, "definition");
      if (def != null) {
        out.append(Html.p(def + "."));
      }
      out.append(looTable(List.of(List.of("attn", "")), List.of(trans)));
      scatter("transductive", "influence/transductive.parquet", "influence_fixed_kernel", "influence_transductive",
          "Transductive vs fixed-kernel leave-one-out influence (attn)",
          "fixed-kernel closed form I_i (Σ over test points, margin units)",
          "transductive LOO I_i (context refitted, margin units)",
          "Look for points off the diagonal: there the fixed-kernel closed form misjudges attention's leave-one-out "
              + "influence, because removing x_i also changes the context C and every attended feature x̃.");
    }
    out.append("<h3>Retraining LOO: the network retrained without example i against the NTK closed form</h3>\n");
    if (retrain.isEmpty()) {
      out.append(Html.note("Not run in this study (automatic only for n ≤ 100; --retrain-loo on)."));
    } else {
      String def = str(retrain, "definition");
      if (def != null) {
        out.append(Html.p(def + "."));
      }
      List<List<String>> keys = new ArrayList<>();
      List<Map<String, Object>> maps = new ArrayList<>();
      for (String model : orderModels(retrain.keySet())) {
        if (retrain.get(model) instanceof Map) {
          keys.add(List.of(model, ""));
          maps.add(map(retrain, model));
        }
      }
      out.append(looTable(keys, maps));
      scatter("retrain_loo", "influence/retrain_loo.parquet", "influence_closed_form", "influence_retrained",
          "Retrained-network vs closed-form NTK leave-one-out influence",
          "closed-form NTK I_i (Θ_T of the full-data network, margin units)",
          "retrained network f(x_t) − f_−i(x_t), Σ over test points",
          "Look for the points hugging the diagonal: how well the network's NTK at the end of training predicts what "
              + "removing an example and retraining actually does.");
    }
  }

  private static String looTable(List<List<String>> keys, List<Map<String, Object>> maps) {
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      Map<String, Object> m = maps.get(i);
      String model = keys.get(i).get(0);
      rows.add(List.of(esc(model + " · mean over seeds"), Iv.of(m.get("pearson")).html(), Fmt.NONE,
          Iv.of(m.get("sign_agreement")).pctHtml(), Fmt.NONE, Fmt.NONE, Fmt.NONE));
      for (Map.Entry<String, Object> s : map(m, "seeds").entrySet()) {
        Map<String, Object> v = map(s.getValue());
        rows.add(List.of(esc(model + " · seed " + s.getKey()), Fmt.html(num(v, "pearson")), Fmt.html(num(v, "spearman")),
            Fmt.pct(num(v, "sign_agreement")), Fmt.html(num(v, "topk_overlap")), Fmt.html(num(v, "max_abs_difference")),
            Fmt.html(num(v, "max_abs_difference_relative"))));
      }
    }
    return Html.table("num", List.of("model · seed", "Pearson r", "Spearman ρ", "sign agreement", "top-k overlap",
        "max |difference|", "max |difference| / max |I|"), rows);
  }

  private void scatter(String name, String rel, String xCol, String yCol, String title, String xLabel, String yLabel,
      String caption) {
    Path p = new Path(dir, rel);
    try {
      if (!fs.exists(p)) {
        return;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Row> rows = spark.read().parquet(p.toString()).select("model", "seed", "train_index", xCol, yCol)
        .collectAsList();
    if (rows.isEmpty()) {
      return;
    }
    Csv csv = new Csv("model", "seed", "train_index", xCol, yCol);
    Map<String, XYSeries> series = new LinkedHashMap<>();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Row r : rows) {
      String model = r.getString(0);
      long seed = ((Number) r.get(1)).longValue();
      double x = d(r, 3);
      double y = d(r, 4);
      csv.row(model, seed, ((Number) r.get(2)).intValue(), x, y);
      if (Double.isFinite(x) && Double.isFinite(y)) {
        series.computeIfAbsent(model + " · seed " + seed, k -> new XYSeries(k, false, true)).add(x, y);
        lo = Math.min(lo, Math.min(x, y));
        hi = Math.max(hi, Math.max(x, y));
      }
    }
    if (series.isEmpty()) {
      return;
    }
    XYSeriesCollection ds = new XYSeriesCollection();
    series.values().forEach(ds::addSeries);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
    for (int i = 0; i < ds.getSeriesCount(); i++) {
      String key = (String) ds.getSeriesKey(i);
      r.setSeriesPaint(i, Charts.alpha(Charts.PALETTE[i % Charts.PALETTE.length], 170));
      r.setSeriesShape(i, key.startsWith("attn") ? new Rectangle2D.Double(-3, -3, 6, 6)
          : new Ellipse2D.Double(-3.5, -3.5, 7, 7));
    }
    double pad = (hi - lo) * 0.05 + 1e-12;
    NumberAxis xa = Charts.linearAxis(xLabel);
    xa.setRange(lo - pad, hi + pad);
    NumberAxis ya = Charts.linearAxis(yLabel);
    ya.setRange(lo - pad, hi + pad);
    XYPlot plot = new XYPlot(ds, xa, ya, r);
    Charts.stylePlot(plot);
    plot.addAnnotation(new XYLineAnnotation(lo - pad, lo - pad, hi + pad, hi + pad, Charts.DOTTED, Color.GRAY));
    data(name, title, "fig-" + name, csv);
    figure(name, Charts.render(Charts.chart(title, plot), 760, 640), title, caption + " The dotted line is y = x.", name);
  }

  // ------------------------------------------------------------------ 10. provenance

  private void provenance() {
    List<List<String>> parts = new ArrayList<>();
    for (String part : PARTS) {
      Map<String, Object> s = summaries.get(part);
      String status = s != null ? "present" : absent.getOrDefault(part, "missing");
      Object studyStatus = at(study, "parts", part, "status");
      parts.add(List.of(esc(part), esc(status), esc(studyStatus == null ? Fmt.NONE : String.valueOf(studyStatus)),
          Fmt.html(num(s, "total_s") != null ? num(s, "total_s") : num(s, "timings", "total_s"))));
    }
    out.append("<h3>Parts</h3>\n");
    out.append(Html.table(null, List.of("part", "in this folder", "study status", "run time (s)"), parts));
    if (study != null) {
      out.append("<h3>Study</h3>\n");
      out.append(kv(map(study, "settings").isEmpty() ? Map.of() : map(study, "settings")));
      out.append(provenanceTable(List.of("study"), List.of(map(study, "provenance"))));
    } else {
      out.append(Html.note("No study-level summary.json (yet): the study may still be running, or the parts were run "
          + "one by one."));
    }
    if (summaries.isEmpty()) {
      return;
    }
    out.append("<h3>Each part's provenance</h3>\n");
    List<String> names = new ArrayList<>(summaries.keySet());
    List<Map<String, Object>> provs = new ArrayList<>();
    for (String n : names) {
      provs.add(map(summaries.get(n), "provenance"));
    }
    out.append(provenanceTable(names, provs));
    for (String n : names) {
      Map<String, Object> config = map(summaries.get(n), "provenance", "config");
      out.append("<details><summary>").append(esc(n + ": full configuration (" + config.size() + " options)"))
          .append("</summary>").append(kv(config)).append("</details>\n");
    }
  }

  private static String provenanceTable(List<String> names, List<Map<String, Object>> provs) {
    String[][] fields = {{"git_commit", "git commit"}, {"created", "created"}, {"spark_version", "Spark"},
        {"spark_master", "Spark master"}, {"default_parallelism", "default parallelism"},
        {"java_version", "Java"}, {"java_vendor", "Java vendor"}, {"blas", "BLAS"}, {"lapack", "LAPACK"},
        {"blas_library", "BLAS library"}, {"openblas", "OpenBLAS build and core"},
        {"openblas_num_threads", "OPENBLAS_NUM_THREADS"}, {"openblas_coretype_env", "OPENBLAS_CORETYPE"},
        {"driver_heap_max_mb", "driver heap limit (MB)"}, {"driver_heap_pools_peak_sum_mb", "driver heap peak ≤ (MB)"},
        {"seed", "seed"}};
    List<List<String>> rows = new ArrayList<>();
    for (String[] f : fields) {
      List<String> row = new ArrayList<>();
      row.add(esc(f[1]));
      boolean any = false;
      for (Map<String, Object> p : provs) {
        Object v = p.get(f[0]);
        any |= v != null;
        row.add("<span class=\"text\">" + esc(v == null ? Fmt.NONE : String.valueOf(v)) + "</span>");
      }
      if (any || f[0].equals("git_commit")) {
        rows.add(row);
      }
    }
    List<String> head = new ArrayList<>(List.of("field"));
    head.addAll(names);
    return Html.table("prov", head, rows).replace("<td>", "<td class=\"text\">");
  }

  private static String kv(Map<String, ?> m) {
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, ?> e : m.entrySet()) {
      rows.add(List.of(esc(e.getKey()), esc(valueText(e.getValue()))));
    }
    return Html.table("kv", List.of("option", "value"), rows).replace("<td>", "<td class=\"text\">");
  }

  private static String valueText(Object v) {
    if (v == null) {
      return Fmt.NONE;
    }
    if (v instanceof List<?> l) {
      List<String> s = new ArrayList<>();
      for (Object o : l) {
        s.add(valueText(o));
      }
      return String.join(", ", s);
    }
    if (v instanceof Map<?, ?>) {
      return Json.write(v).replace("null", "\"—\"").replaceAll("\\s+", " ");
    }
    if (v instanceof Double d) {
      return Double.isFinite(d) ? String.valueOf(d) : Fmt.NONE;
    }
    return String.valueOf(v);
  }

  // ------------------------------------------------------------------ helpers

  private String firstString(String key) {
    for (Map<String, Object> s : summaries.values()) {
      String v = str(s, key);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  /** relu first, attn second, anything else after, in the given order. */
  static List<String> orderModels(Set<String> models) {
    List<String> l = new ArrayList<>();
    for (String m : List.of("relu", "attn")) {
      if (models.contains(m)) {
        l.add(m);
      }
    }
    for (String m : models) {
      if (!l.contains(m)) {
        l.add(m);
      }
    }
    return l;
  }

  static String modelName(String model) {
    return switch (model) {
      case "relu" -> "relu (2L-ReLU)";
      case "attn" -> "attn (MLP-Attn)";
      default -> model;
    };
  }

  private static String joinInts(List<Integer> ks) {
    List<String> s = new ArrayList<>();
    for (int k : ks) {
      s.add(Integer.toString(k));
    }
    return String.join(", ", s);
  }

  private String show(Path p) {
    return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
  }

  private String readText(Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private Matrix readNpy(Path p) throws IOException {
    try (InputStream in = new java.io.BufferedInputStream(fs.open(p), 1 << 16)) {
      return Npy.read(in, p.getName());
    }
  }

  private void writeText(Path p, String text) throws IOException {
    try (OutputStream o = fs.create(p, true)) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
