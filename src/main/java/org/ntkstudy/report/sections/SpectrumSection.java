package org.ntkstudy.report.sections;

import static org.ntkstudy.report.page.Html.esc;
import static org.ntkstudy.report.sections.SectionSupport.MAX_PLOT_POINTS;
import static org.ntkstudy.report.sections.SectionSupport.definition;
import static org.ntkstudy.report.sections.SectionSupport.kappaDStatus;
import static org.ntkstudy.report.sections.SectionSupport.plotIndices;

import java.awt.Color;
import java.awt.Stroke;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.ntkstudy.report.page.Charts;
import org.ntkstudy.report.page.Fmt;
import org.ntkstudy.report.page.Html;
import org.ntkstudy.report.page.ReportContext;
import org.ntkstudy.report.page.ReportData.Csv;
import org.ntkstudy.report.page.ReportSection;
import org.ntkstudy.results.SpectrumResult;

/** Section 3: the spectra of G, G³ and X̃X̃ᵀ, κ_k at matched k, and the global condition numbers (spectrum part). */
public final class SpectrumSection implements ReportSection {
  @Override
  public String id() {
    return "spectrum";
  }

  @Override
  public String title() {
    return "Dataset spectrum and the κ³ amplification";
  }

  @Override
  public void write(ReportContext ctx) throws IOException {
    StringBuilder out = ctx.html();
    if (!ctx.requirePart("spectrum")) {
      return;
    }
    SpectrumResult sp = ctx.spectrum();
    Map<String, double[]> eig = readEigenvalues(ctx);
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
        for (int k : sp.ks()) {
          if (k <= maxIndex) {
            plot.addDomainMarker(Charts.marker(k, new Color(0x999999), Charts.DOTTED, "k=" + k,
                RectangleAnchor.TOP_RIGHT, TextAnchor.TOP_LEFT));
          }
        }
        String title = "Spectra of G, G³ and X̃X̃ᵀ (n = " + Fmt.num((double) sp.n()) + ", d = " + Fmt.num((double) sp.d())
            + ")";
        JFreeChart c = Charts.chart(title, plot);
        ctx.data("spectrum_eigenvalues", title, "fig-spectrum_eigenvalues", csv);
        ctx.figure("spectrum_eigenvalues", Charts.render(c, Charts.WIDTH, Charts.HEIGHT), title,
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
    List<Integer> ks = sp.ks();
    for (int k : ks) {
      Double g = sp.kappaK(k, "G");
      Double g3 = sp.kappaK(k, "G3");
      Double a = sp.kappaK(k, "attn");
      Double e = sp.attnExponent(k);
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
      ctx.data("kappa_amplification", title, "fig-kappa_amplification", kc);
      ctx.figure("kappa_amplification", Charts.render(Charts.chart(title, plot), Charts.WIDTH, Charts.HEIGHT), title,
          "Look for κ_k(X̃X̃ᵀ) (orange) lying on the dashed κ_k(G)³ line rather than on κ_k(G) (blue): the attended "
              + "features' kernel cubes the data's condition number at every k.", "kappa_amplification");
    }
    out.append("<h3>Condition numbers κ_k = λ₁/λ_k at matched k</h3>\n");
    out.append(Html.table("num", List.of("k", "κ_k(G)", "κ_k(G)³", "κ_k(G³)", "κ_k(X̃X̃ᵀ)",
        "exponent ln κ_k(X̃X̃ᵀ) / ln κ_k(G)"), rows));

    out.append("<h3>Global condition numbers and the theory's widths</h3>\n");
    List<List<String>> g = new ArrayList<>();
    Map<String, String> defs = sp.definitions();
    g.add(List.of("n, d", Fmt.html((double) sp.n()) + ", " + Fmt.html((double) sp.d()),
        esc("training examples, pixels")));
    g.add(List.of("λ₁ (G)", Fmt.html(sp.lambdaMax()), esc("largest eigenvalue of G")));
    g.add(List.of("λ_r (G), r = " + Fmt.html((double) sp.r()), Fmt.html(sp.lambdaR()), esc("r = min(n, d)")));
    g.add(List.of("rank_tol", Fmt.html((double) sp.rankTol()), esc("#{λᵢ > tol·λ₁}, tol = " + Fmt.num(sp.tol()))));
    String warn = sp.kappaTolWarning();
    g.add(List.of("κ_tol", Fmt.html(sp.kappaTol()) + (warn == null ? "" : "<br><small>" + esc(warn) + "</small>"),
        esc(definition(defs, "kappa_tol"))));
    Double kd = sp.kappaD();
    g.add(List.of("κ_d", kd == null ? esc("rank deficient (λ_r = " + Fmt.num(sp.lambdaR()) + ")") : Fmt.html(kd),
        esc(definition(defs, "kappa_d"))));
    g.add(List.of("κ_ridge", Fmt.html(sp.kappaRidge()), esc(definition(defs, "kappa_ridge"))));
    g.add(List.of("κ_tol³", Fmt.html(sp.kappaCubed()), esc(definition(defs, "kappa_cubed"))));
    g.add(List.of("m*<sub>v1</sub>", Fmt.pow10Html(sp.log10MStarV1()),
        esc(definition(defs, "log10_m_star_v1") + "; ε = " + Fmt.num(sp.eps()))));
    Double v2 = sp.log10MStarV2();
    g.add(List.of("m*<sub>v2</sub>", v2 == null ? esc("— (κ_d is " + kappaDStatus(sp.kappaDStatus()) + ")")
        : Fmt.pow10Html(v2), esc(definition(defs, "log10_m_star_v2"))));
    out.append(Html.table("num", List.of("quantity", "value", "definition"), g));
  }

  private static Map<String, double[]> readEigenvalues(ReportContext ctx) throws IOException {
    Map<String, double[]> outMap = new LinkedHashMap<>();
    String parquet = "spectrum/eigenvalues.parquet";
    if (ctx.exists(parquet)) {
      Map<String, TreeMap<Integer, Double>> byMatrix = new LinkedHashMap<>();
      for (Row r : ctx.parquet(parquet).select("matrix", "index", "eigenvalue").collectAsList()) {
        byMatrix.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(((Number) r.get(1)).intValue(),
            r.isNullAt(2) ? Double.NaN : r.getDouble(2));
      }
      for (Map.Entry<String, TreeMap<Integer, Double>> e : byMatrix.entrySet()) {
        outMap.put(e.getKey(), e.getValue().values().stream().mapToDouble(Double::doubleValue).toArray());
      }
      return outMap;
    }
    for (String m : List.of("G", "G3", "attn")) {
      String npy = "spectrum/eigenvalues_" + m + ".npy";
      if (ctx.exists(npy)) {
        outMap.put(m, ctx.readNpy(npy).data());
      }
    }
    return outMap;
  }
}
