package org.ntkstudy.report.sections;

import static org.ntkstudy.report.page.Html.esc;
import static org.ntkstudy.report.page.ReportContext.orderModels;
import static org.ntkstudy.report.sections.SectionSupport.d;

import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.ntkstudy.report.page.Charts;
import org.ntkstudy.report.page.Fmt;
import org.ntkstudy.report.page.Html;
import org.ntkstudy.report.page.ReportContext;
import org.ntkstudy.report.page.ReportData.Csv;
import org.ntkstudy.report.page.ReportSection;
import org.ntkstudy.results.InfluenceResult;
import org.ntkstudy.results.LooAgreement;
import org.ntkstudy.results.LooSummary;

/** Section 10: transductive and retraining leave-one-out influence against the closed forms (influence part). */
public final class LooSection implements ReportSection {
  @Override
  public String id() {
    return "loo";
  }

  @Override
  public String title() {
    return "Transductive and retraining leave-one-out";
  }

  @Override
  public void write(ReportContext ctx) throws IOException {
    StringBuilder out = ctx.html();
    if (!ctx.requirePart("influence")) {
      return;
    }
    InfluenceResult inf = ctx.influence();
    if (inf.transductive() == null && inf.retrainLoo() == null) {
      out.append(Html.note("Neither the transductive LOO nor the retraining LOO was run (the influence part runs them "
          + "only for small n unless asked: --transductive, --retrain-loo)."));
      return;
    }
    out.append("<h3>Transductive LOO (attn): example i also removed from the attention context</h3>\n");
    if (inf.transductive() == null) {
      out.append(Html.note("Not run in this study."));
    } else {
      String def = inf.transductive().definition();
      if (def != null) {
        out.append(Html.p(def + "."));
      }
      out.append(looTable(List.of("attn"), List.of(inf.transductive().comparison())));
      scatter(ctx, "transductive", "influence/transductive.parquet", "influence_fixed_kernel", "influence_transductive",
          "Transductive vs fixed-kernel leave-one-out influence (attn)",
          "fixed-kernel closed form I_i (Σ over test points, margin units)",
          "transductive LOO I_i (context refitted, margin units)",
          "Look for points off the diagonal: there the fixed-kernel closed form misjudges attention's leave-one-out "
              + "influence, because removing x_i also changes the context C and every attended feature x̃.");
    }
    out.append("<h3>Retraining LOO: the network retrained without example i against the NTK closed form</h3>\n");
    if (inf.retrainLoo() == null) {
      out.append(Html.note("Not run in this study (automatic only for n ≤ 100; --retrain-loo on)."));
    } else {
      String def = inf.retrainLoo().definition();
      if (def != null) {
        out.append(Html.p(def + "."));
      }
      Map<String, LooSummary> byModel = inf.retrainLoo().models() == null ? Map.of() : inf.retrainLoo().models();
      List<String> models = orderModels(byModel.keySet());
      List<LooSummary> loos = new ArrayList<>();
      for (String model : models) {
        loos.add(byModel.get(model));
      }
      out.append(looTable(models, loos));
      scatter(ctx, "retrain_loo", "influence/retrain_loo.parquet", "influence_closed_form", "influence_retrained",
          "Retrained-network vs closed-form NTK leave-one-out influence",
          "closed-form NTK I_i (Θ_T of the full-data network, margin units)",
          "retrained network f(x_t) − f_−i(x_t), Σ over test points",
          "Look for the points hugging the diagonal: how well the network's NTK at the end of training predicts what "
              + "removing an example and retraining actually does.");
    }
  }

  private static String looTable(List<String> models, List<LooSummary> loos) {
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      LooSummary m = loos.get(i);
      String model = models.get(i);
      rows.add(List.of(esc(model + " · mean over seeds"), Fmt.intervalHtml(m.pearson()), Fmt.NONE,
          Fmt.intervalPctHtml(m.signAgreement()), Fmt.NONE, Fmt.NONE, Fmt.NONE));
      Map<String, LooAgreement> seeds = m.seeds() == null ? Map.of() : m.seeds();
      for (Map.Entry<String, LooAgreement> s : seeds.entrySet()) {
        LooAgreement v = s.getValue();
        rows.add(List.of(esc(model + " · seed " + s.getKey()), Fmt.html(v.pearson()), Fmt.html(v.spearman()),
            Fmt.pct(v.signAgreement()), Fmt.html(v.topkOverlap()), Fmt.html(v.maxAbsDifference()),
            Fmt.html(v.maxAbsDifferenceRelative())));
      }
    }
    return Html.table("num", List.of("model · seed", "Pearson r", "Spearman ρ", "sign agreement", "top-k overlap",
        "max |difference|", "max |difference| / max |I|"), rows);
  }

  private static void scatter(ReportContext ctx, String name, String rel, String xCol, String yCol, String title,
      String xLabel, String yLabel, String caption) throws IOException {
    if (!ctx.exists(rel)) {
      return;
    }
    List<Row> rows = ctx.parquet(rel).select("model", "seed", "train_index", xCol, yCol)
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
    ctx.data(name, title, "fig-" + name, csv);
    ctx.figure(name, Charts.render(Charts.chart(title, plot), 760, 640), title, caption + " The dotted line is y = x.", name);
  }
}
