package org.ntkstudy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.spark.DriverBlas;
import org.ntkstudy.testing.TestData;
import org.ntkstudy.testing.TinyStudy;

/**
 * The {@code tiny} study on a real Spark standalone cluster on 127.0.0.1 (a Master and two
 * Workers, each a JVM with one core, executors in JVMs of their own: {@link
 * LocalStandaloneCluster}), submitted by submit/standalone.sh through spark-submit, in cluster
 * deploy mode (a Worker runs the driver) and in client deploy mode with one Worker and its
 * executor SIGKILLed while the influence part's malleability grid runs; each run's every CSV,
 * JSON and .npy number equals the local-mode run's ({@link TinyStudy}, local[2] in this JVM) to
 * 1e-9 relative ({@link StudyComparison}). Kryo registration is required, as in every test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterTest {
  static final double TOLERANCE = 1e-9;
  /** The log line of the influence part's malleability grid (20 cells, the study's longest grid). */
  static final String KILL_AT = "stage: influence/cells:";
  static final long RUN_TIMEOUT_MIN = 12;

  @TempDir static Path tmp;
  static SparkHome spark;
  static LocalStandaloneCluster cluster;
  static Path appJar;

  @BeforeAll
  static void startCluster() throws IOException {
    Assumptions.assumeTrue(TestData.fashionMnistInstalled(), "Fashion-MNIST not installed");
    long t0 = System.nanoTime();
    spark = SparkHome.create(tmp.resolve("spark-home"));
    appJar = SparkHome.applicationJar(tmp.resolve("ntk-attention-classes.jar"));
    cluster = LocalStandaloneCluster.start(spark, Files.createDirectories(tmp.resolve("cluster")), 2);
    System.out.printf("[cluster] master %s and 2 workers up in %.1f s; driver LAPACK threads %s%n", cluster.masterUrl(),
        seconds(t0), localDriverLapackThreads());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void clusterDeployModeEqualsLocalMode() throws Exception {
    Path reference = reference();
    Path out = tmp.resolve("study-cluster-mode");
    long t0 = System.nanoTime();
    Submission s = submit("cluster", out, List.of("spark.standalone.submit.waitAppCompletion=true"));
    assertTrue(s.process.waitFor(RUN_TIMEOUT_MIN, TimeUnit.MINUTES), "cluster-mode run timed out\n" + s.describe());
    double secs = seconds(t0);
    assertEquals(0, s.process.exitValue(), s.describe());
    // spark-submit exits 0 whether the driver finished or failed: the Master knows which.
    List<String> states = driverStates();
    assertEquals(List.of("FINISHED"), states, "the driver a Worker ran\n" + s.describe());
    compare("cluster deploy mode", reference, out, secs, s);
  }

  @Test
  @Order(2)
  void clientDeployModeSurvivesAWorkerKilledMidRun() throws Exception {
    Path reference = reference();
    Path out = tmp.resolve("study-client-mode");
    long t0 = System.nanoTime();
    Submission s = submit("client", out, List.of());
    boolean killed = false;
    double killedAt = 0;
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(RUN_TIMEOUT_MIN);
    while (s.process.isAlive() && System.nanoTime() < end) {
      if (!killed && Files.readString(s.err, StandardCharsets.UTF_8).contains(KILL_AT)) {
        LocalStandaloneCluster.sleep(500); // the grid's tasks are running on both executors
        cluster.killWorker(1);
        killed = true;
        killedAt = seconds(t0);
        System.out.printf("[cluster] worker 1 and its executor SIGKILLed %.1f s into the client-mode run%n", killedAt);
      }
      LocalStandaloneCluster.sleep(250);
    }
    assertTrue(s.process.waitFor(10, TimeUnit.SECONDS), "client-mode run timed out\n" + s.describe());
    double secs = seconds(t0);
    assertTrue(killed, "the run never reached '" + KILL_AT + "'\n" + s.describe());
    assertEquals(0, s.process.exitValue(), s.describe());
    String log = Files.readString(s.err, StandardCharsets.UTF_8);
    assertTrue(log.contains("Lost executor"), "the driver saw its executor die\n" + s.describe());
    compare("client deploy mode, worker killed at " + String.format("%.0f s", killedAt), reference, out, secs, s);
  }

  // ------------------------------------------------------------------------------------------

  static Path reference() {
    long t0 = System.nanoTime();
    Path dir = TinyStudy.get();
    System.out.printf("[cluster] local-mode reference (local[2] in the test JVM) ready in %.1f s (0 when another test ran it)%n",
        seconds(t0));
    return dir;
  }

  record Submission(Process process, Path out, Path err) {
    String describe() throws IOException {
      return "--- spark-submit stdout\n" + tail(out) + "--- spark-submit stderr\n" + tail(err) + cluster.logs();
    }
  }

  static String tail(Path f) throws IOException {
    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())) + "\n";
  }

  /** submit/standalone.sh study --config tiny, sized for one-core workers with 3g each. */
  static Submission submit(String mode, Path out, List<String> moreConf) throws IOException {
    Path root = SparkHome.projectRoot();
    List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("submit/standalone.sh").toString()));
    List<String> conf = new ArrayList<>(List.of(
        "spark.executor.cores=1",
        "spark.executor.memory=1g",
        "spark.driver.cores=1",
        "spark.driver.memory=1536m",
        "spark.jars=" + SparkHome.dependencyJars(),
        "spark.kryo.registrationRequired=true",
        "spark.ui.enabled=false"));
    conf.addAll(moreConf);
    for (String c : conf) {
      cmd.add("--conf");
      cmd.add(c);
    }
    cmd.addAll(List.of("study", "--config", "tiny", "--out", out.toString()));
    for (String o : TinyStudy.TEST_OVERRIDES) {
      cmd.add("--set");
      cmd.add(o);
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("NTK_") || k.equals("SPARK_SUBMIT"));
    env.putAll(spark.environment());
    env.put("NTK_MASTER", cluster.masterUrl());
    env.put("NTK_DEPLOY_MODE", mode);
    env.put("NTK_JAR", appJar.toString());
    env.put("SPARK_SUBMIT", spark.sparkSubmit().toString());
    // The driver's LAPACK on as many threads as local mode gave it, so that its eigendecompositions
    // and factorisations round alike; executors keep one thread (spark.executorEnv). A cluster-mode
    // driver gets spark-submit's environment too (deploy/Client.scala).
    env.put("OPENBLAS_NUM_THREADS", localDriverLapackThreads());
    Path stdout = tmp.resolve(mode + "-submit.out");
    Path stderr = tmp.resolve(mode + "-submit.err");
    pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    return new Submission(pb.start(), stdout, stderr);
  }

  /**
   * The threads of the local-mode driver's LAPACK: DriverBlas.allCores gives it every core when it
   * can switch OpenBLAS's threads (it then describes the bound OpenBLAS), else it runs at this
   * JVM's OPENBLAS_NUM_THREADS.
   */
  static String localDriverLapackThreads() {
    if (DriverBlas.describeOpenBlas() != null) {
      return String.valueOf(Runtime.getRuntime().availableProcessors());
    }
    String env = System.getenv("OPENBLAS_NUM_THREADS");
    return env == null ? "1" : env;
  }

  @SuppressWarnings("unchecked")
  static List<String> driverStates() {
    Map<String, Object> state = cluster.masterState();
    List<String> out = new ArrayList<>();
    for (String key : List.of("activedrivers", "completeddrivers")) {
      Object drivers = state.get(key);
      if (drivers instanceof List<?> l) {
        for (Object d : l) {
          out.add(String.valueOf(((Map<String, Object>) d).get("state")));
        }
      }
    }
    return out;
  }

  static void compare(String what, Path reference, Path out, double secs, Submission s) throws IOException {
    assertTrue(Files.exists(out.resolve("summary.json")), what + ": no finished study at " + out + "\n" + s.describe());
    // The report's index names the study's folder: the two runs' own places.
    StudyComparison c = new StudyComparison().samePlace(reference.toString(), out.toString()).compare(reference, out);
    System.out.printf("[cluster] %s: tiny study in %.1f s; %s%n", what, secs, c.summary());
    assertEquals(List.of(), c.mismatches(), what);
    assertEquals(Map.of(), c.over(TOLERANCE), what + ": numbers differing from local mode by more than " + TOLERANCE
        + " relative; " + c.summary());
    assertTrue(c.numbers() > 10_000, what + ": compared only " + c.numbers() + " numbers");
  }

  static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
