package org.ntkstudy.report.sections;

import static org.ntkstudy.report.page.Html.esc;
import static org.ntkstudy.report.page.ReportContext.modelName;
import static org.ntkstudy.report.page.ReportContext.orderModels;
import static org.ntkstudy.report.page.ReportData.at;
import static org.ntkstudy.report.page.ReportData.list;
import static org.ntkstudy.report.page.ReportData.map;
import static org.ntkstudy.report.page.ReportData.num;
import static org.ntkstudy.report.page.ReportData.str;
import static org.ntkstudy.report.sections.SectionSupport.cellLabel;
import static org.ntkstudy.report.sections.SectionSupport.settingName;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import org.ntkstudy.report.page.ReportData.Iv;
import org.ntkstudy.report.page.ReportSection;

/** Section 6: influence flip rates of attn and relu with their controls, beside the paper's, and their ratio (influence part). */
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
    Map<String, Object> inf = ctx.influenceSummary();
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
        cellsRow.add(esc("this study · " + ctx.firstString("dataset") + " · " + modelName(model) + " (transformed)"));
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
      ctx.data("ratio", rt, "fig-ratio", rc);
      ctx.figure("ratio", Charts.render(Charts.chart(rt, rp), Charts.WIDTH, 440), rt,
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
}
