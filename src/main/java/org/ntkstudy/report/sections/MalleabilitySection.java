package org.ntkstudy.report.sections;

import static org.ntkstudy.report.page.Html.esc;
import static org.ntkstudy.report.page.ReportContext.modelName;
import static org.ntkstudy.report.page.ReportContext.orderModels;
import static org.ntkstudy.report.sections.SectionSupport.cellLabel;
import static org.ntkstudy.report.sections.SectionSupport.hi;
import static org.ntkstudy.report.sections.SectionSupport.lo;
import static org.ntkstudy.report.sections.SectionSupport.mean;
import static org.ntkstudy.report.sections.SectionSupport.present;
import static org.ntkstudy.report.sections.SectionSupport.seeds;
import static org.ntkstudy.report.sections.SectionSupport.settingName;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.ntkstudy.report.page.Charts;
import org.ntkstudy.report.page.Fmt;
import org.ntkstudy.report.page.Html;
import org.ntkstudy.report.page.ReportContext;
import org.ntkstudy.report.page.ReportData.Csv;
import org.ntkstudy.report.page.ReportSection;
import org.ntkstudy.results.FlipRateRatio;
import org.ntkstudy.results.InfluenceResult;
import org.ntkstudy.results.Interval;
import org.ntkstudy.results.MalleabilityFigures;
import org.ntkstudy.results.PaperFlipRates;

/**
 * Section 7: influence flip rates of attn and relu with their controls, beside the paper's, and their ratio at the
 * first radius; then along the radius axis, the dose–response figure and the excesses ({@link DoseResponse}).
 */
public final class MalleabilitySection implements ReportSection {
  @Override
  public String id() {
    return "malleability";
  }

  @Override
  public String title() {
    return "Influence malleability: flip rates";
  }

  @Override
  public void write(ReportContext ctx) {
    StringBuilder out = ctx.html();
    if (!ctx.requirePart("influence")) {
      return;
    }
    InfluenceResult inf = ctx.influence();
    List<String> models = orderModels(inf.models());
    // Cells in the summary's order: (attack, intervention).
    List<String[]> cells = new ArrayList<>();
    for (String model : models) {
      for (InfluenceResult.Cell cell : inf.cells(model)) {
        if (cells.stream().noneMatch(c -> c[0].equals(cell.attack()) && c[1].equals(cell.intervention()))) {
          cells.add(new String[] {cell.attack(), cell.intervention()});
        }
      }
    }
    if (cells.isEmpty()) {
      out.append(Html.note("The influence summary has no malleability cells."));
      return;
    }
    out.append(Html.p("k = " + Fmt.num((double) inf.k()) + " top training examples (τ = " + Fmt.num(inf.tau())
        + ", n = " + Fmt.num((double) inf.n()) + "), attack radius ε = " + Fmt.num(inf.eps()) + " in pixels, kernel "
        + inf.kernel() + ", influence target " + inf.influenceTarget() + ", λ_ridge = "
        + Fmt.num(inf.lambda()) + (inf.factorisation() == null ? "" : "; K + λI factorised by "
        + inf.factorisation()) + "."));
    Csv csv = new Csv("model", "attack", "intervention", "flip_rate_pct", "flip_rate_lo_pct", "flip_rate_hi_pct",
        "control_random_pct", "control_random_lo_pct", "control_random_hi_pct", "control_noise_floor_pct",
        "control_noise_floor_lo_pct", "control_noise_floor_hi_pct", "seeds");
    DefaultCategoryDataset ds = new DefaultCategoryDataset();
    Charts.WhiskerBarRenderer r = new Charts.WhiskerBarRenderer();
    String[] kinds = {"flip rate", "control: random ±ε signs", "control: noise floor (other seed, no attack)"};
    List<Function<MalleabilityFigures, Interval>> kindFigures = List.of(MalleabilityFigures::flipRate,
        MalleabilityFigures::controlRandom, MalleabilityFigures::controlNoiseFloor);
    double top = 0;
    double topMean = 0;
    int row = 0;
    for (String model : models) {
      for (int k = 0; k < kinds.length; k++) {
        String series = model + " " + kinds[k];
        for (int c = 0; c < cells.size(); c++) {
          MalleabilityFigures m = inf.figures(model, cells.get(c)[0], cells.get(c)[1]);
          Interval iv = m == null ? null : kindFigures.get(k).apply(m);
          String cat = cellLabel(cells.get(c));
          ds.addValue(mean(iv) == null ? null : 100 * iv.mean(), series, cat);
          if (present(iv)) {
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
        MalleabilityFigures m = inf.figures(model, cell[0], cell[1]);
        Interval f = m == null ? null : m.flipRate();
        Interval cr = m == null ? null : m.controlRandom();
        Interval cn = m == null ? null : m.controlNoiseFloor();
        csv.row(model, cell[0], cell[1], p100(mean(f)), p100(lo(f)), p100(hi(f)), p100(mean(cr)), p100(lo(cr)),
            p100(hi(cr)), p100(mean(cn)), p100(lo(cn)), p100(hi(cn)), seeds(f));
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
    ctx.data("flip_rates", title, "fig-flip_rates", csv);
    ctx.figure("flip_rates", Charts.render(Charts.chart(title, plot), Charts.WIDTH, Charts.HEIGHT + 60), title,
        "Look for the attn bars (orange) standing above the relu bars (blue) and both above their own controls "
            + "(lighter bars: random ±ε signs on the same examples, and the sign changes between two seeds without "
            + "an attack); whiskers are 95% intervals over seeds, cut at the axis. Curated removes the top k "
            + "(no attack, no random control) and counts flips among the next k.",
        "flip_rates");

    // Full metrics table.
    List<List<String>> rows = new ArrayList<>();
    for (String model : models) {
      for (String[] cell : cells) {
        MalleabilityFigures m = inf.figures(model, cell[0], cell[1]);
        if (m == null) {
          continue;
        }
        rows.add(List.of(esc(model + " · " + cellLabel(cell)), Fmt.intervalPctHtml(m.flipRate()),
            Fmt.intervalHtml(m.spearman()), Fmt.intervalHtml(m.topkOverlap()),
            Fmt.intervalPctHtml(m.controlRandom()), Fmt.intervalPctHtml(m.controlNoiseFloor()),
            Fmt.html(m.flipRate() == null ? null : (double) m.flipRate().seeds())));
      }
    }
    out.append("<h3>Malleability figures (mean [95% interval] over seeds)</h3>\n");
    out.append(Html.table("num", List.of("model · attack · intervention", "flip rate", "Spearman ρ before/after",
        "top-k overlap", "control: random signs", "control: noise floor", "seeds"), rows));

    // Paper comparison.
    PaperFlipRates paper = inf.paperFlipRates();
    List<String> attacks = paper == null ? List.of() : paper.attackList();
    if (paper != null && !attacks.isEmpty()) {
      out.append("<h3>Flip rates: ours beside the paper's (<span class=\"paper\">as reported by the paper</span>, "
          + "percent)</h3>\n");
      List<String> head = new ArrayList<>(List.of("source · setting · model"));
      for (String a : attacks) {
        head.add(a.toUpperCase(Locale.ROOT));
      }
      head.add("attn/relu (" + attacks.get(Math.min(1, attacks.size() - 1)).toUpperCase(Locale.ROOT) + ")");
      List<List<String>> prow = new ArrayList<>();
      int ratioCol = Math.min(1, attacks.size() - 1);
      for (String setting : paper.settings().keySet()) {
        for (String model : List.of("relu", "attn")) {
          List<Double> v = paper.rates(setting, model);
          if (v.isEmpty()) {
            continue;
          }
          List<String> cellsRow = new ArrayList<>();
          cellsRow.add("<span class=\"paper\">" + esc("paper (as reported) · " + settingName(setting) + " · "
              + modelName(model)) + "</span>");
          for (int a = 0; a < attacks.size(); a++) {
            cellsRow.add("<span class=\"paper\">" + (a < v.size() ? Fmt.percentValue(v.get(a)) : Fmt.NONE)
                + "</span>");
          }
          String ratio = Fmt.NONE;
          if (model.equals("attn")) {
            List<Double> relu = paper.rates(setting, "relu");
            Double x1 = ratioCol < v.size() ? v.get(ratioCol) : null;
            Double x2 = ratioCol < relu.size() ? relu.get(ratioCol) : null;
            ratio = x1 == null || x2 == null || x2 == 0 ? Fmt.NONE : Fmt.html(x1 / x2) + "×";
          }
          cellsRow.add("<span class=\"paper\">" + ratio + "</span>");
          prow.add(cellsRow);
        }
      }
      for (String model : models) {
        List<String> cellsRow = new ArrayList<>();
        cellsRow.add(esc("this study · " + ctx.dataset() + " · " + modelName(model) + " (transformed)"));
        for (String a : attacks) {
          cellsRow.add(Fmt.intervalPctHtml(inf.flipRate(model, a, "transformed")));
        }
        cellsRow.add(model.equals("attn") ? ratioHtml(inf.ratio(attacks.get(ratioCol), "transformed")) : Fmt.NONE);
        prow.add(cellsRow);
      }
      out.append(Html.table("num", head, prow));
      out.append("<p><small>").append(esc("Paper figures: " + (paper.source() == null ? "arXiv 2603.13085"
          : paper.source()) + ". They are the paper's, read from the influence summary, not recomputed here."))
          .append("</small></p>\n");
    }

    // Ratio.
    List<InfluenceResult.Cell> ratioCells = inf.ratioCells();
    if (!ratioCells.isEmpty()) {
      Csv rc = new Csv("attack", "intervention", "mean", "lo", "hi", "seeds_attn", "seeds_relu");
      DefaultCategoryDataset rds = new DefaultCategoryDataset();
      Charts.WhiskerBarRenderer rr = new Charts.WhiskerBarRenderer();
      rr.setMaximumBarWidth(0.12);
      List<List<String>> rrows = new ArrayList<>();
      int c = 0;
      double rTop = 1.2;
      for (InfluenceResult.Cell cell : ratioCells) {
        FlipRateRatio v = inf.ratio(cell.attack(), cell.intervention());
        // The seed counts as doubles: data/ratio.csv has always written them so ("2.0").
        rc.row(cell.attack(), cell.intervention(), v.mean(), v.lo(), v.hi(), (double) v.seedsAttn(),
            (double) v.seedsRelu());
        String cat = cellLabel(new String[] {cell.attack(), cell.intervention()});
        rds.addValue(v.mean(), "attn / relu flip-rate ratio", cat);
        rr.interval(0, c, v.lo(), v.hi());
        if (v.present()) {
          rTop = Math.max(rTop, v.hi() == null ? v.mean() : v.hi());
        }
        c++;
        rrows.add(List.of(esc(cat), ratioHtml(v), Fmt.html((double) v.seedsAttn()), Fmt.html((double) v.seedsRelu())));
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
      ctx.data("ratio", rt, "fig-ratio", rc);
      ctx.figure("ratio", Charts.render(Charts.chart(rt, rp), Charts.WIDTH, 440), rt,
          "Look for whiskers entirely above the dashed line at 1: only then is attention more malleable than the "
              + "ReLU network beyond seed-to-seed variation (bootstrap over seeds; a missing bar means relu never "
              + "flipped, so the ratio does not exist).",
          "ratio");
      out.append(Html.table("num", List.of("attack · intervention", "ratio [bootstrap 95% interval]", "seeds attn",
          "seeds relu"), rrows));
    }

    // Along the radius axis: the dose–response figure and the excesses per radius.
    DoseResponse.write(ctx, inf, models);
  }

  /** The ratio as "mean [lo, hi]", or "—" when the summary has none. */
  private static String ratioHtml(FlipRateRatio r) {
    return r == null ? Fmt.NONE : Fmt.intervalHtml(r.mean(), r.lo(), r.hi());
  }

  private static Double p100(Double v) {
    return v == null ? null : 100 * v;
  }
}
