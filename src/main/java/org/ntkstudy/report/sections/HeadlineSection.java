package org.ntkstudy.report.sections;

import static org.ntkstudy.report.page.Html.esc;
import static org.ntkstudy.report.sections.SectionSupport.kappaDStatus;
import static org.ntkstudy.report.sections.SectionSupport.settingName;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ntkstudy.report.page.Fmt;
import org.ntkstudy.report.page.ReportContext;
import org.ntkstudy.report.page.ReportSection;
import org.ntkstudy.results.Fit;
import org.ntkstudy.results.FlipRateRatio;
import org.ntkstudy.results.InfluenceResult;
import org.ntkstudy.results.Interval;
import org.ntkstudy.results.PaperFlipRates;
import org.ntkstudy.results.PartResult;
import org.ntkstudy.results.ProvenanceRecord;
import org.ntkstudy.results.SpectrumResult;
import org.ntkstudy.results.SweepResult;
import org.ntkstudy.results.Thresholds;

/** Section 2: the study's findings in a few lines, each read from the part that measured it. */
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
    Map<String, PartResult> parts = ctx.parts();
    Map<String, String> absent = ctx.absent();
    List<String> items = new ArrayList<>();
    // Dataset and sizes.
    String dataset = ctx.dataset();
    StringBuilder ds = new StringBuilder("Dataset <b>").append(esc(dataset == null ? "unknown" : dataset))
        .append("</b>; training examples n per part: ");
    List<String> sizes = new ArrayList<>();
    for (Map.Entry<String, PartResult> e : parts.entrySet()) {
      ProvenanceRecord p = e.getValue().provenance();
      Object classes = p == null ? null : p.option("classes");
      sizes.add(esc(e.getKey()) + " " + Fmt.html((double) e.getValue().n())
          + (classes == null ? "" : " (classes " + esc(String.valueOf(classes)) + ")"));
    }
    ds.append(sizes.isEmpty() ? "—" : String.join(", ", sizes));
    SpectrumResult sp = ctx.spectrum();
    if (sp != null) {
      ds.append("; d = ").append(Fmt.html((double) sp.d())).append(" pixels");
    }
    ds.append('.');
    items.add(ds.toString());

    // κ amplification.
    if (sp != null) {
      List<Double> exps = new ArrayList<>();
      List<Integer> ks = new ArrayList<>();
      for (int k : sp.ks()) {
        Double e = sp.attnExponent(k);
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
        Double g = sp.kappaK(k, "G");
        Double a = sp.kappaK(k, "attn");
        b.append("; at k = ").append(k).append(": κ(G) = ").append(Fmt.html(g)).append(", κ(G)³ = ")
            .append(Fmt.html(g == null ? null : g * g * g)).append(", κ(X̃X̃ᵀ) = ").append(Fmt.html(a)).append('.');
      }
      Double v1 = sp.log10MStarV1();
      Double v2 = sp.log10MStarV2();
      b.append(" Theory widths for G: m*<sub>v1</sub> = ").append(Fmt.pow10Html(v1)).append(", m*<sub>v2</sub> = ")
          .append(v2 == null ? "— (κ_d undefined: " + esc(kappaDStatus(sp.kappaDStatus())) + ")" : Fmt.pow10Html(v2))
          .append('.');
      items.add(b.toString());
    } else {
      items.add(esc("κ amplification: " + absent.get("spectrum") + "."));
    }

    // Width fits.
    SweepResult sw = ctx.sweep();
    if (sw != null) {
      StringBuilder b = new StringBuilder("Convergence of Θ<sub>m</sub> to H∞ (OLS of log e<sub>F</sub> on log m, widths ≥ ")
          .append(Fmt.html((double) sw.fitMinWidth())).append("): ");
      List<String> per = new ArrayList<>();
      for (String model : sw.fits().keySet()) {
        Fit f = sw.fit(model, "e_F");
        Double slope = f == null ? null : f.slope();
        Double mHat = f == null ? null : f.mHat();
        Double lm = f == null ? null : f.log10MHat();
        String reach = mHat != null ? (lm != null && lm >= 6 ? Fmt.pow10Html(lm) : Fmt.html(mHat))
            : lm != null ? Fmt.pow10Html(lm) : "never (the fit does not fall)";
        Thresholds t = sw.thresholdsOf(model);
        per.add("<b>" + esc(model) + "</b> e<sub>F</sub> ∝ m<sup>" + Fmt.html(slope) + "</sup> (± "
            + Fmt.html(f == null ? null : f.slopeSe()) + "), reaching ε = " + Fmt.html(sw.eps()) + " at m̂ ≈ " + reach
            + " vs theory m*<sub>v1</sub> = " + Fmt.pow10Html(t == null ? null : t.log10MStarV1()));
      }
      b.append(per.isEmpty() ? "no fits." : String.join("; ", per) + ".");
      items.add(b.toString());
    } else {
      items.add(esc("Width sweep: " + absent.get("sweep") + "."));
    }

    // Flip-rate ratio.
    InfluenceResult inf = ctx.influence();
    if (inf != null) {
      InfluenceResult.Cell key = headlineRatioCell(inf);
      if (key == null) {
        items.add("Malleability: no attn/relu ratio in the influence summary.");
      } else {
        FlipRateRatio r = inf.ratio(key.attack(), key.intervention());
        Interval fa = inf.flipRate("attn", key.attack(), key.intervention());
        Interval fr = inf.flipRate("relu", key.attack(), key.intervention());
        StringBuilder b = new StringBuilder("Malleability (").append(esc(key.attack().toUpperCase(Locale.ROOT)))
            .append(", ").append(esc(key.intervention())).append(", ε = ").append(Fmt.html(inf.eps()))
            .append("): flip rate attn ").append(Fmt.intervalPctHtml(fa)).append(" vs relu ")
            .append(Fmt.intervalPctHtml(fr)).append("; attn/relu ratio ")
            .append(Fmt.intervalHtml(r.mean(), r.lo(), r.hi()))
            .append(" (bootstrap 95% interval over seeds).");
        List<String> paper = paperRatios(inf, key.attack());
        if (!paper.isEmpty()) {
          b.append(" <span class=\"paper\">As reported by the paper (").append(esc(key.attack().toUpperCase(Locale.ROOT)))
              .append("): ").append(String.join(", ", paper)).append(".</span>");
        }
        items.add(b.toString());
      }
      String statement = inf.dual() == null ? null : inf.dual().statement();
      if (statement != null) {
        items.add("Dual implication: <span class=\"statement\">" + esc(statement) + "</span>");
      }
    } else {
      items.add(esc("Malleability and the dual implication: " + absent.get("influence") + "."));
    }
    List<String> present = new ArrayList<>(parts.keySet());
    items.add(esc("Parts present: " + (present.isEmpty() ? "none" : String.join(", ", present))
        + (absent.isEmpty() ? "." : "; missing: " + String.join(", ", absent.keySet()) + ".")));
    out.append("<div class=\"headline\"><ul>");
    for (String i : items) {
      out.append("<li>").append(i).append("</li>");
    }
    out.append("</ul></div>\n");
  }

  /** PGD/transformed when present, else the first attack with a transformed ratio, else any. */
  private static InfluenceResult.Cell headlineRatioCell(InfluenceResult inf) {
    if (present(inf.ratio("pgd", "transformed"))) {
      return new InfluenceResult.Cell("pgd", "transformed");
    }
    List<InfluenceResult.Cell> cells = inf.ratioCells();
    for (InfluenceResult.Cell c : cells) {
      if (present(inf.ratio(c.attack(), "transformed"))) {
        return new InfluenceResult.Cell(c.attack(), "transformed");
      }
    }
    return cells.isEmpty() ? null : cells.get(0);
  }

  /** The paper's attn/relu ratio of one attack in each of its settings, computed from its flip rates. */
  private static List<String> paperRatios(InfluenceResult inf, String attack) {
    List<String> outList = new ArrayList<>();
    PaperFlipRates paper = inf.paperFlipRates();
    if (paper == null) {
      return outList;
    }
    int a = paper.attackList().indexOf(attack);
    if (a < 0) {
      return outList;
    }
    for (String setting : paper.settings().keySet()) {
      List<Double> attn = paper.rates(setting, "attn");
      List<Double> relu = paper.rates(setting, "relu");
      if (attn.size() > a && relu.size() > a) {
        Double x = attn.get(a);
        Double y = relu.get(a);
        if (x != null && y != null && y > 0) {
          outList.add(Fmt.percentValue(x) + " vs " + Fmt.percentValue(y) + " = " + Fmt.html(x / y) + "× ("
              + esc(settingName(setting)) + ")");
        }
      }
    }
    return outList;
  }

  /** Whether the summary has the ratio and it exists. */
  private static boolean present(FlipRateRatio r) {
    return r != null && r.present();
  }

  private static String joinInts(List<Integer> ks) {
    List<String> s = new ArrayList<>();
    for (int k : ks) {
      s.add(Integer.toString(k));
    }
    return String.join(", ", s);
  }
}
