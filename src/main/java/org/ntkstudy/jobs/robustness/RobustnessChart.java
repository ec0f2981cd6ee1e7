package org.ntkstudy.jobs.robustness;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.jobs.influence.InfluenceJob;
import org.ntkstudy.report.page.Charts;
import org.ntkstudy.results.RobustnessCell;
import org.ntkstudy.results.Verdict;

/**
 * {@code robustness.png}: the robustness map as heat maps, one panel per C3 claim (intervention ×
 * attack); a row per (dataset, input normalisation, kernel), a column per attack radius, each cell
 * coloured by log₂ of attention's excess ratio over ReLU's (SCIENCE §5: orange above 1, blue below,
 * grey where the ratio does not exist) with the ratio and the cell's C3 verdict written in it.
 */
final class RobustnessChart {
  private static final int CELL_W = 150;
  private static final int CELL_H = 46;
  private static final int LABEL_W = 250;
  private static final int HEAD_H = 64;
  private static final int PAD = 16;

  private RobustnessChart() {}

  /** Draws the map of {@code cells} and writes it to {@code robustness.png}. */
  static void write(RunOutput output, List<RobustnessCell> cells, List<InfluenceJob.KernelKind> kernels,
      List<Double> radii) {
    List<String> claims = new ArrayList<>();
    for (RobustnessCell c : cells) {
      c.verdicts().keySet().stream().filter(k -> k.startsWith("C3.") && !claims.contains(k)).forEach(claims::add);
    }
    List<String> rows = new ArrayList<>();
    for (RobustnessCell c : cells) {
      String row = rowLabel(c);
      if (!rows.contains(row)) {
        rows.add(row);
      }
    }
    int cols = Math.max(1, Math.min(2, claims.size()));
    int panelW = LABEL_W + CELL_W * radii.size() + PAD;
    int panelH = HEAD_H + CELL_H * rows.size() + PAD;
    int panelRows = Math.max(1, (claims.size() + cols - 1) / cols);
    BufferedImage img = new BufferedImage(cols * panelW + PAD, panelRows * panelH + 40, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(Charts.TITLE);
    g.drawString("Robustness map: attn/relu excess flip-rate ratio and C3 verdict per cell (" + kernels.size()
        + " kernel(s))", PAD, 26);
    if (claims.isEmpty()) {
      g.setFont(Charts.LABEL);
      g.drawString("no C3 verdicts (no transformed or adversarial cells)", PAD, 60);
    }
    for (int p = 0; p < claims.size(); p++) {
      panel(g, PAD / 2 + (p % cols) * panelW, 40 + (p / cols) * panelH, claims.get(p), rows, radii, cells);
    }
    g.dispose();
    try (OutputStream out = output.create("robustness.png")) {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write robustness.png: " + e.getMessage(), e);
    }
  }

  private static void panel(Graphics2D g, int x0, int y0, String claim, List<String> rows, List<Double> radii,
      List<RobustnessCell> cells) {
    g.setColor(Color.BLACK);
    g.setFont(Charts.LABEL);
    g.drawString(claim, x0 + LABEL_W, y0 + 22);
    g.setFont(Charts.TICK);
    for (int j = 0; j < radii.size(); j++) {
      centred(g, "ε = " + radii.get(j), x0 + LABEL_W + j * CELL_W + CELL_W / 2, y0 + HEAD_H - 10);
    }
    for (int i = 0; i < rows.size(); i++) {
      int y = y0 + HEAD_H + i * CELL_H;
      g.setColor(Color.BLACK);
      g.setFont(Charts.TICK);
      g.drawString(rows.get(i), x0 + 4, y + CELL_H / 2 + 5);
      for (int j = 0; j < radii.size(); j++) {
        int x = x0 + LABEL_W + j * CELL_W;
        Verdict v = find(cells, rows.get(i), radii.get(j), claim);
        Double ratio = v == null ? null : ratio(v);
        g.setColor(colour(ratio));
        g.fillRect(x, y, CELL_W, CELL_H);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(2f));
        g.drawRect(x, y, CELL_W, CELL_H);
        g.setColor(Color.BLACK);
        g.setFont(Charts.ANNOTATION);
        centred(g, ratio == null ? "ratio —" : String.format(Locale.ROOT, "ratio %.2f", ratio), x + CELL_W / 2,
            y + 18);
        g.setFont(Charts.TICK);
        centred(g, v == null ? "no cell" : v.verdict(), x + CELL_W / 2, y + 36);
      }
    }
  }

  private static String rowLabel(RobustnessCell c) {
    return c.dataset() + " · " + c.inputNorm() + " · " + c.kernel();
  }

  private static Verdict find(List<RobustnessCell> cells, String row, double radius, String claim) {
    for (RobustnessCell c : cells) {
      if (rowLabel(c).equals(row) && c.attackEps() == radius) {
        return c.verdicts().get(claim);
      }
    }
    return null;
  }

  private static Double ratio(Verdict v) {
    return v.evidence().get("excess_ratio") instanceof Number n ? n.doubleValue() : null;
  }

  /** Diverging: log₂ ratio in [−3, 3] from blue (attn less malleable) to orange (more); grey when absent. */
  static Color colour(Double ratio) {
    if (ratio == null || !(ratio > 0)) {
      return new Color(0xDDDDDD);
    }
    double t = Math.max(-1, Math.min(1, Math.log(ratio) / Math.log(2) / 3));
    Color end = t >= 0 ? Charts.ORANGE : Charts.SKY;
    double a = Math.abs(t);
    return new Color((int) Math.round(255 + (end.getRed() - 255) * a), (int) Math.round(255 + (end.getGreen() - 255) * a),
        (int) Math.round(255 + (end.getBlue() - 255) * a));
  }

  private static void centred(Graphics2D g, String s, int cx, int baseline) {
    FontMetrics fm = g.getFontMetrics();
    g.drawString(s, cx - fm.stringWidth(s) / 2, baseline);
  }
}
