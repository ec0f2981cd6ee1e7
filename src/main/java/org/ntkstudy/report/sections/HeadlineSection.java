package org.ntkstudy.report.sections;

import static org.ntkstudy.report.page.Html.esc;
import static org.ntkstudy.report.page.ReportData.at;
import static org.ntkstudy.report.page.ReportData.list;
import static org.ntkstudy.report.page.ReportData.map;
import static org.ntkstudy.report.page.ReportData.num;
import static org.ntkstudy.report.page.ReportData.str;
import static org.ntkstudy.report.sections.SectionSupport.kValues;
import static org.ntkstudy.report.sections.SectionSupport.kappaDStatus;
import static org.ntkstudy.report.sections.SectionSupport.settingName;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ntkstudy.report.page.Fmt;
import org.ntkstudy.report.page.ReportContext;
import org.ntkstudy.report.page.ReportData.Iv;
import org.ntkstudy.report.page.ReportSection;

/** Section 1: the study's findings in a few lines, each read from the part that measured it. */
public final class HeadlineSection implements ReportSection {
  @Override
  public String id() {
    return "headline";
  }

  @Override
  public String title() {
    return "Headline";
  }

  @Override
  public void write(ReportContext ctx) {
    StringBuilder out = ctx.html();
    Map<String, Map<String, Object>> summaries = ctx.summaries();
    Map<String, String> absent = ctx.absent();
    List<String> items = new ArrayList<>();
    // Dataset and sizes.
    String dataset = ctx.firstString("dataset");
    StringBuilder ds = new StringBuilder("Dataset <b>").append(esc(dataset == null ? "unknown" : dataset))
        .append("</b>; training examples n per part: ");
    List<String> sizes = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> e : summaries.entrySet()) {
      Double n = num(e.getValue(), "n");
      String classes = str(e.getValue(), "provenance", "config", "classes");
      sizes.add(esc(e.getKey()) + " " + Fmt.html(n) + (classes == null ? "" : " (classes " + esc(classes) + ")"));
    }
    ds.append(sizes.isEmpty() ? "—" : String.join(", ", sizes));
    Double d = num(ctx.spectrumSummary(), "d");
    if (d != null) {
      ds.append("; d = ").append(Fmt.html(d)).append(" pixels");
    }
    ds.append('.');
    items.add(ds.toString());

    // κ amplification.
    Map<String, Object> sp = ctx.spectrumSummary();
    if (sp != null) {
      List<Double> exps = new ArrayList<>();
      List<Integer> ks = new ArrayList<>();
      for (int k : kValues(sp)) {
        Double e = num(sp, "kappa_" + k + "_attn_exponent");
        if (e != null) {
          exps.add(e);
          ks.add(k);
        }
      }
      StringBuilder b = new StringBuilder("κ amplification: ");
      if (exps.isEmpty()) {
        b.append("no exponent could be computed (κ_k null for every k).");
      } else {
        double lo = exps.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double hi = exps.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        b.append("κ_k(X̃X̃ᵀ) = κ_k(G)<sup><i>e</i></sup> with <i>e</i> = ").append(Fmt.html(lo));
        if (hi - lo > 5e-4) {
          b.append("–").append(Fmt.html(hi));
        }
        b.append(" over k = ").append(esc(joinInts(ks))).append(" (3 is exact cubing)");
        int k = ks.contains(10) ? 10 : ks.get(ks.size() - 1);
        Double g = num(sp, "kappa_" + k + "_G");
        Double a = num(sp, "kappa_" + k + "_attn");
        b.append("; at k = ").append(k).append(": κ(G) = ").append(Fmt.html(g)).append(", κ(G)³ = ")
            .append(Fmt.html(g == null ? null : g * g * g)).append(", κ(X̃X̃ᵀ) = ").append(Fmt.html(a)).append('.');
      }
      Double v1 = num(sp, "log10_m_star_v1");
      Double v2 = num(sp, "log10_m_star_v2");
      b.append(" Theory widths for G: m*<sub>v1</sub> = ").append(Fmt.pow10Html(v1)).append(", m*<sub>v2</sub> = ")
          .append(v2 == null ? "— (κ_d undefined: " + esc(kappaDStatus(sp)) + ")" : Fmt.pow10Html(v2)).append('.');
      items.add(b.toString());
    } else {
      items.add(esc("κ amplification: " + absent.get("spectrum") + "."));
    }

    // Width fits.
    Map<String, Object> sw = ctx.sweepSummary();
    if (sw != null) {
      StringBuilder b = new StringBuilder("Convergence of Θ<sub>m</sub> to H∞ (OLS of log e<sub>F</sub> on log m, widths ≥ ")
          .append(Fmt.html(num(sw, "fit_min_width"))).append("): ");
      List<String> per = new ArrayList<>();
      for (String model : map(sw, "fits").keySet()) {
        Map<String, Object> f = map(sw, "fits", model, "e_F");
        Double slope = num(f, "slope");
        Double mHat = num(f, "m_hat");
        Double lm = num(f, "log10_m_hat");
        String reach = mHat != null ? (lm != null && lm >= 6 ? Fmt.pow10Html(lm) : Fmt.html(mHat))
            : lm != null ? Fmt.pow10Html(lm) : "never (the fit does not fall)";
        per.add("<b>" + esc(model) + "</b> e<sub>F</sub> ∝ m<sup>" + Fmt.html(slope) + "</sup> (± "
            + Fmt.html(num(f, "slope_se")) + "), reaching ε = " + Fmt.html(num(sw, "eps")) + " at m̂ ≈ " + reach
            + " vs theory m*<sub>v1</sub> = " + Fmt.pow10Html(num(sw, "thresholds", model, "log10_m_star_v1")));
      }
      b.append(per.isEmpty() ? "no fits." : String.join("; ", per) + ".");
      items.add(b.toString());
    } else {
      items.add(esc("Width sweep: " + absent.get("sweep") + "."));
    }

    // Flip-rate ratio.
    Map<String, Object> inf = ctx.influenceSummary();
    if (inf != null) {
      String[] key = headlineRatioKey(inf);
      if (key == null) {
        items.add("Malleability: no attn/relu ratio in the influence summary.");
      } else {
        Iv r = Iv.of(at(inf, "ratio", key[0], key[1]));
        Iv fa = Iv.of(at(inf, "malleability", "attn", key[0], key[1], "flip_rate"));
        Iv fr = Iv.of(at(inf, "malleability", "relu", key[0], key[1], "flip_rate"));
        StringBuilder b = new StringBuilder("Malleability (").append(esc(key[0].toUpperCase(Locale.ROOT)))
            .append(", ").append(esc(key[1])).append(", ε = ").append(Fmt.html(num(inf, "eps"))).append("): flip rate attn ")
            .append(fa.pctHtml()).append(" vs relu ").append(fr.pctHtml()).append("; attn/relu ratio ")
            .append(r.html()).append(" (bootstrap 95% interval over seeds).");
        List<String> paper = paperRatios(inf, key[0]);
        if (!paper.isEmpty()) {
          b.append(" <span class=\"paper\">As reported by the paper (").append(esc(key[0].toUpperCase(Locale.ROOT)))
              .append("): ").append(String.join(", ", paper)).append(".</span>");
        }
        items.add(b.toString());
      }
      String statement = str(inf, "dual", "statement");
      if (statement != null) {
        items.add("Dual implication: <span class=\"statement\">" + esc(statement) + "</span>");
      }
    } else {
      items.add(esc("Malleability and the dual implication: " + absent.get("influence") + "."));
    }
    List<String> present = new ArrayList<>(summaries.keySet());
    items.add(esc("Parts present: " + (present.isEmpty() ? "none" : String.join(", ", present))
        + (absent.isEmpty() ? "." : "; missing: " + String.join(", ", absent.keySet()) + ".")));
    out.append("<div class=\"headline\"><ul>");
    for (String i : items) {
      out.append("<li>").append(i).append("</li>");
    }
    out.append("</ul></div>\n");
  }

  /** PGD/transformed when present, else the first attack with a transformed ratio, else any. */
  private static String[] headlineRatioKey(Map<String, Object> inf) {
    Map<String, Object> ratio = map(inf, "ratio");
    if (Iv.of(at(ratio, "pgd", "transformed")).present()) {
      return new String[] {"pgd", "transformed"};
    }
    for (String attack : ratio.keySet()) {
      if (Iv.of(at(ratio, attack, "transformed")).present()) {
        return new String[] {attack, "transformed"};
      }
    }
    for (String attack : ratio.keySet()) {
      for (String iv : map(ratio, attack).keySet()) {
        return new String[] {attack, iv};
      }
    }
    return null;
  }

  /** The paper's attn/relu ratio of one attack in each of its settings, computed from its flip rates. */
  private static List<String> paperRatios(Map<String, Object> inf, String attack) {
    Map<String, Object> paper = map(inf, "paper_flip_rates");
    List<?> attacks = list(paper, "attacks");
    int a = attacks.indexOf(attack);
    List<String> outList = new ArrayList<>();
    if (a < 0) {
      return outList;
    }
    for (String setting : paper.keySet()) {
      List<?> attn = list(paper, setting, "attn");
      List<?> relu = list(paper, setting, "relu");
      if (attn.size() > a && relu.size() > a) {
        Double x = num(attn.get(a));
        Double y = num(relu.get(a));
        if (x != null && y != null && y > 0) {
          outList.add(Fmt.percentValue(x) + " vs " + Fmt.percentValue(y) + " = " + Fmt.html(x / y) + "× ("
              + esc(settingName(setting)) + ")");
        }
      }
    }
    return outList;
  }

  private static String joinInts(List<Integer> ks) {
    List<String> s = new ArrayList<>();
    for (int k : ks) {
      s.add(Integer.toString(k));
    }
    return String.join(", ", s);
  }
}
