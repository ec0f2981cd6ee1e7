package org.ntkstudy.report.sections;

import static org.ntkstudy.report.page.Html.esc;
import static org.ntkstudy.report.page.ReportContext.modelName;
import static org.ntkstudy.report.page.ReportContext.orderModels;
import static org.ntkstudy.report.sections.SectionSupport.cellLabel;

import java.util.ArrayList;
import java.util.List;
import org.ntkstudy.report.page.Fmt;
import org.ntkstudy.report.page.Html;
import org.ntkstudy.report.page.ReportContext;
import org.ntkstudy.report.page.ReportData.Csv;
import org.ntkstudy.report.page.ReportSection;
import org.ntkstudy.results.DualRow;
import org.ntkstudy.results.DualTable;
import org.ntkstudy.results.Interval;

/** Section 8: approximation against vulnerability, the dual-implication table (influence part). */
public final class DualSection implements ReportSection {
  @Override
  public String id() {
    return "dual";
  }

  @Override
  public String title() {
    return "The dual implication";
  }

  @Override
  public void write(ReportContext ctx) {
    StringBuilder out = ctx.html();
    if (!ctx.requirePart("influence")) {
      return;
    }
    DualTable dual = ctx.influence().dual();
    if (dual == null || dual.models().isEmpty()) {
      out.append(Html.note("The influence summary has no dual-implication table."));
      return;
    }
    List<String> models = orderModels(dual.models());
    List<String> quantities = quantities(dual, models);
    Csv csv = new Csv("quantity", "model", "mean", "lo", "hi", "seeds");
    List<List<String>> rows = new ArrayList<>();
    for (String q : quantities) {
      List<String> row = new ArrayList<>();
      row.add(esc(quantityName(q)));
      for (String model : models) {
        // A network figure is an interval over seeds; a kernel-ridge figure one number (no interval, no seeds).
        DualRow r = dual.row(model);
        Interval iv = r == null ? null : r.interval(q);
        Double mean = iv != null ? iv.mean() : r == null ? null : r.number(q);
        Double lo = iv == null ? null : iv.lo();
        Double hi = iv == null ? null : iv.hi();
        csv.row(q, model, mean, lo, hi, iv == null ? null : iv.seeds());
        boolean pct = q.contains("flip_rate") || q.contains("accuracy");
        row.add(pct ? Fmt.intervalPctHtml(mean, lo, hi) : Fmt.intervalHtml(mean, lo, hi));
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
    ctx.data("dual", "The dual-implication table (approximation vs vulnerability)", null, csv);
    ctx.tableData("dual");
    Boolean ab = dual.attnApproximatesBetter();
    Boolean am = dual.attnMoreMalleable();
    out.append("<p>Attention approximates better: ").append(yesNo(ab)).append(" · attention more malleable: ")
        .append(yesNo(am)).append(" · both hold: ").append(yesNo(ab == null || am == null ? null : ab && am))
        .append("</p>\n");
    String statement = dual.statement();
    out.append("<p class=\"statement\">").append(esc(statement == null ? "No statement in the summary." : statement))
        .append("</p>\n");
  }

  /** The rows' quantities in the models' order (relu's first, then attn's), each once, vulnerability flattened. */
  private static List<String> quantities(DualTable dual, List<String> models) {
    List<String> quantities = new ArrayList<>();
    for (String model : models) {
      DualRow r = dual.row(model);
      for (String q : r == null ? List.<String>of() : r.quantities()) {
        if (!quantities.contains(q)) {
          quantities.add(q);
        }
      }
    }
    return quantities;
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
}
