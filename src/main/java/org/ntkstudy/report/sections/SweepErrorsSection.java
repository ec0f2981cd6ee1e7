package org.ntkstudy.report.sections;

import static org.ntkstudy.report.page.Html.esc;
import static org.ntkstudy.report.page.ReportContext.modelName;
import static org.ntkstudy.report.page.ReportContext.orderModels;
import static org.ntkstudy.report.sections.SectionSupport.hi;
import static org.ntkstudy.report.sections.SectionSupport.kappaDStatus;
import static org.ntkstudy.report.sections.SectionSupport.lo;
import static org.ntkstudy.report.sections.SectionSupport.markerShape;
import static org.ntkstudy.report.sections.SectionSupport.mean;
import static org.ntkstudy.report.sections.SectionSupport.present;
import static org.ntkstudy.report.sections.SectionSupport.seeds;
import static org.ntkstudy.report.sections.SectionSupport.triangle;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.ntkstudy.report.page.Charts;
import org.ntkstudy.report.page.Fmt;
import org.ntkstudy.report.page.Html;
import org.ntkstudy.report.page.ReportContext;
import org.ntkstudy.report.page.ReportData.Csv;
import org.ntkstudy.report.page.ReportSection;
import org.ntkstudy.results.Fit;
import org.ntkstudy.results.Interval;
import org.ntkstudy.results.SweepResult;
import org.ntkstudy.results.Thresholds;
import org.ntkstudy.results.WidthFigures;

/** Section 5: the distances of Θ_m from H∞ against width, their fits and the theory's widths (sweep part). */
public final class SweepErrorsSection implements ReportSection {
  static final List<String> ERROR_METRICS = List.of("e_F", "e_op", "e_W", "e_f");

  @Override
  public String id() {
    return "sweep-errors";
  }

  @Override
  public String title() {
    return "Error against width";
  }

  @Override
  public void write(ReportContext ctx) {
    StringBuilder out = ctx.html();
    if (!ctx.requirePart("sweep")) {
      return;
    }
    SweepResult sw = ctx.sweep();
    List<String> models = orderModels(sw.perWidth().keySet());
    Double eps = sw.eps();
    Double fitMin = (double) sw.fitMinWidth();
    Csv errCsv = new Csv("model", "metric", "width", "mean", "lo", "hi", "seeds");
    Csv fitCsv = new Csv("model", "metric", "slope", "intercept", "slope_se", "m_hat", "log10_m_hat", "widths", "seeds",
        "rms_slope", "rms_intercept", "rms_m_hat");
    Csv thrCsv = new Csv("model", "kappa_tol", "kappa_d", "kappa_d_status", "log10_m_star_v1", "log10_m_star_v2");
    List<JFreeChart> panels = new ArrayList<>();
    List<String> offAxis = new ArrayList<>();
    for (String model : models) {
      Thresholds t = thresholds(sw, model);
      thrCsv.row(model, t.kappaTol(), t.kappaD(), t.kappaDStatus(), t.log10MStarV1(), t.log10MStarV2());
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
    ctx.data("sweep_errors", title, "fig-sweep_errors", errCsv);
    ctx.data("sweep_fits", "OLS fits of log10(seed-mean metric) on log10 m (the dashed lines of the error-against-width"
        + " plot)", "fig-sweep_errors", fitCsv);
    ctx.data("sweep_thresholds", "Theory widths m*_v1, m*_v2 as log10 (marked or stated in the error-against-width plot)",
        "fig-sweep_errors", thrCsv);
    List<String> thr = new ArrayList<>();
    for (String model : models) {
      Thresholds t = thresholds(sw, model);
      Double v2 = t.log10MStarV2();
      thr.add(model + ": m*_v1 = " + Fmt.pow10(t.log10MStarV1()) + ", m*_v2 = "
          + (v2 == null ? "— (κ_d " + kappaDStatus(t.kappaDStatus()) + ")" : Fmt.pow10(v2)));
    }
    ctx.figure("sweep_errors", img, title,
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
        Fit f = sw.fit(model, metric);
        if (f == null) {
          continue;
        }
        Fit rms = sw.fitRms(model, metric);
        Double lm = f.log10MHat();
        rows.add(List.of(esc(model + " · " + metric), Fmt.html(f.slope()) + " ± " + Fmt.html(f.slopeSe()),
            Fmt.html(f.intercept()), Fmt.html((double) f.widths()),
            lm == null ? "never" : lm >= 6 ? Fmt.pow10Html(lm) : Fmt.html(f.mHat()),
            rms == null ? Fmt.NONE : Fmt.html(rms.slope())));
      }
    }
    out.append("<h3>Fits (OLS of log₁₀ metric on log₁₀ m)</h3>\n");
    out.append(Html.table("num", List.of("model · metric", "slope ± s.e.", "intercept", "widths fitted",
        "m̂(ε = " + Fmt.num(eps) + ")", "slope of the RMS fit"), rows));
    List<List<String>> trows = new ArrayList<>();
    for (String model : models) {
      Thresholds t = thresholds(sw, model);
      Double kd = t.kappaD();
      Double v2 = t.log10MStarV2();
      trows.add(List.of(esc(modelName(model)), Fmt.html(t.kappaTol()),
          kd == null ? esc(kappaDStatus(t.kappaDStatus())) : Fmt.html(kd), Fmt.pow10Html(t.log10MStarV1()),
          v2 == null ? esc("— (κ_d " + kappaDStatus(t.kappaDStatus()) + ")") : Fmt.pow10Html(v2)));
    }
    out.append("<h3>Theory thresholds of each model's Gram matrix (G for relu, X̃X̃ᵀ for attn)</h3>\n");
    out.append(Html.table("num", List.of("model", "κ_tol", "κ_d", "m*_v1", "m*_v2"), trows));

    // Other per-width figures (λmin, κ, …).
    Csv other = new Csv("model", "metric", "width", "mean", "lo", "hi", "seeds");
    List<List<String>> orows = new ArrayList<>();
    // The figures beyond the errors that some width of some model has (λmax, λmin, κ).
    Set<String> otherMetrics = new LinkedHashSet<>();
    for (String metric : WidthFigures.NAMES) {
      for (String model : models) {
        for (int width : sw.widthsOf(model)) {
          if (!ERROR_METRICS.contains(metric) && sw.interval(model, width, metric) != null) {
            otherMetrics.add(metric);
          }
        }
      }
    }
    if (!otherMetrics.isEmpty()) {
      for (String model : models) {
        for (int width : sw.widthsOf(model)) {
          List<String> row = new ArrayList<>();
          row.add(esc(model + " · m = " + width));
          for (String metric : otherMetrics) {
            Interval iv = sw.interval(model, width, metric);
            other.row(model, metric, width, mean(iv), lo(iv), hi(iv), seeds(iv));
            row.add(Fmt.intervalHtml(iv));
          }
          orows.add(row);
        }
      }
      List<String> head = new ArrayList<>();
      head.add("model · width");
      head.addAll(otherMetrics);
      out.append("<h3>Other per-width figures of Θ_m (mean [95% interval] over seeds)</h3>\n");
      out.append(Html.table("num", head, orows));
      ctx.data("sweep_other_metrics", "Per-width λ_max, λ_min, κ of Θ_m (table)", null, other);
      ctx.tableData("sweep_other_metrics");
    }
  }

  private JFreeChart errorPanel(SweepResult sw, List<String> models, String metric, Double eps, Double fitMin,
      Csv errCsv, Csv fitCsv, List<String> offAxis) {
    YIntervalSeriesCollection pts = new YIntervalSeriesCollection();
    XYSeriesCollection fits = new XYSeriesCollection();
    List<Double> positives = new ArrayList<>();
    double wMin = Double.POSITIVE_INFINITY;
    double wMax = 0;
    Map<String, List<double[]>> values = new LinkedHashMap<>();
    for (String model : models) {
      List<double[]> vs = new ArrayList<>();
      for (int width : sw.widthsOf(model)) {
        Interval iv = sw.interval(model, width, metric);
        if (!present(iv)) {
          continue;
        }
        double m = width;
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
      Fit fit = sw.fit(model, metric);
      Double mHat = fit == null ? null : fit.mHat();
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

      Fit f = sw.fit(model, metric);
      Fit rms = sw.fitRms(model, metric);
      Double slope = f == null ? null : f.slope();
      Double icpt = f == null ? null : f.intercept();
      Double mHat = f == null ? null : f.mHat();
      Double lmHat = f == null ? null : f.log10MHat();
      Double slopeSe = f == null ? null : f.slopeSe();
      // widths and seeds as the fit's other figures: numbers, written "2.0" in the CSV.
      fitCsv.row(model, metric, slope, icpt, slopeSe, mHat, lmHat, f == null ? null : (double) f.widths(),
          f == null ? null : (double) f.seeds(), rms == null ? null : rms.slope(), rms == null ? null : rms.intercept(),
          rms == null ? null : rms.mHat());
      if (slope != null && icpt != null) {
        String reach = lmHat == null ? "never" : lmHat >= 6 ? Fmt.pow10(lmHat) : Fmt.num(mHat);
        XYSeries line = new XYSeries(modelName(model) + " fit: slope " + Fmt.num(slope) + " ± "
            + Fmt.num(slopeSe) + ", m̂ = " + reach, false, true);
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
      Thresholds t = thresholds(sw, model);
      for (Object[] v : new Object[][] {{t.log10MStarV1(), "m*v1"}, {t.log10MStarV2(), "m*v2"}}) {
        Double l = (Double) v[0];
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

  /** The thresholds of {@code model}, all null when the sweep has none. */
  private static Thresholds thresholds(SweepResult sw, String model) {
    Thresholds t = sw.thresholdsOf(model);
    return t != null ? t : new Thresholds(null, null, null, null, null);
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
}
