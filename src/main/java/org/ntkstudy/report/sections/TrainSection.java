package org.ntkstudy.report.sections;

import static org.ntkstudy.report.page.Html.esc;
import static org.ntkstudy.report.page.ReportContext.orderModels;
import static org.ntkstudy.report.sections.SectionSupport.hi;
import static org.ntkstudy.report.sections.SectionSupport.lo;
import static org.ntkstudy.report.sections.SectionSupport.markerShape;
import static org.ntkstudy.report.sections.SectionSupport.mean;
import static org.ntkstudy.report.sections.SectionSupport.present;
import static org.ntkstudy.report.sections.SectionSupport.seeds;

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
import org.ntkstudy.report.page.ReportSection;
import org.ntkstudy.results.Interval;
import org.ntkstudy.results.TrainFigures;
import org.ntkstudy.results.TrainResult;

/** Section 6: NTK distance and kernel movement after training, accuracy and alignment (train part). */
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
    TrainResult tr = ctx.train();
    List<String> models = orderModels(tr.groups().keySet());
    // (model, sigma0, optimizer) → width → figures
    Map<Line, TreeMap<Integer, TrainFigures>> lines = new LinkedHashMap<>();
    TreeSet<Double> sigmas = new TreeSet<>();
    for (String model : models) {
      for (Map.Entry<Integer, Map<Double, Map<String, TrainFigures>>> w : new TreeMap<>(tr.groups().get(model))
          .entrySet()) {
        for (Map.Entry<Double, Map<String, TrainFigures>> s0 : w.getValue().entrySet()) {
          sigmas.add(s0.getKey());
          for (Map.Entry<String, TrainFigures> opt : s0.getValue().entrySet()) {
            lines.computeIfAbsent(new Line(model, s0.getKey(), opt.getKey()), k -> new TreeMap<>())
                .put(w.getKey(), opt.getValue());
          }
        }
      }
    }
    if (lines.isEmpty()) {
      out.append(Html.note("The train summary has no groups."));
      return;
    }
    List<Line> keys = new ArrayList<>(lines.keySet());
    keys.sort((a, b) -> {
      int c = Integer.compare(models.indexOf(a.model()), models.indexOf(b.model()));
      if (c != 0) {
        return c;
      }
      c = Double.compare(a.sigma0(), b.sigma0());
      return c != 0 ? c : a.optimizer().compareTo(b.optimizer());
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
      for (Line key : keys) {
        for (Map.Entry<Integer, TrainFigures> w : lines.get(key).entrySet()) {
          Interval iv = figure(w.getValue(), figure);
          if (present(iv)) {
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
      for (Line key : keys) {
        double dodge = Math.pow(10, (gi - (keys.size() - 1) / 2.0) * 0.018);
        String label = key.model() + " · σ0 = " + Fmt.num(key.sigma0()) + " · " + key.optimizer();
        YIntervalSeries s = new YIntervalSeries(label, false, true);
        for (Map.Entry<Integer, TrainFigures> w : lines.get(key).entrySet()) {
          Interval iv = figure(w.getValue(), figure);
          csv.row(key.model(), key.sigma0(), key.optimizer(), w.getKey(), figure, mean(iv), lo(iv), hi(iv), seeds(iv));
          if (!present(iv) || (logY && iv.mean() <= zero)) {
            continue;
          }
          double lo = iv.lo() == null ? iv.mean() : iv.lo();
          double hi = iv.hi() == null ? iv.mean() : iv.hi();
          s.add(w.getKey() * dodge, iv.mean(), logY ? Math.max(yLo, lo) : lo, hi);
        }
        ds.addSeries(s);
        int si = ds.getSeriesCount() - 1;
        Color base = Charts.modelColor(key.model());
        int sIdx = sigmaList.indexOf(key.sigma0());
        Color c = sIdx == 0 ? base : Charts.lighter(base, Math.min(0.6, 0.35 * sIdx)).darker();
        if (sIdx > 0) {
          c = key.model().equals("relu") ? Charts.SKY : key.model().equals("attn") ? Charts.ORANGE : c;
          if (sIdx > 1) {
            c = Charts.lighter(c, Math.min(0.6, 0.2 * (sIdx - 1)));
          }
        }
        r.setSeriesPaint(si, c);
        r.setSeriesStroke(si, key.optimizer().equals("adam") ? Charts.SOLID : key.optimizer().equals("gd")
            ? Charts.DASHED : Charts.DOTTED);
        r.setSeriesShape(si, markerShape(models.indexOf(key.model())));
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
            + "sideways per line. " + Fmt.num((double) tr.epochs()) + " epochs."
            + (zeroNotes.isEmpty() ? "" : " Left out of the log axes: " + String.join("; ", zeroNotes) + "."),
        "train_ntk_distance");

    // Accuracy and alignment table.
    Csv acc = new Csv("model", "sigma0", "optimizer", "width", "train_accuracy", "test_accuracy", "test_loss",
        "alignment_0", "alignment_T");
    Csv chanceCsv = new Csv("model", "sigma0", "optimizer", "width", "test_accuracy", "chance", "threshold",
        "at_chance");
    List<List<String>> rows = new ArrayList<>();
    for (Line key : keys) {
      for (Map.Entry<Integer, TrainFigures> w : lines.get(key).entrySet()) {
        TrainFigures g = w.getValue();
        Interval trA = figure(g, "train_accuracy");
        Interval teA = figure(g, "test_accuracy");
        Interval teL = figure(g, "test_loss");
        Interval a0 = figure(g, "alignment_0");
        Interval aT = figure(g, "alignment_T");
        acc.row(key.model(), key.sigma0(), key.optimizer(), w.getKey(), mean(trA), mean(teA), mean(teL), mean(a0),
            mean(aT));
        Boolean atChance = tr.atChance(key.model(), w.getKey(), key.sigma0(), key.optimizer());
        chanceCsv.row(key.model(), key.sigma0(), key.optimizer(), w.getKey(), mean(teA),
            tr.chance() == null ? null : tr.chance().chance(), tr.chance() == null ? null : tr.chance().threshold(),
            atChance);
        rows.add(List.of(esc(key.model() + " · σ0 = " + Fmt.num(key.sigma0()) + " · " + key.optimizer()
            + " · m = " + w.getKey()), Fmt.intervalPctHtml(trA), Fmt.intervalPctHtml(teA),
            Learnability.status(atChance), Fmt.intervalHtml(teL), Fmt.intervalHtml(a0), Fmt.intervalHtml(aT)));
      }
    }
    out.append("<h3>Accuracy and kernel–target alignment (mean [95% interval] over seeds)</h3>\n");
    Learnability.train(ctx, tr);
    out.append(Html.table("num", List.of("model · σ0 · optimizer · width", "train accuracy", "test accuracy",
        "learned?", "test loss", "alignment A(Θ_0)", "alignment A(Θ_T)"), rows));
    ctx.data("train_accuracy", "Final accuracy, loss and alignment per training group (table)", null, acc);
    ctx.tableData("train_accuracy");
    if (tr.chance() != null) {
      ctx.data("train_chance", "Each training group's test accuracy against the chance level (table)", null,
          chanceCsv);
      ctx.tableData("train_chance");
    }
  }

  /** One line of the plots: a (model, σ0, optimiser) group across widths. */
  private record Line(String model, double sigma0, String optimizer) {}

  /** A group's figure by its JSON key, or null when the group has none. */
  private static Interval figure(TrainFigures g, String name) {
    return g == null ? null : g.figure(name);
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
