package org.ntkstudy.report.sections;

import static org.ntkstudy.report.page.Html.esc;
import static org.ntkstudy.report.page.ReportContext.orderModels;
import static org.ntkstudy.report.page.ReportData.map;
import static org.ntkstudy.report.page.ReportData.num;
import static org.ntkstudy.report.sections.SectionSupport.markerShape;
import static org.ntkstudy.report.sections.SectionSupport.sortedWidthKeys;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.ntkstudy.report.page.Charts;
import org.ntkstudy.report.page.Fmt;
import org.ntkstudy.report.page.Html;
import org.ntkstudy.report.page.ReportContext;
import org.ntkstudy.report.page.ReportData.Csv;
import org.ntkstudy.report.page.ReportData.Iv;
import org.ntkstudy.report.page.ReportSection;

/** Section 5: NTK distance and kernel movement after training, accuracy and alignment (train part). */
public final class TrainSection implements ReportSection {
  static final List<String> TRAIN_FIGURES =
      List.of("ntk_distance", "ntk_distance_relative", "kernel_movement", "kernel_distance");

  @Override
  public String id() {
    return "train";
  }

  @Override
  public String title() {
    return "NTK distance and kernel movement: lazy vs rich";
  }

  @Override
  public void write(ReportContext ctx) {
    StringBuilder out = ctx.html();
    if (!ctx.requirePart("train")) {
      return;
    }
    Map<String, Object> tr = ctx.trainSummary();
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
    ctx.data("train_ntk_distance", title, "fig-train_ntk_distance", csv);
    int legendRows = (keys.size() + 3) / 4;
    ctx.figure("train_ntk_distance", Charts.gridWithLegend(panels, 2, Charts.PANEL_WIDTH, Charts.PANEL_HEIGHT - 40,
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
    ctx.data("train_accuracy", "Final accuracy, loss and alignment per training group (table)", null, acc);
    ctx.tableData("train_accuracy");
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
}
