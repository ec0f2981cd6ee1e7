package org.ntkstudy.report.sections;

import static org.ntkstudy.report.page.ReportContext.modelName;
import static org.ntkstudy.report.page.ReportContext.orderModels;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.report.page.Fmt;
import org.ntkstudy.report.page.Html;
import org.ntkstudy.report.page.ImageGrid;
import org.ntkstudy.report.page.ReportContext;
import org.ntkstudy.report.page.ReportData.Csv;
import org.ntkstudy.report.page.ReportSection;
import org.ntkstudy.results.InfluenceResult;
import org.ntkstudy.results.ProvenanceRecord;

/** Section 9: the top training examples' pixels before and after the attack, as image grids (influence part). */
public final class ExamplesSection implements ReportSection {
  /** Examples drawn per image grid at most. */
  public static final int MAX_TILES = 20;

  @Override
  public String id() {
    return "examples";
  }

  @Override
  public String title() {
    return "Top-τ training examples before and after the attack";
  }

  @Override
  public void write(ReportContext ctx) throws IOException {
    StringBuilder out = ctx.html();
    if (!ctx.requirePart("influence")) {
      return;
    }
    InfluenceResult inf = ctx.influence();
    String exDir = "influence/examples/";
    if (!ctx.exists(exDir)) {
      out.append(Html.note("The influence part wrote no examples/ folder."));
      return;
    }
    List<String> names = ctx.list(exDir);
    List<String> models = new ArrayList<>(orderModels(inf.models()));
    ProvenanceRecord provenance = inf.provenance();
    List<String> attacks = new ArrayList<>();
    if (provenance != null && provenance.option("attacks") instanceof List<?> configured) {
      for (Object a : configured) {
        attacks.add(String.valueOf(a));
      }
    }
    Pattern p = Pattern.compile("([A-Za-z0-9]+)_([A-Za-z0-9]+)\\.csv");
    List<String[]> pairs = new ArrayList<>();
    for (String n : names) {
      Matcher m = p.matcher(n);
      if (m.matches()) {
        if (!models.contains(m.group(1))) {
          models.add(m.group(1));
        }
        if (!attacks.contains(m.group(2))) {
          attacks.add(m.group(2));
        }
        pairs.add(new String[] {m.group(1), m.group(2)});
      }
    }
    if (pairs.isEmpty()) {
      out.append(Html.note("examples/ holds no <model>_<attack>.csv files."));
      return;
    }
    pairs.sort((a, b) -> {
      int c = Integer.compare(models.indexOf(a[0]), models.indexOf(b[0]));
      return c != 0 ? c : Integer.compare(attacks.indexOf(a[1]), attacks.indexOf(b[1]));
    });
    Double eps = inf.eps();
    int k = inf.k();
    Object seedOption = provenance == null ? null : provenance.option("seed");
    String seed = seedOption == null ? null : String.valueOf(seedOption);
    out.append(Html.p("The top-k training examples by |I_i| of the first seed" + (seed == null ? "" : " (" + seed + ")")
        + ": the pixels before the attack, after it, and the change. Each tile gives the rank, the index in the "
        + "training subset, the index in the source file, the label, and the total influence I_i before → after."));
    Map<String, Double> seedFlips = seedFlipRates(ctx, seed);
    for (String[] pair : pairs) {
      String model = pair[0];
      String attack = pair[1];
      String cleanPath = exDir + model + "_clean.npy";
      String attackedPath = exDir + model + "_" + attack + ".npy";
      if (!ctx.exists(cleanPath) || !ctx.exists(attackedPath)) {
        out.append(Html.note("examples/" + model + "_" + attack + ": the .npy pixels are missing."));
        continue;
      }
      List<ImageGrid.Example> rows = readExamples(ctx, exDir + model + "_" + attack + ".csv");
      Matrix clean = ctx.readNpy(cleanPath);
      Matrix attacked = ctx.readNpy(attackedPath);
      if (ImageGrid.Shape.of(clean.cols()) == null) {
        out.append(Html.note("examples/" + model + "_" + attack + ": " + clean.cols()
            + " pixels per row is not a square image; not drawn."));
        continue;
      }
      Csv csv = new Csv("rank", "train_index", "source_index", "label", "influence_before", "influence_after",
          "flipped");
      int shown = Math.min(MAX_TILES, Math.min(rows.size(), clean.rows()));
      for (int q = 0; q < shown; q++) {
        ImageGrid.Example e = rows.get(q);
        csv.row(e.rank(), e.trainIndex(), e.sourceIndex(), e.label(), e.before(), e.after(), e.flipped());
      }
      String title = modelName(model) + " · " + attack.toUpperCase(Locale.ROOT) + ": top " + shown + " examples by "
          + "|influence|, before and after the attack";
      BufferedImage img = ImageGrid.draw(title, clean, attacked, rows, eps == null ? 0 : eps, MAX_TILES);
      long flips = rows.stream().limit(shown).filter(ImageGrid.Example::flipped).count();
      double allFlips = rows.isEmpty() ? Double.NaN
          : (double) rows.stream().filter(ImageGrid.Example::flipped).count() / rows.size();
      String which = interventionOf(seedFlips, model, attack, allFlips);
      String name = "examples_" + model + "_" + attack;
      ctx.data(name, title, "fig-" + name, csv);
      ctx.figure(name, img, title,
          "Look for how little the pixels change (the bottom row, at most ε = " + Fmt.num(eps) + " per pixel) against "
              + "how much the influence changes: " + flips + " of the " + shown + " shown changed sign (red frames)."
              + (k > shown ? " Showing the top " + shown + " of k = " + Fmt.num((double) k) + "." : "")
              + " " + which,
          name);
    }
  }

  /** "model|attack|intervention" → flip rate of the given seed, from influence/malleability.csv. */
  private static Map<String, Double> seedFlipRates(ReportContext ctx, String seed) throws IOException {
    Map<String, Double> m = new LinkedHashMap<>();
    String csv = "influence/malleability.csv";
    if (seed == null || !ctx.exists(csv)) {
      return m;
    }
    String[] lines = ctx.readText(csv).split("\r?\n");
    List<String> head = Arrays.asList(lines[0].split(","));
    int cm = head.indexOf("model");
    int ca = head.indexOf("attack");
    int ci = head.indexOf("intervention");
    int cs = head.indexOf("seed");
    int cf = head.indexOf("flip_rate");
    if (cm < 0 || ca < 0 || ci < 0 || cs < 0 || cf < 0) {
      return m;
    }
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(",", -1);
      if (f.length > cf && f[cs].trim().equals(seed) && !f[cf].isBlank()) {
        m.put(f[cm] + "|" + f[ca] + "|" + f[ci], Double.parseDouble(f[cf]));
      }
    }
    return m;
  }

  /** Which intervention's flip rate (of the examples' seed) the examples file reproduces. */
  private static String interventionOf(Map<String, Double> seedFlips, String model, String attack, double fraction) {
    List<String> match = new ArrayList<>();
    List<String> known = new ArrayList<>();
    for (Map.Entry<String, Double> e : seedFlips.entrySet()) {
      String[] k = e.getKey().split("\\|");
      if (k[0].equals(model) && k[1].equals(attack)) {
        known.add(k[2] + " " + Fmt.pct(e.getValue()));
        if (Math.abs(e.getValue() - fraction) < 1e-9) {
          match.add(k[2]);
        }
      }
    }
    if (known.isEmpty()) {
      return "";
    }
    if (match.contains("transformed")) {
      return "These are the transformed intervention's examples (their flip rate " + Fmt.pct(fraction)
          + " is that cell's for this seed).";
    }
    if (!match.isEmpty()) {
      return "Note: the sign changes in this file (" + Fmt.pct(fraction) + " of k) reproduce the "
          + String.join("/", match) + " intervention's flip rate for this seed, not the transformed one's ("
          + String.join(", ", known) + "): the examples come from that cell.";
    }
    return "Their flip rate (" + Fmt.pct(fraction) + " of k) matches no cell of this seed (" + String.join(", ", known)
        + ").";
  }

  private static List<ImageGrid.Example> readExamples(ReportContext ctx, String csv) throws IOException {
    List<ImageGrid.Example> rows = new ArrayList<>();
    String[] lines = ctx.readText(csv).split("\r?\n");
    if (lines.length == 0) {
      return rows;
    }
    List<String> head = Arrays.asList(lines[0].split(","));
    int[] col = {head.indexOf("rank"), head.indexOf("train_index"), head.indexOf("source_index"), head.indexOf("label"),
        head.indexOf("influence_before"), head.indexOf("influence_after")};
    for (int c : col) {
      if (c < 0) {
        throw new IOException(ctx.path(csv) + ": expected the columns rank,train_index,source_index,label,influence_before,"
            + "influence_after, found " + lines[0]);
      }
    }
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      String[] f = lines[i].split(",");
      rows.add(new ImageGrid.Example(Integer.parseInt(f[col[0]].trim()), Integer.parseInt(f[col[1]].trim()),
          Integer.parseInt(f[col[2]].trim()), Integer.parseInt(f[col[3]].trim()), parse(f[col[4]]), parse(f[col[5]])));
    }
    return rows;
  }

  private static double parse(String s) {
    return s == null || s.isBlank() ? Double.NaN : Double.parseDouble(s.trim());
  }
}
