package org.ntkstudy.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.Main;
import org.ntkstudy.testing.SparkTestSession;
import org.ntkstudy.testing.TestData;
import org.ntkstudy.testing.TinyStudy;

/**
 * Process faults (issue 13): the driver JVM of a job and of a study, SIGTERMed and SIGKILLed in the
 * middle of their grids, then continued with {@code --resume} to results byte-identical to an
 * uninterrupted run; a job that cannot resume removes its folder on SIGTERM; two runs on one
 * {@code --out}. Each run is a separate JVM started as submit/local.sh starts it.
 */
class ProcessFaultTest {
  @TempDir static Path dir;
  static Path data;
  static Path repo = Path.of(System.getProperty("ntk.test.repo", "."));

  @BeforeAll
  static void setUp() {
    data = TestData.idxDataset(dir.resolve("data"), 400, 100, 28, 2, 11);
    SparkTestSession.get(); // Spark's start-up lines are logged before any output is captured
  }

  static final String[] TRAIN = {"train", "--dataset", "mnist", "--n", "60", "--n-test", "20", "--classes", "0,1",
      "--widths", "16,32", "--seeds", "3", "--models", "relu,attn", "--optimizers", "adam", "--sigma0", "1",
      "--epochs", "150"};

  /** A job's driver SIGTERMed, then SIGKILLed, in its grid; --resume gives the uninterrupted run's bytes. */
  @Test
  void aTrainJobKilledTwiceAndResumedEqualsAnUninterruptedRun() throws Exception {
    // The uninterrupted run, and while it runs, other runs on its --out are refused.
    Path ref = dir.resolve("train-ref");
    Child first = Child.start(dir.resolve("first"), train(ref));
    waitFor("the first run's cells", () -> cells(dir, ".train-ref.cells") >= 1, first);
    for (String[] extra : new String[][] {{}, {"--overwrite"}, {"--resume"}}) {
      Outcome o = inProcess(concat(train(ref), extra));
      assertEquals(2, o.code(), "a second run on a --out being written: " + o.err());
      assertTrue(o.err().contains("is being written by another run (process " + first.pid()), o.err());
      assertEquals(1, o.err().strip().lines().count(), o.err());
    }
    assertEquals(0, first.waitFor(), first.err());

    // SIGTERM in the grid: the unfinished folder is kept and the resume command printed.
    Path out = dir.resolve("train");
    Child second = Child.start(dir.resolve("second"), train(out));
    waitFor("cells of the run to stop", () -> cells(dir, ".train.cells") >= 1, second);
    second.process().destroy(); // SIGTERM
    assertEquals(143, second.waitFor());
    String last = second.interrupted();
    assertTrue(last.startsWith("interrupted: its finished pieces are kept in " + dir.resolve(".train.inprogress-")), last);
    assertTrue(last.endsWith("to continue, run submit/local.sh " + String.join(" ", train(out)) + " --resume"), last);
    assertFalse(Files.exists(out));
    assertEquals(0, count(dir, n -> n.startsWith(".train.inprogress-") && n.endsWith(".owner")), "owner released");

    // --resume, SIGKILLed once it has finished another cell: nothing is cleaned, nothing is lost.
    int kept = cells(dir, ".train.cells");
    Child third = Child.start(dir.resolve("third"), concat(train(out), "--resume"));
    waitFor("a cell of the resumed run", () -> cells(dir, ".train.cells") > kept, third);
    third.process().destroyForcibly(); // SIGKILL
    assertEquals(137, third.waitFor());

    Child fourth = Child.start(dir.resolve("fourth"), concat(train(out), "--resume"));
    assertEquals(0, fourth.waitFor(), fourth.err());
    assertSameResults(ref, out);
    assertEquals(0, count(dir, n -> n.startsWith(".train")), "no unfinished folder, cell store or owner file left");
  }

  /** A job that cannot resume removes its unfinished folder when SIGTERMed. */
  @Test
  void aSpectrumJobSigtermedRemovesItsFolder() throws Exception {
    Path out = dir.resolve("spec");
    Child c = Child.start(dir.resolve("spec-run"), "spectrum", "--dataset", "mnist", "--data", data.toString(),
        "--n", "400", "--n-test", "10", "--npy", "--out", out.toString());
    waitFor("the spectrum's folder", () -> count(dir, n -> n.startsWith(".spec.inprogress-") && !n.endsWith(".owner")) > 0, c);
    c.process().destroy();
    int code = c.waitFor();
    if (code == 0) {
      Assumptions.abort("the spectrum finished before the signal (too fast a machine)");
    }
    assertEquals(143, code);
    assertEquals("interrupted: the unfinished output " + out + " was removed", c.interrupted());
    assertEquals(0, count(dir, n -> n.startsWith(".spec") || n.equals("spec")), "nothing left behind");
  }

  /** The study's driver SIGTERMed in one part and SIGKILLed in a later one; --resume gives the same bytes. */
  @Test
  void theStudyKilledInTwoPartsAndResumedEqualsAnUninterruptedRun() throws Exception {
    Assumptions.assumeTrue(TestData.fashionMnistInstalled(), "Fashion-MNIST not installed");
    Path reference = TinyStudy.get();
    Path out = dir.resolve("study");
    List<String> args = new ArrayList<>(List.of("study", "--config", "tiny"));
    for (String s : TinyStudy.TEST_OVERRIDES) {
      args.add("--set");
      args.add(s);
    }
    args.add("--out");
    args.add(out.toString());
    String[] study = args.toArray(String[]::new);

    Child a = Child.start(dir.resolve("study-a"), study);
    waitFor("the sweep's cells", () -> cells(dir, ".sweep.cells") >= 2, a);
    a.process().destroy();
    assertEquals(143, a.waitFor());
    assertTrue(a.interrupted().contains("to continue, run submit/local.sh " + String.join(" ", study) + " --resume"),
        a.interrupted());

    Child b = Child.start(dir.resolve("study-b"), concat(study, "--resume"));
    waitFor("the training grid's cells", () -> cells(dir, ".train.cells") >= 2, b);
    b.process().destroyForcibly();
    assertEquals(137, b.waitFor());

    Child c = Child.start(dir.resolve("study-c"), concat(study, "--resume"));
    assertEquals(0, c.waitFor(), c.err());
    assertSameResults(reference, out);
  }

  // ---------------------------------------------------------------- helpers

  private static String[] train(Path out) {
    return concat(TRAIN, "--data", data.toString(), "--out", out.toString());
  }

  static String[] concat(String[] a, String... b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** The finished cell files under every folder named {@code name} below {@code root}. */
  static int cells(Path root, String name) {
    try (Stream<Path> s = Files.walk(root)) {
      return (int) s.filter(p -> Files.isRegularFile(p) && p.toString().contains("/" + name + "/")
          && !p.getFileName().toString().startsWith(".")).count();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0; // a folder vanished while walking: look again
    }
  }

  static int count(Path d, java.util.function.Predicate<String> name) {
    try (Stream<Path> s = Files.list(d)) {
      return (int) s.filter(p -> name.test(p.getFileName().toString())).count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void waitFor(String what, BooleanSupplier done, Child c) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (!done.getAsBoolean()) {
      if (!c.process().isAlive()) {
        throw new AssertionError("the run ended (" + c.process().exitValue() + ") before " + what + ": " + c.err());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  /** Every CSV and .npy of two outputs, byte for byte. */
  static void assertSameResults(Path a, Path b) throws IOException {
    Map<String, byte[]> fa = TestData.resultFiles(a);
    Map<String, byte[]> fb = TestData.resultFiles(b);
    assertEquals(fa.keySet(), fb.keySet());
    assertTrue(fa.size() >= 3, "compared " + fa.keySet());
    for (String f : fa.keySet()) {
      assertArrayEquals(fa.get(f), fb.get(f), f + " differs from the uninterrupted run");
    }
  }

  record Outcome(int code, String err) {}

  static Outcome inProcess(String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new Outcome(Main.run(args), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(old);
    }
  }

  /** A job in its own JVM, started as submit/local.sh starts it (same module options, local[2]). */
  record Child(Process process, Path log) {
    static Child start(Path log, String... args) throws IOException {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (a.startsWith("--add-") || a.startsWith("--enable-native-access") || a.startsWith("-XX:+IgnoreUnrecognized")
            || a.startsWith("-Djdk.reflect")) {
          cmd.add(a);
        }
      }
      cmd.add("-Xmx2g");
      cmd.add("-Dspark.master=local[2]");
      cmd.add("-Dspark.ui.enabled=false");
      cmd.add("-Dntk.launcher=submit/local.sh");
      cmd.add("-Dlog4j2.configurationFile=" + repo.resolve("conf/log4j2.properties"));
      cmd.add("-cp");
      cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
      cmd.add("org.ntkstudy.Main");
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false)
          .redirectOutput(log.resolveSibling(log.getFileName() + ".out").toFile())
          .redirectError(log.resolveSibling(log.getFileName() + ".err").toFile());
      pb.environment().put("OPENBLAS_NUM_THREADS", "1");
      return new Child(pb.start(), log);
    }

    long pid() {
      return process.pid();
    }

    int waitFor() throws InterruptedException {
      if (!process.waitFor(6, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("the run did not end within 6 minutes");
      }
      return process.exitValue();
    }

    String err() {
      try {
        return Files.readString(log.resolveSibling(log.getFileName() + ".err"));
      } catch (IOException e) {
        return "(no stderr: " + e + ")";
      }
    }

    /** The one line the run printed when it was interrupted (Spark's executors may log after it). */
    String interrupted() {
      List<String> lines = err().lines().filter(l -> l.startsWith("interrupted:")).toList();
      assertEquals(1, lines.size(), "one 'interrupted:' line: " + err());
      return lines.get(0);
    }
  }
}
