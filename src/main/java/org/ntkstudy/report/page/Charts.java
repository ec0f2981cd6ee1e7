package org.ntkstudy.report.page;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.category.CategoryDataset;

/**
 * The report's chart conventions on top of JFreeChart, rendered headless to PNG: one look for
 * every plot (white ground, light grid, legend below, colour-blind-safe palette), log axes with
 * powers of ten, and a bar renderer that draws interval whiskers.
 */
public final class Charts {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** A full-width chart. */
  public static final int WIDTH = 1000;
  public static final int HEIGHT = 560;
  /** One panel of a grid of charts. */
  public static final int PANEL_WIDTH = 620;
  public static final int PANEL_HEIGHT = 480;

  public static final Font TITLE = new Font("SansSerif", Font.BOLD, 17);
  public static final Font LABEL = new Font("SansSerif", Font.PLAIN, 14);
  public static final Font TICK = new Font("SansSerif", Font.PLAIN, 12);
  public static final Font LEGEND = new Font("SansSerif", Font.PLAIN, 12);
  public static final Font ANNOTATION = new Font("SansSerif", Font.PLAIN, 11);

  // Okabe–Ito, colour-blind safe.
  public static final Color BLUE = new Color(0x0072B2);
  public static final Color VERMILLION = new Color(0xD55E00);
  public static final Color GREEN = new Color(0x009E73);
  public static final Color PURPLE = new Color(0xCC79A7);
  public static final Color ORANGE = new Color(0xE69F00);
  public static final Color SKY = new Color(0x56B4E9);
  public static final Color GREY = new Color(0x555555);
  public static final Color[] PALETTE = {BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY, GREY, new Color(0xF0E442)};

  public static final Stroke SOLID = new BasicStroke(2.0f);
  public static final Stroke THIN = new BasicStroke(1.2f);
  public static final Stroke DASHED = new BasicStroke(2.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
      new float[] {7f, 5f}, 0f);
  public static final Stroke DOTTED = new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
      new float[] {2f, 4f}, 0f);

  private Charts() {}

  /** The colour of a model, the same in every plot. */
  public static Color modelColor(String model) {
    return switch (model) {
      case "relu" -> BLUE;
      case "attn" -> VERMILLION;
      default -> PALETTE[Math.floorMod(model.hashCode(), PALETTE.length)];
    };
  }

  /** A lighter shade of a colour (t = 0: itself, 1: white). */
  public static Color lighter(Color c, double t) {
    return new Color((int) Math.round(c.getRed() + (255 - c.getRed()) * t),
        (int) Math.round(c.getGreen() + (255 - c.getGreen()) * t),
        (int) Math.round(c.getBlue() + (255 - c.getBlue()) * t));
  }

  /** A colour with transparency. */
  public static Color alpha(Color c, int a) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), a);
  }

  /** A sequential palette (viridis-like, dark to light-green) at t ∈ [0, 1]. */
  public static Color sequential(double t) {
    int[][] stops = {{0x44, 0x01, 0x54}, {0x3b, 0x52, 0x8b}, {0x21, 0x91, 0x8c}, {0x5e, 0xc9, 0x62},
        {0xb5, 0xde, 0x2b}};
    t = Math.max(0, Math.min(1, t)) * 0.92;
    double pos = t * (stops.length - 1);
    int i = Math.min(stops.length - 2, (int) Math.floor(pos));
    double f = pos - i;
    return new Color((int) Math.round(stops[i][0] + f * (stops[i + 1][0] - stops[i][0])),
        (int) Math.round(stops[i][1] + f * (stops[i + 1][1] - stops[i][1])),
        (int) Math.round(stops[i][2] + f * (stops[i + 1][2] - stops[i][2])));
  }

  /**
   * A logarithmic axis over [lo, hi]. Base 2 labels ticks with plain integers (widths: 16, 32,
   * 64, …); base 10 with powers of ten.
   */
  public static LogAxis logAxis(String label, double lo, double hi, int base) {
    LogAxis a = new LogAxis(label);
    a.setBase(base);
    a.setSmallestValue(Double.MIN_NORMAL);
    if (base == 10) {
      a.setBaseSymbol("10");
    }
    TickUnits units = new TickUnits();
    for (int step : new int[] {1, 2, 3, 4, 5, 10, 20, 50, 100}) {
      units.add(new NumberTickUnit(step));
    }
    a.setStandardTickUnits(units);
    a.setAutoTickUnitSelection(true);
    if (base == 2) {
      a.setNumberFormatOverride(new DecimalFormat("#,##0"));
    }
    a.setRange(lo, hi);
    a.setAutoRange(false);
    styleAxis(a);
    return a;
  }

  /** A linear axis. */
  public static NumberAxis linearAxis(String label) {
    NumberAxis a = new NumberAxis(label);
    a.setAutoRangeIncludesZero(false);
    styleAxis(a);
    return a;
  }

  /** Fonts and greys of every axis, value or category. */
  public static void styleAxis(Axis a) {
    a.setLabelFont(LABEL);
    a.setTickLabelFont(TICK);
    a.setLabelPaint(Color.DARK_GRAY);
    a.setTickLabelPaint(Color.DARK_GRAY);
    a.setAxisLinePaint(Color.GRAY);
  }

  public static void stylePlot(XYPlot p) {
    p.setBackgroundPaint(Color.WHITE);
    p.setDomainGridlinePaint(new Color(0xE1E4E8));
    p.setRangeGridlinePaint(new Color(0xE1E4E8));
    p.setDomainGridlineStroke(new BasicStroke(0.8f));
    p.setRangeGridlineStroke(new BasicStroke(0.8f));
    p.setOutlinePaint(new Color(0xB0B7BF));
    p.setAxisOffset(new RectangleInsets(4, 4, 4, 4));
  }

  public static void stylePlot(CategoryPlot p) {
    p.setBackgroundPaint(Color.WHITE);
    p.setRangeGridlinePaint(new Color(0xE1E4E8));
    p.setRangeGridlineStroke(new BasicStroke(0.8f));
    p.setOutlinePaint(new Color(0xB0B7BF));
  }

  /** A chart with the report's look around {@code plot}. */
  public static JFreeChart chart(String title, Plot plot) {
    JFreeChart c = new JFreeChart(title, TITLE, plot, true);
    c.setBackgroundPaint(Color.WHITE);
    c.setAntiAlias(true);
    c.setTextAntiAlias(true);
    c.setPadding(new RectangleInsets(8, 10, 6, 14));
    LegendTitle legend = c.getLegend();
    if (legend != null) {
      legend.setItemFont(LEGEND);
      legend.setPosition(RectangleEdge.BOTTOM);
      legend.setFrame(BlockBorder.NONE);
      legend.setBackgroundPaint(Color.WHITE);
      legend.setItemLabelPadding(new RectangleInsets(2, 2, 2, 10));
    }
    return c;
  }

  /** A marker line with an unboxed label. */
  public static org.jfree.chart.plot.ValueMarker marker(double value, Paint paint, Stroke stroke, String label,
      org.jfree.chart.ui.RectangleAnchor anchor, org.jfree.chart.ui.TextAnchor textAnchor) {
    org.jfree.chart.plot.ValueMarker m = new org.jfree.chart.plot.ValueMarker(value, paint, stroke);
    if (label != null) {
      m.setLabel(label);
      m.setLabelFont(ANNOTATION);
      m.setLabelPaint(Color.DARK_GRAY);
      m.setLabelBackgroundColor(new Color(255, 255, 255, 200));
      m.setLabelAnchor(anchor);
      m.setLabelTextAnchor(textAnchor);
      m.setLabelOffset(new RectangleInsets(3, 3, 3, 3));
    }
    return m;
  }

  /** Keeps only the given legend items (e.g. one per width across panels). */
  public static void fixedLegend(XYPlot plot, LegendItemCollection items) {
    plot.setFixedLegendItems(items);
  }

  /** Renders a chart to an opaque image. */
  public static BufferedImage render(JFreeChart chart, int width, int height) {
    return grid(List.of(chart), 1, width, height);
  }

  /** Renders charts as panels of a grid, {@code cols} per row. */
  public static BufferedImage grid(List<JFreeChart> charts, int cols, int panelWidth, int panelHeight) {
    return panels(charts, cols, panelWidth, panelHeight, null, 0);
  }

  /**
   * Renders charts as panels of a grid with one legend for all of them below (the first panel's
   * legend items; the panels' own legends are removed).
   */
  public static BufferedImage gridWithLegend(List<JFreeChart> charts, int cols, int panelWidth, int panelHeight,
      int legendHeight) {
    LegendTitle legend = new LegendTitle(charts.get(0).getPlot());
    legend.setItemFont(LEGEND);
    legend.setBackgroundPaint(Color.WHITE);
    legend.setItemLabelPadding(new RectangleInsets(2, 2, 2, 14));
    for (JFreeChart c : charts) {
      c.removeLegend();
    }
    return panels(charts, cols, panelWidth, panelHeight, legend, legendHeight);
  }

  /** The panels on an antialiased white image, and {@code legend} (if any) in a band below them. */
  private static BufferedImage panels(List<JFreeChart> charts, int cols, int panelWidth, int panelHeight,
      LegendTitle legend, int legendHeight) {
    int rows = (charts.size() + cols - 1) / cols;
    int c = Math.min(cols, charts.size());
    BufferedImage img = new BufferedImage(c * panelWidth, rows * panelHeight + legendHeight,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setPaint(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      for (int i = 0; i < charts.size(); i++) {
        charts.get(i).draw(g, new Rectangle2D.Double((i % cols) * panelWidth, (i / cols) * panelHeight, panelWidth,
            panelHeight));
      }
      if (legend != null) {
        Rectangle2D area = new Rectangle2D.Double(20, rows * panelHeight + 4, img.getWidth() - 40, legendHeight - 8);
        legend.arrange(g, new org.jfree.chart.block.RectangleConstraint(area.getWidth(), area.getHeight()));
        legend.draw(g, area);
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  /** A PNG as a data URI. */
  public static String dataUri(BufferedImage img) {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png(img));
  }

  public static byte[] png(BufferedImage img) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, "png", out)) {
        throw new IllegalStateException("no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Bars with an interval whisker (lo to hi) over each, in the bar's darker colour. */
  public static final class WhiskerBarRenderer extends BarRenderer {
    private static final long serialVersionUID = 1L;
    private final Map<Long, double[]> intervals = new HashMap<>();

    public WhiskerBarRenderer() {
      setBarPainter(new StandardBarPainter());
      setShadowVisible(false);
      setDrawBarOutline(false);
      setItemMargin(0.04);
      setMaximumBarWidth(0.06);
    }

    public void interval(int row, int column, Double lo, Double hi) {
      if (lo != null && hi != null && Double.isFinite(lo) && Double.isFinite(hi)) {
        intervals.put(((long) row << 32) | column, new double[] {lo, hi});
      }
    }

    @Override
    public void drawItem(Graphics2D g2, CategoryItemRendererState state, Rectangle2D dataArea, CategoryPlot plot,
        CategoryAxis domainAxis, ValueAxis rangeAxis, CategoryDataset dataset, int row, int column, int pass) {
      super.drawItem(g2, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column, pass);
      double[] iv = intervals.get(((long) row << 32) | column);
      if (iv == null || dataset.getValue(row, column) == null) {
        return;
      }
      int visible = state.getVisibleSeriesIndex(row);
      if (visible < 0) {
        return;
      }
      double w0 = calculateBarW0(plot, PlotOrientation.VERTICAL, dataArea, domainAxis, state, visible, column);
      double x = w0 + state.getBarWidth() / 2;
      RectangleEdge edge = plot.getRangeAxisEdge();
      double lo = Math.max(rangeAxis.getLowerBound(), Math.min(rangeAxis.getUpperBound(), iv[0]));
      double hi = Math.max(rangeAxis.getLowerBound(), Math.min(rangeAxis.getUpperBound(), iv[1]));
      double y0 = rangeAxis.valueToJava2D(lo, dataArea, edge);
      double y1 = rangeAxis.valueToJava2D(hi, dataArea, edge);
      Paint p = getSeriesPaint(row);
      Color c = p instanceof Color col ? col.darker().darker() : Color.BLACK;
      g2.setPaint(c);
      g2.setStroke(new BasicStroke(1.4f));
      double cap = Math.max(2, state.getBarWidth() * 0.3);
      g2.draw(new Line2D.Double(x, y0, x, y1));
      if (iv[0] >= rangeAxis.getLowerBound()) {
        g2.draw(new Line2D.Double(x - cap, y0, x + cap, y0));
      }
      if (iv[1] <= rangeAxis.getUpperBound()) {
        g2.draw(new Line2D.Double(x - cap, y1, x + cap, y1));
      }
    }
  }
}
