package org.ntkstudy.portability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.launch.Launcher;
import org.ntkstudy.testing.TestData;
import org.ntkstudy.testing.TinyStudy;

/**
 * The {@code tiny} study on Java 25 (issue 14): started in a child JVM of a JDK 25 through the jar's
 * launcher, as {@code submit/local.sh} starts it (the same JVM flags, the Hadoop client for Java
 * 23+, the same Spark settings, {@code local[2]} as the tests' session), and every number it writes
 * — each CSV cell, each {@code .npy} element, each number of each {@code summary.json} but
 * timings and provenance — equal to this Java 17 JVM's run of the same study within 1e-9 relative.
 *
 * <p>The JDK 25 is {@code NTK_JAVA25_HOME}, else one found under /usr/lib/jvm. {@code .ci/run}
 * exports {@code NTK_JAVA25_HOME} when the machine has one; when it did, this test cannot skip.
 */
class Java25StudyTest {
  static final double REL_TOL = 1e-9;

  @Test
  void tinyStudyOnJava25EqualsJava17(@TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(TestData.fashionMnistInstalled(), "Fashion-MNIST not installed");
    Path home = java25Home();
    Assumptions.assumeTrue(home != null,
        "no JDK 25 here: set NTK_JAVA25_HOME (.ci/run sets it when /usr/lib/jvm has one)");
    Path root = repoRoot();
    Path out = tmp.resolve("study25");

    List<String> cmd = new ArrayList<>();
    cmd.add(home.resolve("bin/java").toString());
    cmd.addAll(jvmFlags(root, home));
    cmd.add("-Xmx3g");
    cmd.add("-Dntk.conf.dir=" + root.resolve("conf"));
    cmd.add("-Dspark.master=local[2]");
    cmd.add("-Dlog4j2.configurationFile=" + root.resolve("src/test/resources/log4j2-test.properties"));
    cmd.addAll(sparkDefaults(root.resolve("conf/spark-defaults.conf")));
    cmd.add("-cp");
    cmd.add(java25ClassPath(root));
    cmd.add(Launcher.class.getName());
    cmd.addAll(List.of("study", "--config", "tiny", "--out", out.toString()));
    for (String o : TinyStudy.TEST_OVERRIDES) {
      cmd.add("--set");
      cmd.add(o);
    }

    Path reference = TinyStudy.get(); // this JVM's (Java 17's) run, shared with the other study tests
    Path log = tmp.resolve("java25.log");
    long start = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("the Java 25 study did not finish in 10 minutes; log:\n" + tail(log));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(0, p.exitValue(), "the Java 25 study failed; log:\n" + tail(log));
    JsonNode spectrum = Json.MAPPER.readTree(out.resolve("spectrum/summary.json").toFile());
    String javaVersion = spectrum.path("provenance").path("java_version").asText();
    assertTrue(javaVersion.startsWith("25"), "ran on " + javaVersion);
    assertTrue(spectrum.path("provenance").path("openblas").asText().startsWith("OpenBLAS "),
        "the JNA binding names OpenBLAS on Java 25: " + spectrum.path("provenance"));

    Comparison c = compare(reference, out);
    System.out.printf("Java25StudyTest: tiny study on Java %s in %.1f s; %d files, %d numbers, max relative"
        + " difference to Java 17 %.3g (%s)%n", javaVersion, seconds, c.files, c.numbers, c.maxRel, c.where);
    assertTrue(c.files > 20, "compared " + c.files + " files");
    assertTrue(c.numbers > 1000, "compared " + c.numbers + " numbers");
    assertEquals(List.of(), c.problems, "Java 25 against Java 17");
    assertTrue(c.maxRel <= REL_TOL, "max relative difference " + c.maxRel + " at " + c.where);
  }

  // --- the JDK, its flags and classpath -----------------------------------------------------------

  /** NTK_JAVA25_HOME, else a JDK 25 (or later) under /usr/lib/jvm, else null; a set but unusable NTK_JAVA25_HOME fails. */
  static Path java25Home() throws IOException {
    String env = System.getenv("NTK_JAVA25_HOME");
    if (env != null && !env.isBlank()) {
      Path home = Path.of(env);
      if (!Files.isExecutable(home.resolve("bin/java")) || feature(home) < 25) {
        fail("NTK_JAVA25_HOME=" + env + " is not a JDK 25 (no bin/java, or its release file says otherwise)");
      }
      return home;
    }
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return null;
    }
    try (Stream<Path> s = Files.list(jvms)) {
      return s.filter(h -> Files.isExecutable(h.resolve("bin/java")))
          .filter(h -> {
            try {
              return feature(h) == 25;
            } catch (IOException e) {
              return false;
            }
          })
          .sorted().findFirst().orElse(null);
    }
  }

  /** The JDK's feature release from its {@code release} file ({@code JAVA_VERSION="25.0.3"}), or -1. */
  static int feature(Path home) throws IOException {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release)) {
      return -1;
    }
    Matcher m = Pattern.compile("(?m)^JAVA_VERSION=\"([0-9.]+)").matcher(Files.readString(release));
    return m.find() ? Launcher.feature(m.group(1)) : -1;
  }

  /** The project root (pom.xml beside submit/). */
  static Path repoRoot() {
    for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.exists(d.resolve("pom.xml")) && Files.isDirectory(d.resolve("submit"))) {
        return d;
      }
    }
    throw new AssertionError("no project root above " + System.getProperty("user.dir"));
  }

  /**
   * pom.xml's {@code spark.java.opens} (what surefire and submit/local.sh pass), less the opening
   * of sun.security.action where the JDK has none (Java 24+), plus what Java 23+ needs.
   */
  static List<String> jvmFlags(Path root, Path home) throws IOException {
    Matcher m = Pattern.compile("<spark\\.java\\.opens>([^<]*)</spark\\.java\\.opens>")
        .matcher(Files.readString(root.resolve("pom.xml")));
    assertTrue(m.find(), "pom.xml has spark.java.opens");
    List<String> flags = new ArrayList<>(List.of(m.group(1).trim().split("\\s+")));
    String opens = "--add-opens=java.base/sun.security.action=ALL-UNNAMED";
    try {
      Process p = new ProcessBuilder(home.resolve("bin/java").toString(), opens, "-version")
          .redirectErrorStream(true).start();
      String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(60, TimeUnit.SECONDS);
      if (said.contains("sun.security.action not in")) {
        flags.remove(opens);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    flags.add("--sun-misc-unsafe-memory-access=allow");
    return flags;
  }

  /**
   * This test JVM's classpath without the test classes, with the Hadoop client for Java 23+
   * (target/hadoop-java23, copied by the build) in place of the project's.
   */
  static String java25ClassPath(Path root) throws IOException {
    Path dir = root.resolve("target/hadoop-java23");
    List<String> out = new ArrayList<>();
    int replaced = 0;
    for (String e : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
        .split(File.pathSeparator)) {
      String name = Path.of(e).getFileName().toString();
      if (e.endsWith("test-classes") || e.contains("junit") || e.contains("opentest4j") || e.contains("apiguardian")) {
        continue;
      }
      if (name.startsWith("hadoop-client-api-") || name.startsWith("hadoop-client-runtime-")) {
        String kind = name.startsWith("hadoop-client-api-") ? "hadoop-client-api-" : "hadoop-client-runtime-";
        try (Stream<Path> s = Files.list(dir)) {
          Path jar = s.filter(f -> f.getFileName().toString().startsWith(kind)).findFirst()
              .orElseThrow(() -> new AssertionError("no " + kind + "*.jar in " + dir + " (mvn generate-test-resources copies it)"));
          out.add(jar.toString());
          replaced++;
        }
        continue;
      }
      out.add(e);
    }
    assertEquals(2, replaced, "the Hadoop client api and runtime are on the classpath");
    return String.join(File.pathSeparator, out);
  }

  /** conf/spark-defaults.conf's {@code key value} lines as -D properties, as submit/local.sh passes them. */
  static List<String> sparkDefaults(Path file) throws IOException {
    List<String> props = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String t = line.trim();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      String[] kv = t.split("\\s+", 2);
      props.add("-D" + kv[0] + "=" + (kv.length > 1 ? kv[1] : ""));
    }
    return props;
  }

  static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  // --- comparing two study folders ---------------------------------------------------------------

  static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  /** Keys whose values are the run's own, not its results: times, the machine, paths. */
  static final Set<String> RUN_KEYS = Set.of("provenance", "timings", "created", "seconds", "study");

  static final class Comparison {
    int files;
    long numbers;
    double maxRel;
    String where = "-";
    final List<String> problems = new ArrayList<>();

    void number(double a, double b, String at) {
      numbers++;
      double r = relative(a, b);
      if (r > maxRel || Double.isNaN(r)) {
        maxRel = Double.isNaN(r) ? Double.POSITIVE_INFINITY : r;
        where = at + " (" + a + " vs " + b + ")";
      }
    }
  }

  static double relative(double a, double b) {
    if (Double.compare(a, b) == 0 || a == b) {
      return 0;
    }
    if (Double.isNaN(a) || Double.isNaN(b) || Double.isInfinite(a) || Double.isInfinite(b)) {
      return Double.POSITIVE_INFINITY;
    }
    return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
  }

  /** Every CSV, .npy and summary/index JSON of {@code a} against the same file of {@code b}. */
  static Comparison compare(Path a, Path b) throws IOException {
    Comparison c = new Comparison();
    Set<String> files = new TreeSet<>();
    try (Stream<Path> s = Files.walk(a)) {
      s.filter(Files::isRegularFile).forEach(f -> {
        String rel = a.relativize(f).toString();
        if (!rel.contains(".parquet") && !rel.endsWith("manifest.json")
            && (rel.endsWith(".csv") || rel.endsWith(".npy") || rel.endsWith(".json"))) {
          files.add(rel);
        }
      });
    }
    for (String rel : files) {
      Path fa = a.resolve(rel);
      Path fb = b.resolve(rel);
      if (!Files.exists(fb)) {
        c.problems.add("missing on Java 25: " + rel);
        continue;
      }
      c.files++;
      if (rel.endsWith(".npy")) {
        compareNpy(fa, fb, rel, c);
      } else if (rel.endsWith(".csv")) {
        compareCsv(fa, fb, rel, c);
      } else {
        compareJson(Json.MAPPER.readTree(fa.toFile()), Json.MAPPER.readTree(fb.toFile()), rel, c);
      }
    }
    return c;
  }

  static void compareNpy(Path fa, Path fb, String rel, Comparison c) throws IOException {
    byte[] x = Files.readAllBytes(fa);
    byte[] y = Files.readAllBytes(fb);
    int hx = npyDataStart(x);
    int hy = npyDataStart(y);
    String headerX = new String(x, 0, hx, StandardCharsets.ISO_8859_1);
    String headerY = new String(y, 0, hy, StandardCharsets.ISO_8859_1);
    if (!headerX.equals(headerY)) {
      c.problems.add(rel + ": .npy headers differ: " + headerX.trim() + " / " + headerY.trim());
      return;
    }
    if (!headerX.contains("'<f8'")) {
      if (!java.util.Arrays.equals(x, y)) {
        c.problems.add(rel + ": non-float64 .npy differs");
      }
      return;
    }
    ByteBuffer bx = ByteBuffer.wrap(x, hx, x.length - hx).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer by = ByteBuffer.wrap(y, hy, y.length - hy).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; bx.remaining() >= 8; i++) {
      c.number(bx.getDouble(), by.getDouble(), rel + "[" + i + "]");
    }
  }

  /** Where a .npy file's data starts: magic (6), version (2), header length (2 or 4), header. */
  static int npyDataStart(byte[] f) {
    int major = f[6] & 0xff;
    if (major == 1) {
      return 10 + ((f[8] & 0xff) | (f[9] & 0xff) << 8);
    }
    return 12 + ByteBuffer.wrap(f, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  static void compareCsv(Path fa, Path fb, String rel, Comparison c) throws IOException {
    List<String> la = Files.readAllLines(fa);
    List<String> lb = Files.readAllLines(fb);
    if (la.size() != lb.size()) {
      c.problems.add(rel + ": " + la.size() + " lines against " + lb.size());
      return;
    }
    List<String> header = la.isEmpty() ? List.of() : cells(la.get(0));
    for (int i = 0; i < la.size(); i++) {
      List<String> ra = cells(la.get(i));
      List<String> rb = cells(lb.get(i));
      if (ra.size() != rb.size()) {
        c.problems.add(rel + " line " + (i + 1) + ": " + ra.size() + " cells against " + rb.size());
        continue;
      }
      for (int j = 0; j < ra.size(); j++) {
        String column = j < header.size() ? header.get(j) : String.valueOf(j);
        if (i > 0 && (column.endsWith("_s") || column.contains("seconds"))) {
          continue;
        }
        Double x = number(ra.get(j));
        Double y = number(rb.get(j));
        if (x != null && y != null) {
          c.number(x, y, rel + " line " + (i + 1) + " " + column);
        } else if (!ra.get(j).equals(rb.get(j))) {
          c.problems.add(rel + " line " + (i + 1) + " " + column + ": '" + ra.get(j) + "' against '" + rb.get(j) + "'");
        }
      }
    }
  }

  /** One CSV line's cells (RFC 4180 quoting). */
  static List<String> cells(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cur.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    out.add(cur.toString());
    return out;
  }

  static Double number(String s) {
    try {
      return Double.valueOf(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static void compareJson(JsonNode x, JsonNode y, String at, Comparison c) {
    if (x.isNumber() && y.isNumber()) {
      c.number(x.asDouble(), y.asDouble(), at);
    } else if (x.isObject() && y.isObject()) {
      Set<String> keys = new TreeSet<>();
      x.fieldNames().forEachRemaining(keys::add);
      y.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        if (RUN_KEYS.contains(k) || k.endsWith("_s")) {
          continue;
        }
        if (!x.has(k) || !y.has(k)) {
          c.problems.add(at + "." + k + ": present on one side only");
        } else {
          compareJson(x.get(k), y.get(k), at + "." + k, c);
        }
      }
    } else if (x.isArray() && y.isArray()) {
      if (x.size() != y.size()) {
        c.problems.add(at + ": " + x.size() + " elements against " + y.size());
        return;
      }
      Iterator<JsonNode> ix = x.elements();
      Iterator<JsonNode> iy = y.elements();
      for (int i = 0; ix.hasNext(); i++) {
        compareJson(ix.next(), iy.next(), at + "[" + i + "]", c);
      }
    } else if (!x.equals(y)) {
      c.problems.add(at + ": " + x + " against " + y);
    }
  }
}
