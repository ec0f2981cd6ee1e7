package org.ntkstudy.report.page;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import org.ntkstudy.results.Interval;

/**
 * How the report writes numbers: three significant digits, powers of ten for the very large and
 * very small, and "—" for a number that does not exist (JSON null, NaN, ±∞). Two spellings of
 * every figure: plain text (charts, CSV-free labels) and HTML (powers of ten as superscripts).
 */
public final class Fmt {
  /** What a missing number reads as. */
  public static final String NONE = "—";

  private static final String SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

  private Fmt() {}

  /** Plain text: "96.2", "0.0274", "0.35", "1024", "5.63×10⁵", "—". */
  public static String num(Double v) {
    if (v == null || !Double.isFinite(v)) {
      return NONE;
    }
    Parts p = parts(v);
    return p.exponent == null ? p.mantissa : p.mantissa + "×10" + superscript(p.exponent);
  }

  /** HTML: as {@link #num} with the exponent in {@code <sup>}; safe to insert as it is. */
  public static String html(Double v) {
    if (v == null || !Double.isFinite(v)) {
      return NONE;
    }
    Parts p = parts(v);
    return p.exponent == null ? p.mantissa.replace("-", "−")
        : p.mantissa.replace("-", "−") + "×10<sup>" + Integer.toString(p.exponent).replace("-", "−") + "</sup>";
  }

  /** A fraction as a percentage with one decimal: 0.25 → "25.0%" (a minus sign is "−"). */
  public static String pct(Double fraction) {
    if (fraction == null || !Double.isFinite(fraction)) {
      return NONE;
    }
    return String.format(Locale.ROOT, "%.1f%%", 100 * fraction).replace("-", "−");
  }

  /** A number already in percent, one decimal: 28.9 → "28.9%". */
  public static String percentValue(Double percent) {
    if (percent == null || !Double.isFinite(percent)) {
      return NONE;
    }
    return String.format(Locale.ROOT, "%.1f%%", percent).replace("-", "−");
  }

  /** A log10 value as a power of ten in HTML: 32.91 → "10<sup>32.9</sup>". */
  public static String pow10Html(Double log10) {
    if (log10 == null || !Double.isFinite(log10)) {
      return NONE;
    }
    return "10<sup>" + String.format(Locale.ROOT, "%.1f", log10).replace("-", "−") + "</sup>";
  }

  /** A log10 value as a power of ten in plain text: 32.91 → "10^32.9". */
  public static String pow10(Double log10) {
    if (log10 == null || !Double.isFinite(log10)) {
      return NONE;
    }
    return "10^" + String.format(Locale.ROOT, "%.1f", log10);
  }

  /** "mean [lo, hi]" in HTML. */
  public static String intervalHtml(Double mean, Double lo, Double hi) {
    if (mean == null || !Double.isFinite(mean)) {
      return NONE;
    }
    if (lo == null || hi == null || !Double.isFinite(lo) || !Double.isFinite(hi)) {
      return html(mean);
    }
    return html(mean) + " <span class=\"ci\">[" + html(lo) + ", " + html(hi) + "]</span>";
  }

  /** A seed interval as "mean [lo, hi]" in HTML; "—" when it is null or has no mean. */
  public static String intervalHtml(Interval iv) {
    return iv == null ? NONE : intervalHtml(iv.mean(), iv.lo(), iv.hi());
  }

  /** A seed interval as "mean [lo, hi]" in percent, HTML; "—" when it is null or has no mean. */
  public static String intervalPctHtml(Interval iv) {
    return iv == null ? NONE : intervalPctHtml(iv.mean(), iv.lo(), iv.hi());
  }

  /** "mean [lo, hi]" in percent, HTML. */
  public static String intervalPctHtml(Double mean, Double lo, Double hi) {
    if (mean == null || !Double.isFinite(mean)) {
      return NONE;
    }
    if (lo == null || hi == null || !Double.isFinite(lo) || !Double.isFinite(hi)) {
      return pct(mean);
    }
    return pct(mean) + " <span class=\"ci\">[" + pct(lo) + ", " + pct(hi) + "]</span>";
  }

  /** A full-precision number for a CSV cell; empty when it does not exist. */
  public static String csv(Double v) {
    if (v == null || !Double.isFinite(v)) {
      return "";
    }
    return Double.toString(v);
  }

  private record Parts(String mantissa, Integer exponent) {}

  private static Parts parts(double v) {
    if (v == 0) {
      return new Parts("0", null);
    }
    double a = Math.abs(v);
    if (a >= 1e5 || a < 1e-3) {
      BigDecimal b = new BigDecimal(v).round(new MathContext(3));
      int exponent = b.precision() - b.scale() - 1;
      BigDecimal m = b.movePointLeft(exponent);
      return new Parts(plain(m.setScale(2, java.math.RoundingMode.HALF_EVEN)), exponent);
    }
    if (a >= 100) {
      return new Parts(Long.toString(Math.round(v)), null);
    }
    return new Parts(plain(new BigDecimal(v).round(new MathContext(3))), null);
  }

  /** Without trailing zeros after the decimal point: 0.350 → "0.35", 1.00 → "1". */
  private static String plain(BigDecimal b) {
    String s = b.toPlainString();
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "");
      if (s.endsWith(".")) {
        s = s.substring(0, s.length() - 1);
      }
    }
    return s;
  }

  private static String superscript(int e) {
    StringBuilder s = new StringBuilder();
    for (char c : Integer.toString(e).toCharArray()) {
      s.append(c == '-' ? '⁻' : SUPERSCRIPTS.charAt(c - '0'));
    }
    return s.toString();
  }
}
