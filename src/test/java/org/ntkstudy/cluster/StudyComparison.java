package org.ntkstudy.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.ntkstudy.io.Npy;
import org.ntkstudy.math.Matrix;

/**
 * Every number of one study folder against another's: each CSV cell, each JSON number and each
 * {@code .npy} element, by relative difference |a − b| / max(|a|, |b|) (0 when both are 0; NaN
 * and ±∞ must match exactly), and every non-numeric CSV cell and JSON string exactly. Left out:
 * the HTML report (it embeds the same numbers as report/data/*.csv, drawn as PNG), Parquet folders
 * (their tables are the CSVs), and in JSON what describes the run rather than its results:
 * {@code provenance} (code version, time, Spark master, parallelism, heap), {@code created},
 * {@code seconds}, {@code timings} and {@code total_s} (durations), and a manifest's inventory of
 * the files on disk ({@code files}, {@code total_bytes}: Parquet part files are named with a
 * random UUID and their number and sizes follow the partitioning). Strings that name where the
 * data or the output lived are compared with {@link #samePlace} substituted, and a setting only
 * the second run has is accepted when it names such a place (the data the first run read by
 * default, named explicitly).
 */
final class StudyComparison {
  static final Set<String> VOLATILE_KEYS = Set.of("provenance", "created", "seconds", "timings", "total_s");
  static final Set<String> MANIFEST_INVENTORY = Set.of("files", "total_bytes");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The largest relative difference of one column (CSV), key path (JSON) or array (.npy). */
  private final Map<String, Double> maxByPlace = new TreeMap<>();
  private final List<String> mismatches = new ArrayList<>();
  private final Set<String> files = new TreeSet<>();
  private long numbers;
  private double maxRelative;
  private String maxPlace = "";
  private final Map<String, String> places = new java.util.LinkedHashMap<>();

  /**
   * {@code actual} in the second folder's strings stands for {@code expected} in the first's (the
   * same data or output in another place, e.g. hdfs://…/fashion-mnist for /usr/share/…).
   */
  StudyComparison samePlace(String expected, String actual) {
    places.put(actual, expected);
    return this;
  }

  /** A string that is exactly one of the {@link #samePlace} places (maybe JSON-quoted). */
  private boolean givenPlace(JsonNode v) {
    if (!v.isTextual()) {
      return false;
    }
    String t = v.asText();
    String bare = t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    return places.containsKey(bare);
  }

  private String placed(String s) {
    String out = s;
    for (Map.Entry<String, String> e : places.entrySet()) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }

  /** Compares every result file of {@code expected} with the same file of {@code actual}. */
  StudyComparison compare(Path expected, Path actual) {
    Set<String> a = resultFiles(expected);
    Set<String> b = resultFiles(actual);
    if (!a.equals(b)) {
      Set<String> missing = new TreeSet<>(a);
      missing.removeAll(b);
      Set<String> extra = new TreeSet<>(b);
      extra.removeAll(a);
      mismatches.add("files differ: missing " + missing + ", extra " + extra);
    }
    for (String rel : a) {
      if (!b.contains(rel)) {
        continue;
      }
      files.add(rel);
      try {
        if (rel.endsWith(".csv")) {
          compareCsv(rel, expected.resolve(rel), actual.resolve(rel));
        } else if (rel.endsWith(".json")) {
          compareJson(rel, "", JSON.readTree(expected.resolve(rel).toFile()), JSON.readTree(actual.resolve(rel).toFile()));
        } else {
          compareNpy(rel, expected.resolve(rel), actual.resolve(rel));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return this;
  }

  static Set<String> resultFiles(Path dir) {
    Set<String> out = new TreeSet<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        String rel = dir.relativize(f).toString();
        boolean parquet = rel.contains(".parquet/");
        boolean hidden = rel.startsWith(".") || rel.contains("/.");
        if (!parquet && !hidden && (rel.endsWith(".csv") || rel.endsWith(".json") || rel.endsWith(".npy"))) {
          out.add(rel);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private void compareCsv(String rel, Path a, Path b) throws IOException {
    List<String> la = Files.readAllLines(a, StandardCharsets.UTF_8);
    List<String> lb = Files.readAllLines(b, StandardCharsets.UTF_8);
    if (la.size() != lb.size()) {
      mismatches.add(rel + ": " + la.size() + " lines, " + lb.size() + " in the other");
      return;
    }
    if (la.isEmpty()) {
      return;
    }
    List<String> header = splitCsv(la.get(0));
    for (int r = 0; r < la.size(); r++) {
      List<String> ca = splitCsv(la.get(r));
      List<String> cb = splitCsv(lb.get(r));
      if (ca.size() != cb.size()) {
        mismatches.add(rel + " line " + (r + 1) + ": " + ca.size() + " cells, " + cb.size() + " in the other");
        continue;
      }
      for (int c = 0; c < ca.size(); c++) {
        String column = c < header.size() ? header.get(c) : "#" + c;
        cell(rel + ":" + column, rel + " line " + (r + 1) + " " + column, ca.get(c), cb.get(c));
      }
    }
  }

  /** One CSV line's cells, split as the project's CSV check splits them. */
  static List<String> splitCsv(String line) {
    return List.of(org.ntkstudy.data.CsvCheck.split(line));
  }

  private void cell(String place, String where, String a, String b) {
    Double x = number(a);
    Double y = number(b);
    if (x != null && y != null) {
      number(place, where, x, y);
    } else if (!a.equals(placed(b))) {
      mismatches.add(where + ": '" + a + "' vs '" + b + "'");
    }
  }

  private static Double number(String s) {
    if (s.isEmpty()) {
      return null;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private void compareJson(String rel, String path, JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      number(rel + ":" + path, rel + " " + path, a.asDouble(), b.asDouble());
    } else if (a.isObject() && b.isObject()) {
      Set<String> keys = new TreeSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        if (VOLATILE_KEYS.contains(k) || (rel.endsWith("manifest.json") && MANIFEST_INVENTORY.contains(k))) {
          continue;
        }
        if (!a.has(k) && b.has(k) && givenPlace(b.get(k))) {
          continue; // the second run named the place (its data) that the first took by default
        }
        if (!a.has(k) || !b.has(k)) {
          mismatches.add(rel + " " + path + "." + k + ": only in one of the two");
          continue;
        }
        compareJson(rel, path + "." + k, a.get(k), b.get(k));
      }
    } else if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        mismatches.add(rel + " " + path + ": " + a.size() + " elements, " + b.size() + " in the other");
        return;
      }
      Iterator<JsonNode> ia = a.elements();
      Iterator<JsonNode> ib = b.elements();
      // Array elements share their parent's place (one figure per key path).
      while (ia.hasNext()) {
        compareJson(rel, path + "[]", ia.next(), ib.next());
      }
    } else if (a.isTextual() && b.isTextual()) {
      if (!a.asText().equals(placed(b.asText()))) {
        mismatches.add(rel + " " + path + ": " + a + " vs " + b);
      }
    } else if (!a.equals(b)) {
      mismatches.add(rel + " " + path + ": " + a + " vs " + b);
    }
  }

  private void compareNpy(String rel, Path a, Path b) throws IOException {
    Matrix ma;
    Matrix mb;
    try (InputStream ia = Files.newInputStream(a); InputStream ib = Files.newInputStream(b)) {
      ma = Npy.read(ia, rel);
      mb = Npy.read(ib, rel);
    }
    if (ma.rows() != mb.rows() || ma.cols() != mb.cols()) {
      mismatches.add(rel + ": " + ma.rows() + "x" + ma.cols() + " vs " + mb.rows() + "x" + mb.cols());
      return;
    }
    double[] da = ma.data();
    double[] db = mb.data();
    for (int i = 0; i < da.length; i++) {
      number(rel, rel + "[" + i + "]", da[i], db[i]);
    }
  }

  private void number(String place, String where, double a, double b) {
    numbers++;
    double rel;
    if (Double.compare(a, b) == 0 || a == b) {
      rel = 0;
    } else if (!Double.isFinite(a) || !Double.isFinite(b)) {
      mismatches.add(where + ": " + a + " vs " + b);
      return;
    } else {
      rel = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
    }
    maxByPlace.merge(place, rel, Math::max);
    if (rel > maxRelative) {
      maxRelative = rel;
      maxPlace = where + " (" + a + " vs " + b + ")";
    }
  }

  long numbers() {
    return numbers;
  }

  double maxRelative() {
    return maxRelative;
  }

  Set<String> files() {
    return files;
  }

  List<String> mismatches() {
    return mismatches;
  }

  /** Places (file:column, file:json.path, file.npy) whose numbers are not all identical, with their largest difference. */
  Map<String, Double> differing() {
    Map<String, Double> out = new TreeMap<>();
    maxByPlace.forEach((k, v) -> {
      if (v > 0) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** Places whose largest relative difference is over {@code tolerance}. */
  Map<String, Double> over(double tolerance) {
    Map<String, Double> out = new TreeMap<>();
    maxByPlace.forEach((k, v) -> {
      if (v > tolerance) {
        out.put(k, v);
      }
    });
    return out;
  }

  String summary() {
    return String.format("%d numbers in %d files compared; max relative difference %.3g at %s; not identical: %s",
        numbers, files.size(), maxRelative, maxPlace.isEmpty() ? "-" : maxPlace, differing());
  }
}
