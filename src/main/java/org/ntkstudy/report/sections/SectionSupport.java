package org.ntkstudy.report.sections;

import static org.ntkstudy.report.page.ReportData.str;

import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;

/** Helpers shared by several sections: plotted indices, summary keys read alike, marker shapes, labels. */
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

  static List<Integer> kValues(Map<String, Object> sp) {
    TreeSet<Integer> ks = new TreeSet<>();
    Pattern p = Pattern.compile("kappa_(\\d+)_G");
    for (String key : sp.keySet()) {
      Matcher m = p.matcher(key);
      if (m.matches()) {
        ks.add(Integer.parseInt(m.group(1)));
      }
    }
    return new ArrayList<>(ks);
  }

  static String kappaDStatus(Map<String, Object> sp) {
    String s = str(sp, "kappa_d_status");
    return s == null ? "undefined" : s.replace('_', ' ');
  }

  static String definition(Map<String, Object> defs, String key) {
    Object d = defs.get(key);
    // The summaries' definitions say "null" for a figure that does not exist; the report says "undefined".
    return d == null ? "" : String.valueOf(d).replaceAll("\\bnull\\b", "undefined");
  }

  static List<String> sortedWidthKeys(Set<String> keys) {
    List<String> l = new ArrayList<>();
    for (String k : keys) {
      if (k.matches("\\d+")) {
        l.add(k);
      }
    }
    l.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
    return l;
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
