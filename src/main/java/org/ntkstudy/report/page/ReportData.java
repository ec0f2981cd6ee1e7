package org.ntkstudy.report.page;

import java.util.List;
import java.util.Map;

/**
 * Reading the parts' summary.json trees (maps, lists, numbers, strings, nulls) without ceremony: a
 * missing key, a JSON null and a non-finite number all read as null.
 */
public final class ReportData {
  private ReportData() {}

  /** The value at a path of keys, or null. */
  public static Object at(Object root, String... path) {
    Object o = root;
    for (String k : path) {
      if (!(o instanceof Map<?, ?> m)) {
        return null;
      }
      o = m.get(k);
    }
    return o;
  }

  /** The map at a path, or an empty map. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Object root, String... path) {
    Object o = at(root, path);
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** The list at a path, or an empty list. */
  public static List<?> list(Object root, String... path) {
    Object o = at(root, path);
    return o instanceof List<?> l ? l : List.of();
  }

  /** A finite number, or null. */
  public static Double num(Object o) {
    if (o instanceof Number n) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? d : null;
    }
    return null;
  }

  public static Double num(Object root, String... path) {
    return num(at(root, path));
  }

  /** A string (numbers and booleans spelled out), or null. */
  public static String str(Object root, String... path) {
    Object o = at(root, path);
    return o == null ? null : String.valueOf(o);
  }

  public static Boolean bool(Object root, String... path) {
    Object o = at(root, path);
    return o instanceof Boolean b ? b : null;
  }

  /** A {mean, lo, hi, seeds} interval (mean null when absent). */
  public record Iv(Double mean, Double lo, Double hi, Integer seeds) {
    public static Iv of(Object o) {
      if (o instanceof Number) {
        return new Iv(num(o), null, null, null);
      }
      Double s = num(at(o, "seeds"));
      return new Iv(num(at(o, "mean")), num(at(o, "lo")), num(at(o, "hi")), s == null ? null : (int) Math.round(s));
    }

    public boolean present() {
      return mean != null;
    }

    public String html() {
      return Fmt.intervalHtml(mean, lo, hi);
    }

    public String pctHtml() {
      return Fmt.intervalPctHtml(mean, lo, hi);
    }
  }

  /** A CSV file being built: a header row, then data rows (numbers in full precision). */
  public static final class Csv {
    private final StringBuilder b = new StringBuilder();
    private final int cols;
    private int rows;

    public Csv(String... header) {
      cols = header.length;
      line(header);
    }

    public Csv row(Object... values) {
      if (values.length != cols) {
        throw new IllegalArgumentException("CSV row of " + values.length + " cells, header has " + cols);
      }
      line(values);
      rows++;
      return this;
    }

    public int rows() {
      return rows;
    }

    public String text() {
      return b.toString();
    }

    private void line(Object[] values) {
      for (int i = 0; i < values.length; i++) {
        if (i > 0) {
          b.append(',');
        }
        b.append(cell(values[i]));
      }
      b.append('\n');
    }

    public static String cell(Object o) {
      if (o == null) {
        return "";
      }
      if (o instanceof Double d) {
        return Fmt.csv(d);
      }
      if (o instanceof Float f) {
        return Fmt.csv((double) f);
      }
      String s = String.valueOf(o);
      if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
      }
      return s;
    }
  }
}
