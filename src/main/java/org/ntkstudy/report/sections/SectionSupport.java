package org.ntkstudy.report.sections;

import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.ntkstudy.results.Interval;

/** Helpers shared by several sections: plotted indices, intervals' CSV cells, definitions, marker shapes, labels. */
final class SectionSupport {
  /** Points drawn per spectrum line at most (log-spaced indices beyond). */
  static final int MAX_PLOT_POINTS = 1500;

  private SectionSupport() {}

  /** All indices up to MAX_PLOT_POINTS, else log-spaced ones (always the first and the last). */
  static int[] plotIndices(int n) {
    if (n <= MAX_PLOT_POINTS) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    TreeSet<Integer> s = new TreeSet<>();
    for (int j = 0; j < MAX_PLOT_POINTS; j++) {
      s.add((int) Math.min(n - 1, Math.round(Math.pow(n, (double) j / (MAX_PLOT_POINTS - 1))) - 1));
    }
    s.add(0);
    s.add(n - 1);
    return s.stream().mapToInt(Integer::intValue).toArray();
  }

  static double d(Row r, int i) {
    return r.isNullAt(i) ? Double.NaN : ((Number) r.get(i)).doubleValue();
  }

  /** κ_d's status as the page says it ("rank deficient"), "undefined" when the summary has none. */
  static String kappaDStatus(String status) {
    return status == null ? "undefined" : status.replace('_', ' ');
  }

  static String definition(Map<String, String> defs, String key) {
    String d = defs == null ? null : defs.get(key);
    // The summaries' definitions say "null" for a figure that does not exist; the report says "undefined".
    return d == null ? "" : d.replaceAll("\\bnull\\b", "undefined");
  }

  /** An interval's mean for a CSV cell (null when the interval is). */
  static Double mean(Interval iv) {
    return iv == null ? null : iv.mean();
  }

  /** An interval's lower end for a CSV cell (null when the interval is). */
  static Double lo(Interval iv) {
    return iv == null ? null : iv.lo();
  }

  /** An interval's upper end for a CSV cell (null when the interval is). */
  static Double hi(Interval iv) {
    return iv == null ? null : iv.hi();
  }

  /** An interval's seeds for a CSV cell (null when the interval is). */
  static Integer seeds(Interval iv) {
    return iv == null ? null : iv.seeds();
  }

  /** Whether an interval exists and has a mean. */
  static boolean present(Interval iv) {
    return iv != null && iv.present();
  }

  static Shape markerShape(int i) {
    return switch (i % 3) {
      case 0 -> new Ellipse2D.Double(-4.5, -4.5, 9, 9);
      case 1 -> new Rectangle2D.Double(-4, -4, 8, 8);
      default -> triangle();
    };
  }

  static Shape triangle() {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(0, -6);
    p.lineTo(5.5, 4.5);
    p.lineTo(-5.5, 4.5);
    p.closePath();
    return p;
  }

  static String cellLabel(String[] cell) {
    return (cell[0].equals("none") ? "no attack" : cell[0].toUpperCase(Locale.ROOT)) + " · " + cell[1];
  }

  static String settingName(String key) {
    return switch (key) {
      case "mnist_10class" -> "MNIST, 10 classes";
      case "cifar10_10class" -> "CIFAR-10, 10 classes";
      case "mnist_3_vs_8" -> "MNIST, 3 vs 8";
      default -> key.replace('_', ' ');
    };
  }
}
