package org.ntkstudy.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ntkstudy.io.Json;

/**
 * A real Spark standalone cluster on 127.0.0.1: org.apache.spark.deploy.master.Master and
 * {@code workers} org.apache.spark.deploy.worker.Worker, each a JVM of its own started through
 * {@link SparkHome}'s bin/spark-class, each Worker with one core; the executors (and, in cluster
 * deploy mode, the driver) are JVMs the Workers start. Closing it kills every process it started
 * and their children, by process handle.
 */
final class LocalStandaloneCluster implements AutoCloseable {
  /** Memory of each Worker (what it can give to its executors and a cluster-mode driver). */
  static final String WORKER_MEMORY = "3g";

  final SparkHome spark;
  final Path dir;
  final int masterPort;
  final int masterUiPort;
  private Process master;
  private final List<Process> workers = new ArrayList<>();

  private LocalStandaloneCluster(SparkHome spark, Path dir) {
    this.spark = spark;
    this.dir = dir;
    this.masterPort = freePort();
    this.masterUiPort = freePort();
  }

  /** Starts the Master and {@code workers} Workers and waits until every Worker is registered. */
  static LocalStandaloneCluster start(SparkHome spark, Path dir, int workers) throws IOException {
    LocalStandaloneCluster c = new LocalStandaloneCluster(spark, dir);
    try {
      c.master = c.launch("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
          "--port", String.valueOf(c.masterPort), "--webui-port", String.valueOf(c.masterUiPort)));
      for (int i = 0; i < workers; i++) {
        c.workers.add(c.startWorker(i));
      }
      c.awaitAliveWorkers(workers, Duration.ofMinutes(2));
      return c;
    } catch (IOException | RuntimeException | Error e) {
      c.close();
      throw e;
    }
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  private Process startWorker(int i) throws IOException {
    Path work = Files.createDirectories(dir.resolve("worker" + i));
    return launch("worker" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
        "--cores", "1", "--memory", WORKER_MEMORY, "--work-dir", work.toString(), "--webui-port", "0",
        masterUrl()));
  }

  private Process launch(String name, List<String> classAndArgs) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(spark.sparkClass().toString());
    cmd.addAll(classAndArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().putAll(spark.environment());
    pb.environment().put("SPARK_DAEMON_MEMORY", "256m");
    pb.redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
    return pb.start();
  }

  /** The Master's state as its web UI's /json/ gives it. */
  Map<String, Object> masterState() {
    try (InputStream in = URI.create("http://127.0.0.1:" + masterUiPort + "/json/").toURL().openStream()) {
      return Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void awaitAliveWorkers(int n, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < end) {
      try {
        Map<String, Object> s = masterState();
        last = String.valueOf(s.get("aliveworkers"));
        if (s.get("aliveworkers") instanceof Number k && k.intValue() == n) {
          return;
        }
      } catch (UncheckedIOException e) {
        last = e.getMessage();
      }
      sleep(500);
    }
    throw new AssertionError("the Master has not " + n + " alive workers after " + timeout + " (" + last + "); logs:\n"
        + logs());
  }

  /**
   * Kills Worker {@code i} as a machine loss would: SIGKILL to the Worker JVM and every process it
   * started (its executors), no shutdown hooks run.
   */
  void killWorker(int i) {
    Process w = workers.get(i);
    List<ProcessHandle> handles = new ArrayList<>(w.toHandle().descendants().toList());
    handles.add(0, w.toHandle());
    handles.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle h : handles) {
      try {
        h.onExit().get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new AssertionError("process " + h.pid() + " of worker " + i + " still alive after SIGKILL", e);
      }
    }
  }

  /** The Master's, the Workers' and every driver's and executor's log, the last lines of each. */
  String logs() {
    StringBuilder out = new StringBuilder();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : walk.filter(p -> Files.isRegularFile(p)
          && (p.toString().endsWith(".log") || p.getFileName().toString().equals("stderr"))).sorted().toList()) {
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        out.append("--- ").append(dir.relativize(f)).append('\n');
        lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> out.append(l).append('\n'));
      }
    } catch (IOException e) {
      out.append("(logs unreadable: ").append(e).append(")\n");
    }
    return out.toString();
  }

  @Override
  public void close() {
    List<Process> all = new ArrayList<>(workers);
    if (master != null) {
      all.add(master);
    }
    List<ProcessHandle> handles = new ArrayList<>();
    for (Process p : all) {
      handles.addAll(p.toHandle().descendants().toList());
      handles.add(p.toHandle());
    }
    handles.forEach(ProcessHandle::destroyForcibly);
    // Gone before the test's temporary folder (their work folders) is deleted.
    for (ProcessHandle h : handles) {
      try {
        h.onExit().get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // reported by the folder's deletion, if it matters
      }
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
