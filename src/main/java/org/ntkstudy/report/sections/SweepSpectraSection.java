package org.ntkstudy.report.sections;

import static org.ntkstudy.report.page.ReportContext.modelName;
import static org.ntkstudy.report.page.ReportContext.orderModels;
import static org.ntkstudy.report.sections.SectionSupport.d;
import static org.ntkstudy.report.sections.SectionSupport.plotIndices;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.ntkstudy.report.page.Charts;
import org.ntkstudy.report.page.Html;
import org.ntkstudy.report.page.ReportContext;
import org.ntkstudy.report.page.ReportData.Csv;
import org.ntkstudy.report.page.ReportSection;

/** Section 4: Θ_m's spectrum by width beside H∞'s (sweep part: spectra.parquet, H_inf_eigenvalues.parquet). */
public final class SweepSpectraSection implements ReportSection {
  /** Interval bands on the log-scale spectra are drawn from this many seeds on. */
  static final int MIN_SEEDS_FOR_BANDS = 3;

  @Override
  public String id() {
    return "sweep-spectra";
  }

  @Override
  public String title() {
    return "Spectra of the empirical NTK Θ_m by width";
  }

  @Override
  public void write(ReportContext ctx) throws IOException {
    StringBuilder out = ctx.html();
    if (!ctx.requirePart("sweep")) {
      return;
    }
    String parquet = "sweep/spectra.parquet";
    if (!ctx.exists(parquet)) {
      out.append(Html.note("The sweep part has no spectra.parquet."));
      return;
    }
    // model → width → index → {mean, lo, hi, seeds}
    Map<String, TreeMap<Integer, TreeMap<Integer, double[]>>> byModel = new LinkedHashMap<>();
    for (Row r : ctx.parquet(parquet).select("model", "width", "index", "mean", "lo", "hi", "seeds")
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
    Map<String, double[]> hInf = hInfEigenvalues(ctx, models);

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
    ctx.data("sweep_spectra", title, "fig-sweep_spectra", csv);
    ctx.figure("sweep_spectra", Charts.render(c, Charts.WIDTH, Charts.HEIGHT), title,
        "Look for the curves converging on the dashed H∞ spectrum as the width grows (dark to light); the "
            + "smallest eigenvalues converge last, and they are the ones the condition number — and the width the "
            + "NTK approximation needs — depends on."
            + (hInf.isEmpty() ? " (H∞'s spectrum is not drawn: the sweep part has no H_inf_eigenvalues.parquet — n is "
                + "too large for the sweep to compute it, or the sweep predates that file.)" : "")
            + (dropped > 0 ? " " + dropped + " non-positive mean eigenvalues (round-off) are left out of the log "
                + "axis." : "")
            + (bands ? " Bands are 95% intervals over seeds, cut at the axis' lower edge." : "")
            + (noBand ? " No interval band where fewer than " + MIN_SEEDS_FOR_BANDS + " seeds back a mean (with 2 seeds "
                + "the t-interval spans many decades); the intervals are in the CSV." : ""),
        "sweep_spectra");
  }

  /** model → H∞'s eigenvalues (descending), as the sweep computed them; empty without the file. */
  private static Map<String, double[]> hInfEigenvalues(ReportContext ctx, List<String> models) throws IOException {
    Map<String, double[]> hInf = new LinkedHashMap<>();
    String parquet = "sweep/H_inf_eigenvalues.parquet";
    if (!ctx.exists(parquet)) {
      return hInf;
    }
    Map<String, TreeMap<Integer, Double>> byModel = new LinkedHashMap<>();
    for (Row r : ctx.parquet(parquet).select("model", "index", "eigenvalue").collectAsList()) {
      byModel.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(((Number) r.get(1)).intValue(), d(r, 2));
    }
    for (String model : models) {
      TreeMap<Integer, Double> v = byModel.get(model);
      if (v != null) {
        hInf.put(model, v.values().stream().mapToDouble(Double::doubleValue).toArray());
      }
    }
    return hInf;
  }
}
