package org.ntkstudy.report.sections;

import static org.ntkstudy.report.page.Html.esc;
import static org.ntkstudy.report.page.ReportContext.modelName;
import static org.ntkstudy.report.page.ReportContext.orderModels;
import static org.ntkstudy.report.sections.SectionSupport.hi;
import static org.ntkstudy.report.sections.SectionSupport.lo;
import static org.ntkstudy.report.sections.SectionSupport.mean;
import static org.ntkstudy.report.sections.SectionSupport.seeds;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ntkstudy.report.page.Fmt;
import org.ntkstudy.report.page.Html;
import org.ntkstudy.report.page.ReportContext;
import org.ntkstudy.report.page.ReportData.Csv;
import org.ntkstudy.results.ChanceLevel;
import org.ntkstudy.results.Collapse;
import org.ntkstudy.results.DualRow;
import org.ntkstudy.results.InfluenceResult;
import org.ntkstudy.results.TrainResult;

/**
 * Whether the networks learned at all and whether the attended features collapsed (SCIENCE §6), as
 * the parts recorded it: each model's seed-mean test accuracy beside the chance rate and the
 * at-chance threshold, and the collapse diagnostics with their warning. Shared by the verdicts
 * section (the influence part's networks, which decide C3) and the training section.
 */
final class Learnability {
  private Learnability() {}

  /**
   * The influence part's networks against the chance level, and the collapse diagnostics of every
   * part that recorded them; {@code data/learnability.csv} and {@code data/collapse.csv}.
   */
  static void influence(ReportContext ctx) {
    StringBuilder out = ctx.html();
    InfluenceResult inf = ctx.influence();
    out.append("<h3>Did the networks behind C3 learn? (SCIENCE §6)</h3>\n");
    if (inf == null) {
      out.append(Html.note("Not available: " + ctx.absent().getOrDefault("influence", "no influence part") + "."));
      return;
    }
    ChanceLevel chance = inf.chance();
    List<String> models = orderModels(inf.dual() == null ? List.of() : inf.dual().models());
    if (chance == null || models.isEmpty()) {
      out.append(Html.note("The influence summary records no chance level or no trained networks' accuracy"
          + " (written before SCIENCE §6's at-chance rule): whether its networks learned is not known here."));
    } else {
      Csv csv = new Csv("model", "test_accuracy", "test_accuracy_lo", "test_accuracy_hi", "seeds", "chance",
          "threshold", "at_chance");
      List<List<String>> rows = new ArrayList<>();
      for (String model : models) {
        DualRow row = inf.dual().row(model);
        var acc = row == null ? null : row.netTestAccuracy();
        Boolean at = mean(acc) == null ? null : chance.atChance(acc.mean());
        csv.row(model, mean(acc), lo(acc), hi(acc), seeds(acc), chance.chance(), chance.threshold(), at);
        rows.add(List.of(esc(modelName(model)), Fmt.intervalPctHtml(acc), Fmt.pct(chance.chance()),
            "≤ " + Fmt.pct(chance.threshold()), status(at)));
      }
      out.append(Html.p("The influence part's trained networks (seed-mean test accuracy [95% interval over seeds]) "
          + "beside the chance rate c = the largest class share of the " + chance.nTest() + " test examples; a model "
          + "is at chance when its seed-mean accuracy ≤ c + max(0.02, 2·√(c(1−c)/n*)). A network at chance makes "
          + "C3 confounded."));
      out.append(Html.table("num", List.of("model", "test accuracy", "chance c", "at chance when", "learned?"), rows));
      ctx.data("learnability", "The influence networks' test accuracy against the chance level (table)", null, csv);
      ctx.tableData("learnability");
    }
    Csv collapse = new Csv("part", "top_share", "mean_alignment", "min_cosine", "rows", "warning");
    TrainResult tr = ctx.train();
    if (tr != null && tr.collapse() != null) {
      collapseRow(collapse, "train", tr.collapse());
    }
    if (inf.collapse() != null) {
      collapseRow(collapse, "influence", inf.collapse());
      collapse(ctx, "the influence part", inf.collapse());
    } else {
      out.append(Html.p("Collapse diagnostics: not recorded by the influence summary."));
    }
    if (collapse.rows() > 0) {
      ctx.data("collapse", "Collapse diagnostics of the attended features per part (table)", null, collapse);
      ctx.tableData("collapse");
    }
  }

  /**
   * The influence part's caveats in one line each, for the top of the verdicts: each network at
   * chance and the collapse warning (empty when there are none or the summary does not record them).
   */
  static List<String> warnings(InfluenceResult inf) {
    List<String> out = new ArrayList<>();
    if (inf == null) {
      return out;
    }
    ChanceLevel chance = inf.chance();
    if (chance != null && inf.dual() != null) {
      for (String model : orderModels(inf.dual().models())) {
        DualRow row = inf.dual().row(model);
        Double acc = row == null ? null : mean(row.netTestAccuracy());
        if (acc != null && chance.atChance(acc)) {
          out.add("The " + model + " network is at chance: seed-mean test accuracy " + Fmt.pct(acc) + " ≤ "
              + Fmt.pct(chance.threshold()) + " (chance " + Fmt.pct(chance.chance()) + "): a network at chance"
              + " makes C3 confounded by SCIENCE §7.");
        }
      }
    }
    if (inf.collapse() != null && inf.collapse().warning() != null) {
      out.add("In the influence part, " + inf.collapse().warning() + ".");
    }
    return out;
  }

  /** One line of collapse diagnostics, and the part's warning when it has one. */
  static void collapse(ReportContext ctx, String where, Collapse c) {
    StringBuilder out = ctx.html();
    out.append(Html.p("Collapse diagnostics of attn's attended features x̃ (" + where + "): C's top eigenvalue "
        + "holds " + Fmt.pct(c.topShare()) + " of its trace; mean |x̃·v1| = " + fixed(c.meanAlignment(), 4)
        + "; smallest pairwise cosine of the x̃ " + fixed(c.minCosine(), 3) + " (over the first " + c.rows()
        + " training rows)."));
    String warning = c.warning();
    if (warning != null) {
      out.append(Html.warning("Warning (" + where + "): " + warning + "."));
    }
  }

  /**
   * The training grid's chance level and collapse diagnostics, above its accuracy table; {@code
   * data/train_chance.csv} lists each group's at-chance flag as the train summary recorded it.
   */
  static void train(ReportContext ctx, TrainResult tr) {
    ChanceLevel chance = tr.chance();
    if (chance == null) {
      ctx.html().append(Html.p("The train summary records no chance level (written before SCIENCE §6's at-chance "
          + "rule): no group is marked at chance."));
    } else {
      ctx.html().append(Html.p("Chance rate c = " + Fmt.pct(chance.chance()) + " (the largest class share of the "
          + chance.nTest() + " test examples); a group is at chance when its seed-mean test accuracy ≤ "
          + Fmt.pct(chance.threshold()) + " = c + max(0.02, 2·√(c(1−c)/n*)), as the train summary records it."));
    }
    if (tr.collapse() != null) {
      collapse(ctx, "the training grid", tr.collapse());
    }
  }

  /** A group's at-chance cell: "at chance" in red, "learned" in green, "—" when not recorded. */
  static String status(Boolean atChance) {
    if (atChance == null) {
      return Fmt.NONE;
    }
    return atChance ? "<span class=\"chance\">at chance</span>" : "<span class=\"learned\">above chance</span>";
  }

  private static void collapseRow(Csv csv, String part, Collapse c) {
    csv.row(part, c.topShare(), c.meanAlignment(), c.minCosine(), c.rows(), c.warning());
  }

  private static String fixed(Double v, int decimals) {
    return v == null || !Double.isFinite(v) ? Fmt.NONE
        : String.format(Locale.ROOT, "%." + decimals + "f", v).replace("-", "−");
  }
}
