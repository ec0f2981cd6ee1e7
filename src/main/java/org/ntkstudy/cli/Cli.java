package org.ntkstudy.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.ntkstudy.UserInputException;
import org.ntkstudy.math.Attacks;
import org.ntkstudy.math.Influence;
import org.ntkstudy.spark.SparkSessions;

/** Helpers shared by the commands: running with a SparkSession, parsing enums, printing results. */
final class Cli {
  private Cli() {}

  /**
   * Runs {@code body} with the job's SparkSession, and stops Spark afterwards if this call started
   * it (a session that was already running, e.g. in a notebook or a test, is left alone).
   */
  static int withSpark(String job, Consumer<SparkSession> body) {
    boolean existed = SparkSession.getDefaultSession().isDefined();
    SparkSession spark = SparkSessions.create("ntk-" + job);
    try {
      body.accept(spark);
      return 0;
    } finally {
      if (!existed) {
        spark.stop();
      }
    }
  }

  static <E extends Enum<E>> E parseEnum(Class<E> type, String option, String value) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E c : type.getEnumConstants()) {
        allowed.append(allowed.length() == 0 ? "" : " | ").append(c.name().toLowerCase(Locale.ROOT));
      }
      throw new UserInputException(option + " must be one of " + allowed + ", got '" + value + "'");
    }
  }

  /** A comma-separated list of enum names, e.g. {@code --models relu,attn}. */
  static <E extends Enum<E>> java.util.List<E> parseEnums(Class<E> type, String option, String csv) {
    java.util.List<E> out = new java.util.ArrayList<>();
    for (String v : csv.split(",")) {
      out.add(parseEnum(type, option, v));
    }
    return out;
  }

  /** A comma-separated list of integers, e.g. {@code --widths 64,128}. */
  static java.util.List<Integer> parseInts(String option, String csv) {
    java.util.List<Integer> out = new java.util.ArrayList<>();
    for (String v : csv.split(",")) {
      try {
        out.add(Integer.parseInt(v.trim()));
      } catch (NumberFormatException e) {
        throw new UserInputException(option + " must be comma-separated integers, got '" + v + "'");
      }
    }
    return out;
  }

  /** A comma-separated list of numbers, e.g. {@code --sigma0 0.01,1}. */
  static java.util.List<Double> parseDoubles(String option, String csv) {
    java.util.List<Double> out = new java.util.ArrayList<>();
    for (String v : csv.split(",")) {
      try {
        out.add(Double.parseDouble(v.trim()));
      } catch (NumberFormatException e) {
        throw new UserInputException(option + " must be comma-separated numbers, got '" + v + "'");
      }
    }
    return out;
  }

  /** Prints the chosen figures and where the output is, for the person at the terminal. */
  /** Prints a result's headline figures, given as name, value, name, value, … (from the typed result). */
  static void printFigures(Path out, Object... namesAndValues) {
    Map<String, Object> figures = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      figures.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    printSummary(out, figures, figures.keySet().toArray(new String[0]));
  }

  static void printSummary(Path out, Map<String, Object> summary, String... keys) {
    StringBuilder sb = new StringBuilder("\n");
    for (String k : keys) {
      Object v = summary.get(k);
      sb.append(String.format("  %-18s %s%n", k, v instanceof Double d ? String.format("%.6g", d) : v));
    }
    sb.append("\nResults: ").append(out).append('\n');
    sb.append("Report:  ").append(new Path(out, "summary.json")).append('\n');
    System.out.println(sb);
  }

  /** {@code --attacks fgsm,pgd,mim}, each named in the error when it is not an attack. */
  static List<Attacks.Kind> parseAttacks(String value) {
    List<Attacks.Kind> out = new ArrayList<>();
    for (String a : parseList(value)) {
      try {
        out.add(Attacks.Kind.parse(a));
      } catch (IllegalArgumentException e) {
        throw new UserInputException("--attacks: " + e.getMessage());
      }
    }
    return out;
  }

  /** A comma-separated list of names, trimmed and lower-cased, blanks skipped. */
  static List<String> parseList(String value) {
    List<String> out = new ArrayList<>();
    for (String v : value.split(",")) {
      if (!v.isBlank()) {
        out.add(v.trim().toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  /** {@code --influence-target margin|output}. */
  static Influence.Target parseTarget(String value) {
    try {
      return Influence.Target.parse(value);
    } catch (IllegalArgumentException e) {
      throw new UserInputException("--influence-target: " + e.getMessage());
    }
  }
}
