package org.ntkstudy.report.sections;

import static org.ntkstudy.report.page.Html.esc;
import static org.ntkstudy.report.page.ReportContext.modelName;
import static org.ntkstudy.report.sections.SectionSupport.hi;
import static org.ntkstudy.report.sections.SectionSupport.lo;
import static org.ntkstudy.report.sections.SectionSupport.markerShape;
import static org.ntkstudy.report.sections.SectionSupport.mean;
import static org.ntkstudy.report.sections.SectionSupport.present;
import static org.ntkstudy.report.sections.SectionSupport.seeds;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.ntkstudy.report.page.Charts;
import org.ntkstudy.report.page.Fmt;
import org.ntkstudy.report.page.Html;
import org.ntkstudy.report.page.ReportContext;
import org.ntkstudy.report.page.ReportData.Csv;
import org.ntkstudy.results.FlipRateRatio;
import org.ntkstudy.results.InfluenceResult;
import org.ntkstudy.results.Interval;
import org.ntkstudy.results.MalleabilityFigures;
import org.ntkstudy.results.RadiusFigures;

/**
 * The malleability section's view along the attack radius (SCIENCE §5: the radius is a grid axis):
 * the dose–response figure — per model, the transformed intervention's flip rate against the radius
 * for each attack with its random-sign control beside it, bootstrap 95% intervals as error bars, a
 * log radius axis ({@code data/dose_response.csv}) — and the excess over the control and the
 * attn/relu ratios at every radius ({@code data/excess_by_radius.csv}). With one radius, a note.
 */
final class DoseResponse {
  /** The intervention the dose–response figure draws. */
  static final String INTERVENTION = "transformed";

  private DoseResponse() {}

  /** Writes the figure and the per-radius table, or a note when the influence part has one radius. */
  static void write(ReportContext ctx, InfluenceResult inf, List<String> models) {
    StringBuilder out = ctx.html();
    List<Double> radii = inf.radii();
    out.append("<h3>Dose–response: flip rate against the attack radius</h3>\n");
    if (radii.size() < 2 || inf.byRadius() == null) {
      out.append(Html.note("One attack radius" + (radii.isEmpty() ? "" : " (ε = " + Fmt.num(radii.get(0)) + ")")
          + (radii.size() > 1 ? " with figures per radius" : "") + ": no dose–response curve. Give the influence part"
          + " several radii (--attack-eps 0.3,0.1,0.03) to see how the flip rates and their controls grow with ε."));
      return;
    }
    figure(ctx, inf, models, radii);
    table(ctx, inf, radii);
  }

  private static void figure(ReportContext ctx, InfluenceResult inf, List<String> models, List<Double> radii) {
    List<String> attacks = new ArrayList<>();
    for (double r : radii) {
      RadiusFigures at = inf.atRadius(r);
      for (String model : models) {
        var byAttack = at == null || at.malleability() == null ? null : at.malleability().get(model);
        if (byAttack != null) {
          byAttack.forEach((attack, byIv) -> {
            if (byIv.containsKey(INTERVENTION) && !attacks.contains(attack)) {
              attacks.add(attack);
            }
          });
        }
      }
    }
    if (attacks.isEmpty()) {
      ctx.html().append(Html.note("The influence summary has no " + INTERVENTION + " cells per radius to draw."));
      return;
    }
    Csv csv = new Csv("model", "attack", "intervention", "radius", "flip_rate_pct", "flip_rate_lo_pct",
        "flip_rate_hi_pct", "control_random_pct", "control_random_lo_pct", "control_random_hi_pct", "excess_pct",
        "excess_lo_pct", "excess_hi_pct", "seeds");
    double top = 5;
    List<YIntervalSeriesCollection> data = new ArrayList<>();
    int nSeries = 2 * attacks.size();
    for (String model : models) {
      YIntervalSeriesCollection ds = new YIntervalSeriesCollection();
      for (int a = 0; a < attacks.size(); a++) {
        String attack = attacks.get(a);
        String name = attack.toUpperCase(Locale.ROOT);
        YIntervalSeries flip = new YIntervalSeries(name + ": flip rate", false, true);
        YIntervalSeries control = new YIntervalSeries(name + ": control, random ±ε signs", false, true);
        for (double r : radii) {
          RadiusFigures at = inf.atRadius(r);
          MalleabilityFigures f = at == null ? null : at.figures(model, attack, INTERVENTION);
          if (f == null) {
            continue;
          }
          Interval fr = f.flipRate();
          Interval cr = f.controlRandom();
          Interval ex = f.excess();
          csv.row(model, attack, INTERVENTION, r, p100(mean(fr)), p100(lo(fr)), p100(hi(fr)), p100(mean(cr)),
              p100(lo(cr)), p100(hi(cr)), p100(mean(ex)), p100(lo(ex)), p100(hi(ex)), seeds(fr));
          top = Math.max(top, add(flip, r * dodge(2 * a, nSeries), fr));
          top = Math.max(top, add(control, r * dodge(2 * a + 1, nSeries), cr));
        }
        ds.addSeries(flip);
        ds.addSeries(control);
      }
      data.add(ds);
    }
    double rMin = radii.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double rMax = radii.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    List<JFreeChart> panels = new ArrayList<>();
    for (int m = 0; m < models.size(); m++) {
      XYErrorRenderer r = new XYErrorRenderer();
      r.setDrawXError(false);
      r.setDefaultLinesVisible(true);
      r.setCapLength(6);
      r.setErrorStroke(new BasicStroke(1.2f));
      for (int a = 0; a < attacks.size(); a++) {
        Color c = attackColor(a);
        r.setSeriesPaint(2 * a, c);
        r.setSeriesStroke(2 * a, Charts.SOLID);
        r.setSeriesShape(2 * a, markerShape(a));
        r.setSeriesPaint(2 * a + 1, Charts.lighter(c, 0.45));
        r.setSeriesStroke(2 * a + 1, Charts.DASHED);
        r.setSeriesShape(2 * a + 1, markerShape(a));
      }
      NumberAxis y = Charts.linearAxis("flip rate (% of the top k)");
      y.setRange(0, Math.min(100, top * 1.08));
      XYPlot plot = new XYPlot(data.get(m), new RadiusAxis(radii, rMin / 1.6, rMax * 1.6), y, r);
      Charts.stylePlot(plot);
      panels.add(Charts.chart(modelName(models.get(m)) + ", " + INTERVENTION, plot));
    }
    String title = "Dose–response: flip rate against the attack radius ε, per model, with the random-sign control";
    ctx.data("dose_response", title, "fig-dose_response", csv);
    int legendRows = (2 * attacks.size() + 1) / 2;
    ctx.figure("dose_response", Charts.gridWithLegend(panels, 2, Charts.PANEL_WIDTH, Charts.PANEL_HEIGHT - 40,
        24 + 20 * legendRows), title,
        "Look for the solid line (the attack) rising above its dashed control (random ±ε signs on the same top-k "
            + "examples) as ε grows, and for attn's gap (right) exceeding relu's (left): the gap is the excess E "
            + "that C3 judges. Points are seed means with bootstrap 95% intervals (seeds, then each seed's "
            + "examples); the radius axis is logarithmic and points are offset slightly sideways per line.",
        "dose_response");
  }

  /** The excess over the control and both attn/relu ratios at every radius (attacked interventions). */
  private static void table(ReportContext ctx, InfluenceResult inf, List<Double> radii) {
    Csv csv = new Csv("intervention", "attack", "radius", "relu_excess_pct", "relu_excess_lo_pct",
        "relu_excess_hi_pct", "attn_excess_pct", "attn_excess_lo_pct", "attn_excess_hi_pct", "excess_ratio",
        "excess_ratio_lo", "excess_ratio_hi", "excess_ratio_hi_unbounded", "excess_ratio_note", "ratio", "ratio_lo",
        "ratio_hi", "ratio_hi_unbounded");
    // (intervention, attack) in the summary's order, each over the radii in the order given.
    List<String[]> pairs = new ArrayList<>();
    for (double r : radii) {
      RadiusFigures at = inf.atRadius(r);
      Map<String, Map<String, FlipRateRatio>> cells = at == null ? null
          : at.excessRatio() != null ? at.excessRatio() : at.ratio();
      if (cells != null) {
        cells.forEach((attack, byIv) -> byIv.keySet().forEach(intervention -> {
          if (pairs.stream().noneMatch(p -> p[0].equals(intervention) && p[1].equals(attack))) {
            pairs.add(new String[] {intervention, attack});
          }
        }));
      }
    }
    pairs.sort(Comparator.comparing((String[] p) -> !p[0].equals(INTERVENTION)));
    List<List<String>> rows = new ArrayList<>();
    for (String[] pair : pairs) {
      String intervention = pair[0];
      String attack = pair[1];
      for (double r : radii) {
        RadiusFigures at = inf.atRadius(r);
        if (at == null) {
          continue;
        }
        Interval re = excess(at.figures("relu", attack, intervention));
        Interval ae = excess(at.figures("attn", attack, intervention));
        FlipRateRatio er = at.excessRatio(attack, intervention);
        FlipRateRatio fr = at.ratio(attack, intervention);
        csv.row(intervention, attack, r, p100(mean(re)), p100(lo(re)), p100(hi(re)), p100(mean(ae)), p100(lo(ae)),
            p100(hi(ae)), er == null ? null : er.mean(), er == null ? null : er.lo(), er == null ? null : er.hi(),
            er == null ? null : er.hiUnbounded(), er == null ? null : er.note(), fr == null ? null : fr.mean(),
            fr == null ? null : fr.lo(), fr == null ? null : fr.hi(), fr == null ? null : fr.hiUnbounded());
        rows.add(List.of(esc(intervention + " · " + attack.toUpperCase(Locale.ROOT) + " · ε = " + Fmt.num(r)),
            Fmt.intervalPctHtml(re), Fmt.intervalPctHtml(ae), ratioHtml(er), ratioHtml(fr)));
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    StringBuilder out = ctx.html();
    out.append("<h3>Excess over the random-sign control at every radius (mean [bootstrap 95% interval])</h3>\n");
    out.append(Html.table("num", List.of("intervention · attack · radius", "relu excess E", "attn excess E",
        "excess ratio attn/relu", "flip-rate ratio attn/relu"), rows));
    out.append("<p><small>").append(esc("E = flip rate − random ±ε sign control on the same top-k examples, paired "
        + "per seed and example, in percentage points; the excess ratio is mean E of attn / mean E of relu and does "
        + "not exist when relu's mean excess is ≤ 0 (an interval end of ∞: bootstrap draws with relu's excess ≤ 0). "
        + "C3 judges these excesses (section 1).")).append("</small></p>\n");
    ctx.data("excess_by_radius", "Excess over the random-sign control and attn/relu ratios per radius (table)", null,
        csv);
    ctx.tableData("excess_by_radius");
  }

  /** Adds a point with its interval when the figure exists (percent); returns the highest value drawn. */
  private static double add(YIntervalSeries s, double x, Interval iv) {
    if (!present(iv)) {
      return 0;
    }
    double m = 100 * iv.mean();
    double lo = iv.lo() == null ? m : 100 * iv.lo();
    double hi = iv.hi() == null ? m : 100 * iv.hi();
    s.add(x, m, lo, hi);
    return Math.max(m, hi);
  }

  /** The sideways offset (a factor on the radius) of series {@code i} of {@code n}. */
  private static double dodge(int i, int n) {
    return Math.pow(10, (i - (n - 1) / 2.0) * 0.012);
  }

  private static Color attackColor(int i) {
    Color[] c = {Charts.GREEN, Charts.PURPLE, Charts.ORANGE, Charts.GREY};
    return c[i % c.length];
  }

  private static Interval excess(MalleabilityFigures f) {
    return f == null ? null : f.excess();
  }

  /** A ratio as "mean [lo, hi]" with an unbounded end as ∞, or "—" with its note when it does not exist. */
  static String ratioHtml(FlipRateRatio r) {
    if (r == null) {
      return Fmt.NONE;
    }
    if (!r.present()) {
      return Fmt.NONE + (r.note() == null ? "" : " <span class=\"ci\">(" + esc(r.note()) + ")</span>");
    }
    String lo = Boolean.TRUE.equals(r.loUnbounded()) ? "∞" : Fmt.html(r.lo());
    String hi = Boolean.TRUE.equals(r.hiUnbounded()) ? "∞" : Fmt.html(r.hi());
    return Fmt.html(r.mean()) + " <span class=\"ci\">[" + lo + ", " + hi + "]</span>";
  }

  private static Double p100(Double v) {
    return v == null ? null : 100 * v;
  }

  /** A logarithmic radius axis whose ticks are exactly the radii measured, labelled as plain numbers. */
  private static final class RadiusAxis extends LogAxis {
    private static final long serialVersionUID = 1L;
    private final List<Double> radii;

    RadiusAxis(List<Double> radii, double lo, double hi) {
      super("attack radius ε (pixels, log scale)");
      this.radii = List.copyOf(radii);
      setBase(10);
      setSmallestValue(Double.MIN_NORMAL);
      setRange(lo, hi);
      setAutoRange(false);
      Charts.styleAxis(this);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
      List ticks = new ArrayList();
      for (double r : radii) {
        ticks.add(new NumberTick(r, Fmt.num(r), TextAnchor.TOP_CENTER, TextAnchor.CENTER, 0.0));
      }
      return ticks;
    }
  }
}
