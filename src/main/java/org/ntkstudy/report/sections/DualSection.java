package org.ntkstudy.report.sections;

import static org.ntkstudy.report.page.Html.esc;
import static org.ntkstudy.report.page.ReportContext.modelName;
import static org.ntkstudy.report.page.ReportContext.orderModels;
import static org.ntkstudy.report.page.ReportData.at;
import static org.ntkstudy.report.page.ReportData.bool;
import static org.ntkstudy.report.page.ReportData.map;
import static org.ntkstudy.report.page.ReportData.str;
import static org.ntkstudy.report.sections.SectionSupport.cellLabel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ntkstudy.report.page.Fmt;
import org.ntkstudy.report.page.Html;
import org.ntkstudy.report.page.ReportContext;
import org.ntkstudy.report.page.ReportData.Csv;
import org.ntkstudy.report.page.ReportData.Iv;
import org.ntkstudy.report.page.ReportSection;

/** Section 7: approximation against vulnerability, the dual-implication table (influence part). */
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
    Map<String, Object> inf = ctx.influenceSummary();
    Map<String, Object> dual = map(inf, "dual");
    Map<String, Object> table = map(dual, "table");
    if (table.isEmpty()) {
      out.append(Html.note("The influence summary has no dual-implication table."));
      return;
    }
    List<String> models = orderModels(table.keySet());
    // Quantities in the first model's order, vulnerability flattened.
    List<String> quantities = new ArrayList<>();
    for (String model : models) {
      for (Map.Entry<String, Object> e : map(table, model).entrySet()) {
        if (e.getKey().equals("vulnerability")) {
          for (String v : map(e.getValue()).keySet()) {
            if (!quantities.contains("vulnerability." + v)) {
              quantities.add("vulnerability." + v);
            }
          }
        } else if (!quantities.contains(e.getKey())) {
          quantities.add(e.getKey());
        }
      }
    }
    Csv csv = new Csv("quantity", "model", "mean", "lo", "hi", "seeds");
    List<List<String>> rows = new ArrayList<>();
    for (String q : quantities) {
      List<String> row = new ArrayList<>();
      row.add(esc(quantityName(q)));
      for (String model : models) {
        Object v = q.startsWith("vulnerability.") ? at(table, model, "vulnerability", q.substring(14)) : at(table, model, q);
        Iv iv = Iv.of(v);
        csv.row(q, model, iv.mean(), iv.lo(), iv.hi(), iv.seeds());
        boolean pct = q.contains("flip_rate") || q.contains("accuracy");
        row.add(pct ? iv.pctHtml() : iv.html());
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
    Boolean ab = bool(dual, "attn_approximates_better");
    Boolean am = bool(dual, "attn_more_malleable");
    out.append("<p>Attention approximates better: ").append(yesNo(ab)).append(" · attention more malleable: ")
        .append(yesNo(am)).append(" · both hold: ").append(yesNo(ab == null || am == null ? null : ab && am))
        .append("</p>\n");
    String statement = str(dual, "statement");
    out.append("<p class=\"statement\">").append(esc(statement == null ? "No statement in the summary." : statement))
        .append("</p>\n");
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
