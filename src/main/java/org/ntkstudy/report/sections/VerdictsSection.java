package org.ntkstudy.report.sections;

import static org.ntkstudy.report.page.Html.esc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ntkstudy.report.page.Fmt;
import org.ntkstudy.report.page.Html;
import org.ntkstudy.report.page.ReportContext;
import org.ntkstudy.report.page.ReportData.Csv;
import org.ntkstudy.report.page.ReportSection;
import org.ntkstudy.results.StudyResult;
import org.ntkstudy.results.Verdict;
import org.ntkstudy.results.Verdicts;

/**
 * Section 1: do the paper's claims hold here? One line per claim — the verdict word as a coloured
 * badge, the verdict in plain words ({@link Verdict#sentence()}), the rule as applied with its
 * numbers, the paper's claim beside it — then C3 per intervention × attack with the radii as
 * columns, and whether the networks behind C3 learned at all. Every verdict is the study's own
 * ({@code summary.json} {@code verdicts}, SCIENCE §7); the report judges nothing.
 */
public final class VerdictsSection implements ReportSection {
  /** The radius whose transformed PGD verdict stands for C3 in the claims table (the one {@code dual} reads). */
  static final double HEADLINE_RADIUS = 0.3;

  @Override
  public String id() {
    return "verdicts";
  }

  @Override
  public String title() {
    return "Verdicts: do the paper's claims hold here?";
  }

  @Override
  public void write(ReportContext ctx) {
    StringBuilder out = ctx.html();
    StudyResult study = ctx.study();
    Verdicts verdicts = study == null ? null : study.verdicts();
    if (verdicts == null) {
      out.append(Html.note(study == null
          ? "No verdicts: this folder has no study summary.json (the study has not finished, or its parts were"
              + " run one by one), so the paper's claims were not judged here (SCIENCE §7)."
          : "No verdicts: this study's summary.json was written before the verdicts of SCIENCE §7 existed, so"
              + " the paper's claims were not judged; run the study again with this code to judge them."));
    } else {
      lead(ctx, study);
      Learnability.warnings(ctx.influence()).forEach(w -> out.append(Html.warning(w)));
      claimsTable(ctx, verdicts);
      c3Grid(ctx, verdicts);
      everyVerdict(ctx, verdicts);
    }
    Learnability.influence(ctx);
  }

  private static void lead(ReportContext ctx, StudyResult study) {
    Map<String, String> s = study.settings() == null ? Map.of() : study.settings();
    List<String> bits = new ArrayList<>();
    bits.add("study " + study.study());
    if (ctx.dataset() != null) {
      bits.add("dataset " + ctx.dataset());
    }
    if (s.get("input-norm") != null) {
      bits.add("input normalisation " + s.get("input-norm"));
    }
    if (s.get("influence.attack-eps") != null) {
      bits.add("attack radii ε = " + s.get("influence.attack-eps"));
    }
    if (s.get("influence.seeds") != null) {
      bits.add(s.get("influence.seeds") + " seeds for the influence networks");
    }
    ctx.html().append("<p class=\"verdictlead\">").append(esc("Each claim judged by the study from its own numbers"
        + " by the rules of SCIENCE §7 (" + String.join(", ", bits) + "). Green: the claim holds (C3: attention is"
        + " more malleable); red: it fails or is reversed; amber: confounded (a network at chance, or no attack"
        + " beats random noise); grey: the numbers cannot decide."))
        .append("</p>\n");
  }

  /** One row per claim: C1, C2 per model, C3 at transformed · PGD · ε = 0.3, C4, dual. */
  private static void claimsTable(ReportContext ctx, Verdicts verdicts) {
    Map<String, Verdict> byKey = verdicts.byKey();
    String c3Key = c3HeadlineKey(verdicts);
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, Verdict> e : byKey.entrySet()) {
      String key = e.getKey();
      if (key.startsWith("C3.") && !key.equals(c3Key)) {
        continue;
      }
      Verdict v = e.getValue();
      String words = esc(plainWords(v)) + "<span class=\"rule\">Rule as applied: " + esc(v.rule()) + "</span>";
      if (key.equals(c3Key)) {
        words += "<span class=\"rule\">Every intervention, attack and radius: the C3 table below.</span>";
      }
      rows.add(List.of("<span id=\"verdict-" + esc(key.replace('.', '-')) + "\">" + esc(claimName(key)) + "</span>",
          "<span class=\"paper\">" + esc(paperClaim(key)) + "</span>", Html.badge(v.verdict()), words));
    }
    ctx.html().append(Html.table("verdicts", List.of("claim", "the paper says", "verdict", "here, in plain words"),
        rows));
  }

  /** C3 per intervention × attack (rows) and radius (columns): the badge and the excesses behind it. */
  private static void c3Grid(ReportContext ctx, Verdicts verdicts) {
    StringBuilder out = ctx.html();
    Map<String, Map<String, Map<Double, Verdict>>> c3 = verdicts.c3();
    out.append("<h3>C3 — attention more malleable than ReLU (the paper: 6–9×, v2: 2–9×), per intervention, attack"
        + " and radius</h3>\n");
    if (c3.isEmpty()) {
      out.append(Html.note("No C3 verdicts: the study has no influence part with both relu and attn at some radius"
          + " (curated attacks nothing and has no verdict)."));
      return;
    }
    List<Double> radii = new ArrayList<>();
    c3.values().forEach(byAttack -> byAttack.values().forEach(byRadius -> byRadius.keySet().forEach(r -> {
      if (!radii.contains(r)) {
        radii.add(r);
      }
    })));
    List<String> head = new ArrayList<>(List.of("intervention · attack"));
    radii.forEach(r -> head.add("ε = " + Fmt.num(r)));
    List<List<String>> rows = new ArrayList<>();
    c3.forEach((intervention, byAttack) -> byAttack.forEach((attack, byRadius) -> {
      List<String> row = new ArrayList<>();
      row.add(esc(intervention + " · " + attack.toUpperCase(Locale.ROOT)));
      for (double r : radii) {
        Verdict v = byRadius.get(r);
        row.add(v == null ? Fmt.NONE : "<span title=\"" + esc(v.sentence()) + "\">" + Html.badge(v.verdict())
            + "</span>" + c3Numbers(v.evidence()));
      }
      rows.add(row);
    }));
    out.append(Html.table("c3", head, rows));
    out.append("<p><small>").append(esc("Excess E = flip rate − the random ±ε sign control's flip rate on the same"
        + " top-k examples (mean over seeds, percentage points, [bootstrap 95% interval]); ratio = mean E of attn /"
        + " mean E of relu, shown only where relu's mean excess is above 0. The flip rates against the radius: the"
        + " dose–response figure of the malleability section.")).append("</small></p>\n");
  }

  /** The numbers behind one C3 verdict, from its evidence: the excesses, the ratio, a network at chance. */
  private static String c3Numbers(Map<String, Object> ev) {
    StringBuilder b = new StringBuilder();
    for (String m : List.of("attn", "relu")) {
      b.append("<span class=\"nums\">").append(m).append(" E ")
          .append(Fmt.intervalPctHtml(d(ev, m + "_excess"), d(ev, m + "_excess_lo"), d(ev, m + "_excess_hi")));
      if (Boolean.TRUE.equals(ev.get(m + "_at_chance"))) {
        b.append(" · <span class=\"chance\">at chance</span>");
      }
      b.append("</span>");
    }
    Double ratio = d(ev, "excess_ratio");
    if (ratio != null) {
      Double hi = Boolean.TRUE.equals(ev.get("excess_ratio_hi_unbounded")) ? null : d(ev, "excess_ratio_hi");
      b.append("<span class=\"nums\">ratio ").append(Fmt.html(ratio)).append(" <span class=\"ci\">[")
          .append(Fmt.html(d(ev, "excess_ratio_lo"))).append(", ").append(hi == null ? "∞" : Fmt.html(hi))
          .append("]</span></span>");
    }
    return b.toString();
  }

  /** Every verdict under its key in plain words with its rule, folded; and data/verdicts.csv. */
  private static void everyVerdict(ReportContext ctx, Verdicts verdicts) {
    Csv csv = new Csv("key", "verdict", "sentence", "rule");
    List<List<String>> rows = new ArrayList<>();
    verdicts.byKey().forEach((key, v) -> {
      csv.row(key, v.verdict(), v.sentence(), v.rule());
      rows.add(List.of("<code>" + esc(key) + "</code>", Html.badge(v.verdict()),
          esc(plainWords(v)) + "<span class=\"rule\">Rule as applied: " + esc(v.rule()) + "</span>"));
    });
    StringBuilder out = ctx.html();
    out.append("<details><summary>All ").append(rows.size()).append(" verdicts in plain words, with their rules"
        + " (summary.json <code>verdicts</code>)</summary>\n");
    out.append(Html.table("verdicts", List.of("key", "verdict", "in plain words"), rows));
    out.append("</details>\n");
    ctx.data("verdicts", "The study's verdicts on the paper's claims (SCIENCE §7), in plain words", null, csv);
    ctx.tableData("verdicts");
  }

  /**
   * The key of the C3 verdict the claims table shows: transformed · PGD at ε = 0.3 (the one
   * {@code dual} reads) when the study has it, else the first C3 verdict; null without any.
   */
  static String c3HeadlineKey(Verdicts verdicts) {
    if (verdicts.c3("transformed", "pgd", HEADLINE_RADIUS) != null) {
      return "C3.transformed.pgd." + HEADLINE_RADIUS;
    }
    return verdicts.byKey().keySet().stream().filter(k -> k.startsWith("C3.")).findFirst().orElse(null);
  }

  /** The sentence without its leading verdict word (the badge shows it). */
  static String plainWords(Verdict v) {
    String s = v.sentence();
    String prefix = v.verdict() + ": ";
    return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
  }

  /** A claim's name on the page, from its §7 key. */
  static String claimName(String key) {
    if (key.startsWith("C3.")) {
      String[] p = key.split("\\.", 4);
      return "C3 · malleability (" + p[1] + ", " + p[2].toUpperCase(Locale.ROOT) + ", ε = " + p[3] + ")";
    }
    return switch (key) {
      case "C1" -> "C1 · spectral amplification";
      case "C2.attn" -> "C2 · attn: width needed";
      case "C2.relu" -> "C2 · relu: width needed (contrast)";
      case "C4" -> "C4 · approximation";
      case "dual" -> "dual implication";
      default -> key;
    };
  }

  /** What the paper claims, in a few words, beside each verdict. */
  static String paperClaim(String key) {
    if (key.startsWith("C3.")) {
      return "attention's influence is 6–9× more malleable than ReLU's (v2: 2–9×)";
    }
    return switch (key) {
      case "C1" -> "linearized attention cubes the condition number: κ(X̃X̃ᵀ) ≈ κ(G)³ (the G³ kernel)";
      case "C2.attn" -> "attention's NTK needs width ∝ κ⁶ to converge: not reached at practical widths";
      case "C2.relu" -> "not a claim: the same rule for the 2L-ReLU network, for contrast";
      case "C4" -> "attention approximates better (lower test error)";
      case "dual" -> "both at once: attention approximates better and is more malleable";
      default -> "";
    };
  }

  private static Double d(Map<String, Object> ev, String key) {
    return ev.get(key) instanceof Number n ? n.doubleValue() : null;
  }
}
