package org.ntkstudy.report.page;

/**
 * The report's data files: {@link Csv}, the table behind a plot. (The parts' results are read as
 * typed records of {@code org.ntkstudy.results}.)
 */
public final class ReportData {
  private ReportData() {}

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
