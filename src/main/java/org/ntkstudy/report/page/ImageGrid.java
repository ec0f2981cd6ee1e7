package org.ntkstudy.report.page;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import org.ntkstudy.math.Matrix;

/**
 * The top-τ training examples before and after an attack, drawn pixel by pixel: one column per
 * example (labelled with its rank, indices, label and influence before → after), rows "before",
 * "after" and "after − before" (a diverging map scaled to ±ε), ten columns per block.
 */
public final class ImageGrid {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** One example's label row (from examples/&lt;model&gt;_&lt;attack&gt;.csv). */
  public record Example(int rank, int trainIndex, int sourceIndex, int label, double before, double after) {
    public boolean flipped() {
      return before * after < 0;
    }
  }

  /** How a pixel row is laid out: side×side, 1 (grey) or 3 (RGB, channel-major) channels. */
  public record Shape(int side, int channels) {
    /** The image shape of a d-pixel row, or null when d is not a square (times 3). */
    public static Shape of(int d) {
      int s = (int) Math.round(Math.sqrt(d));
      if (s * s == d) {
        return new Shape(s, 1);
      }
      if (d % 3 == 0) {
        int s3 = (int) Math.round(Math.sqrt(d / 3.0));
        if (s3 * s3 * 3 == d) {
          return new Shape(s3, 3);
        }
      }
      return null;
    }

    /** Pixels per image pixel: ×3 for 28×28 and 32×32, more for tiny images. */
    public int scale() {
      return Math.max(3, (int) Math.ceil(72.0 / side));
    }
  }

  public static final int PER_BLOCK = 10;
  /** Narrow grids (few or tiny examples) still leave room for the title and the legend. */
  public static final int MIN_WIDTH = 760;
  public static final int LEFT = 92;
  public static final int GAP = 12;
  public static final int HEADER_LINES = 5;
  public static final int LINE = 14;
  public static final int TITLE_H = 34;
  public static final int LEGEND_H = 62;
  private static final Font TITLE = new Font("SansSerif", Font.BOLD, 15);
  private static final Font TEXT = new Font("SansSerif", Font.PLAIN, 11);
  private static final Font ROW = new Font("SansSerif", Font.BOLD, 12);
  private static final Color FLIP = new Color(0xCF222E);

  private ImageGrid() {}

  /**
   * Draws the grid.
   *
   * @param clean k×d pixels before the attack (rows in rank order)
   * @param attacked k×d pixels after
   * @param examples the label rows, in rank order (at most k are drawn, and at most {@code max})
   * @param eps the attack radius, the difference row's full scale (or ≤ 0: the largest difference)
   */
  public static BufferedImage draw(String title, Matrix clean, Matrix attacked, List<Example> examples, double eps, int max) {
    Shape shape = Shape.of(clean.cols());
    if (shape == null) {
      throw new IllegalArgumentException(clean.cols() + " pixels per row is not a square image");
    }
    int shown = Math.min(Math.min(max, examples.size()), Math.min(clean.rows(), attacked.rows()));
    int scale = shape.scale();
    int tile = shape.side * scale;
    int colW = Math.max(tile, 96) + GAP;
    int perBlock = Math.max(1, Math.min(PER_BLOCK, shown));
    int blocks = Math.max(1, (shown + perBlock - 1) / perBlock);
    int header = HEADER_LINES * LINE + 6;
    int blockH = header + 3 * (tile + 8) + 14;
    int width = Math.max(MIN_WIDTH, LEFT + perBlock * colW + 8);
    int height = TITLE_H + blocks * blockH + LEGEND_H;
    double scaleDiff = eps;
    if (!(scaleDiff > 0)) {
      scaleDiff = 0;
      for (int q = 0; q < shown; q++) {
        for (int j = 0; j < clean.cols(); j++) {
          scaleDiff = Math.max(scaleDiff, Math.abs(attacked.get(q, j) - clean.get(q, j)));
        }
      }
      scaleDiff = scaleDiff > 0 ? scaleDiff : 1;
    }

    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setPaint(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setPaint(new Color(0x1b1f24));
      g.setFont(TITLE);
      g.drawString(title, 10, 22);
      for (int b = 0; b < blocks; b++) {
        int y0 = TITLE_H + b * blockH;
        g.setFont(ROW);
        g.setPaint(new Color(0x333333));
        String[] rowNames = {"before", "after", "after − before"};
        for (int r = 0; r < 3; r++) {
          int ty = y0 + header + r * (tile + 8);
          drawWrapped(g, rowNames[r], 8, ty + tile / 2, LEFT - 14);
        }
        for (int c = 0; c < perBlock; c++) {
          int q = b * perBlock + c;
          if (q >= shown) {
            break;
          }
          Example e = examples.get(q);
          int x = LEFT + c * colW;
          g.setFont(TEXT);
          g.setPaint(new Color(0x1b1f24));
          int ty = y0 + LINE;
          g.drawString("#" + e.rank() + "   label " + e.label(), x, ty);
          g.drawString("train " + e.trainIndex(), x, ty + LINE);
          g.drawString("source " + e.sourceIndex(), x, ty + 2 * LINE);
          g.drawString("I " + Fmt.num(e.before()), x, ty + 3 * LINE);
          g.setPaint(e.flipped() ? FLIP : new Color(0x1b1f24));
          g.drawString("→ " + Fmt.num(e.after()) + (e.flipped() ? "  flip" : ""), x, ty + 4 * LINE);
          int py = y0 + header;
          paint(img, clean, q, shape, scale, x, py, false, scaleDiff, attacked);
          paint(img, attacked, q, shape, scale, x, py + tile + 8, false, scaleDiff, clean);
          paint(img, attacked, q, shape, scale, x, py + 2 * (tile + 8), true, scaleDiff, clean);
          if (e.flipped()) {
            g.setPaint(FLIP);
            g.setStroke(new BasicStroke(3f));
            g.drawRect(x - 2, py + tile + 8 - 2, tile + 3, tile + 3);
          }
        }
      }
      drawLegend(g, shape, 10, height - LEGEND_H + 8, scaleDiff);
    } finally {
      g.dispose();
    }
    return img;
  }

  /** The image's size for k examples of d pixels (what {@link #draw} produces), as {width, height}. */
  public static int[] size(int k, int d, int max) {
    Shape shape = Shape.of(d);
    int shown = Math.min(k, max);
    int tile = shape.side * shape.scale();
    int colW = Math.max(tile, 96) + GAP;
    int perBlock = Math.max(1, Math.min(PER_BLOCK, shown));
    int blocks = Math.max(1, (shown + perBlock - 1) / perBlock);
    int blockH = HEADER_LINES * LINE + 6 + 3 * (tile + 8) + 14;
    return new int[] {Math.max(MIN_WIDTH, LEFT + perBlock * colW + 8), TITLE_H + blocks * blockH + LEGEND_H};
  }

  private static void drawWrapped(Graphics2D g, String text, int x, int yMid, int width) {
    FontMetrics fm = g.getFontMetrics();
    if (fm.stringWidth(text) <= width) {
      g.drawString(text, x, yMid + fm.getAscent() / 2);
      return;
    }
    int cut = text.indexOf(' ');
    String a = cut > 0 ? text.substring(0, cut) : text;
    String b = cut > 0 ? text.substring(cut + 1) : "";
    g.drawString(a, x, yMid - 2);
    g.drawString(b, x, yMid + fm.getAscent() + 1);
  }

  private static void paint(BufferedImage img, Matrix m, int row, Shape s, int scale, int x0, int y0, boolean diff,
      double eps, Matrix other) {
    int n = s.side * s.side;
    for (int py = 0; py < s.side; py++) {
      for (int px = 0; px < s.side; px++) {
        int p = py * s.side + px;
        int rgb;
        if (!diff) {
          if (s.channels == 1) {
            int v = level(m.get(row, p));
            rgb = (v << 16) | (v << 8) | v;
          } else {
            rgb = (level(m.get(row, p)) << 16) | (level(m.get(row, n + p)) << 8) | level(m.get(row, 2 * n + p));
          }
        } else if (s.channels == 1) {
          rgb = diverging((m.get(row, p) - other.get(row, p)) / eps);
        } else {
          int r = level(0.5 + (m.get(row, p) - other.get(row, p)) / (2 * eps));
          int gr = level(0.5 + (m.get(row, n + p) - other.get(row, n + p)) / (2 * eps));
          int b = level(0.5 + (m.get(row, 2 * n + p) - other.get(row, 2 * n + p)) / (2 * eps));
          rgb = (r << 16) | (gr << 8) | b;
        }
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            img.setRGB(x0 + px * scale + dx, y0 + py * scale + dy, rgb);
          }
        }
      }
    }
  }

  private static int level(double v) {
    return (int) Math.round(255 * Math.max(0, Math.min(1, v)));
  }

  /** Blue (−1) – white (0) – red (+1). */
  public static int diverging(double t) {
    t = Math.max(-1, Math.min(1, t));
    int[] end = t < 0 ? new int[] {0x21, 0x66, 0xac} : new int[] {0xb2, 0x18, 0x2b};
    double a = Math.abs(t);
    int r = (int) Math.round(255 + (end[0] - 255) * a);
    int g = (int) Math.round(255 + (end[1] - 255) * a);
    int b = (int) Math.round(255 + (end[2] - 255) * a);
    return (r << 16) | (g << 8) | b;
  }

  private static void drawLegend(Graphics2D g, Shape s, int x, int y, double eps) {
    g.setFont(TEXT);
    g.setPaint(new Color(0x333333));
    if (s.channels == 1) {
      int w = 200;
      for (int i = 0; i < w; i++) {
        g.setPaint(new Color(diverging(2.0 * i / (w - 1) - 1)));
        g.fillRect(x + 150 + i, y, 1, 12);
      }
      g.setPaint(new Color(0x333333));
      g.drawRect(x + 150, y, w, 12);
      g.drawString("after − before:", x, y + 11);
      g.drawString("−" + Fmt.num(eps), x + 150, y + 26);
      g.drawString("0", x + 150 + w / 2 - 3, y + 26);
      g.drawString("+" + Fmt.num(eps), x + 150 + w - 20, y + 26);
      g.drawString("pixel change (pixels in [0, 1]); a red frame marks an example whose influence changed sign",
          x, y + 44);
    } else {
      g.drawString("after − before: per channel 0.5 + Δ/(2·" + Fmt.num(eps) + "), grey = no change;"
          + " a red frame marks an example whose influence changed sign", x, y + 11);
    }
  }
}
