package org.ntkstudy.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.ntkstudy.bench.support.Medians;
import org.ntkstudy.data.DatasetLoader;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.data.StudyData;
import org.ntkstudy.io.Json;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.Trainer;
import org.ntkstudy.math.TrainingRun;
import org.ntkstudy.math.TwoLayerNetwork;
import org.ntkstudy.report.Provenance;
import org.ntkstudy.spark.Stages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bench --suite train}: one epoch of the {@code paper} recipe (Adam, batch 128, λ_wd 1e-3,
 * σ0 0.01; SCIENCE §4) inside a Spark task, as the train job runs it: one network, one core, one
 * BLAS thread. Against NumPy's DGEMM rate on the same GEMM shapes, measured in the same run with
 * one thread (the like-for-like peak of a one-core cell) and with two (for the record). Counted
 * flops per example: forward X Wᵀ and H a, backward dF aᵀ and dZᵀ X: 4dm + 4mC.
 */
public final class TrainBench {
  private static final Logger LOG = LoggerFactory.getLogger(TrainBench.class);
  /** Target: our epoch at least 40% of NumPy's (one-thread) DGEMM rate. */
  public static final double TARGET = 0.4;

  /** Inputs and targets to use instead of loading data (tests), or null. */
  public record Config(DatasetSpec data, Matrix inputs, Matrix targets, int width, int batch, int repeats,
      boolean skipNumpy, String python, String out, boolean overwrite) {}

  /** The figures and the printed report. */
  public record Result(Map<String, Object> summary, String report) {}

  private static final String SCRIPT = """
      import json, sys, time
      import numpy as np
      n, d, m, c, b, reps = (int(v) for v in sys.argv[1:7])
      rng = np.random.default_rng(0)
      X = rng.random((b, d)); W = rng.random((m, d)); A = rng.random((m, c)); dZ = rng.random((b, m))
      H = np.empty((b, m)); F = np.empty((b, c)); G = np.empty((m, d)); D = np.empty((b, m))
      def epoch():
          for _ in range((n + b - 1) // b):
              np.matmul(X, W.T, out=H); np.matmul(H, A, out=F); np.matmul(F, A.T, out=D); np.matmul(dZ.T, X, out=G)
      epoch()
      ts = []
      for _ in range(reps):
          t = time.perf_counter(); epoch(); ts.append(time.perf_counter() - t)
      print(json.dumps({"seconds": sorted(ts)[len(ts) // 2], "version": np.__version__}))
      """;

  private final Config config;

  public TrainBench(Config config) {
    this.config = config;
  }

  public Result run(SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    RunOutput output = config.out() == null ? null
        : RunOutput.open(config.out(), config.overwrite(), jsc.hadoopConfiguration());
    Matrix x;
    Matrix y;
    if (config.inputs() != null) {
      x = config.inputs();
      y = config.targets();
    } else {
      StudyData s = Stages.run(jsc, "bench/data", "load " + config.data().dataset(),
          () -> DatasetLoader.load(config.data(), jsc.hadoopConfiguration(), spark));
      x = s.train().inputs();
      y = s.train().targets();
    }
    int n = x.rows();
    int d = x.cols();
    int m = config.width();
    int c = y.cols();
    Trainer.Loss loss = c == 1 ? Trainer.Loss.MSE : Trainer.Loss.CROSS_ENTROPY;
    double flops = (double) n * (4.0 * d * m + 4.0 * m * c);
    Broadcast<Matrix> xb = jsc.broadcast(x);
    Broadcast<Matrix> yb = jsc.broadcast(y);
    int repeats = config.repeats();
    int batch = config.batch();
    // One task alone (a cell on one core), then one per core at once (the grid filling the machine).
    List<Double> runs = epochs(jsc, xb, yb, 1, m, d, c, loss, batch, repeats).get(0);
    int cores = Math.max(1, jsc.defaultParallelism());
    List<List<Double>> parallel = epochs(jsc, xb, yb, cores, m, d, c, loss, batch, repeats);
    List<Double> wall = new ArrayList<>();
    for (int r = 0; r < repeats; r++) {
      double slowest = 0;
      for (List<Double> t : parallel) {
        slowest = Math.max(slowest, t.get(r));
      }
      wall.add(slowest);
    }
    xb.unpersist(false);
    yb.unpersist(false);
    double ours = Medians.median(runs);
    double allCores = Medians.median(wall);
    Double np1 = config.skipNumpy() ? null : numpy(n, d, m, c, batch, 1);
    Double np2 = config.skipNumpy() ? null : numpy(n, d, m, c, batch, cores);

    Map<String, Object> s = new LinkedHashMap<>();
    s.put("job", "bench");
    s.put("suite", "train");
    s.put("n", n);
    s.put("d", d);
    s.put("width", m);
    s.put("outputs", c);
    s.put("batch", batch);
    s.put("counted_flops", flops);
    s.put("epoch_s", ours);
    s.put("epoch_runs_s", runs);
    s.put("epoch_gflops", flops / ours / 1e9);
    s.put("numpy_1thread_s", np1);
    s.put("numpy_1thread_gflops", np1 == null ? null : flops / np1 / 1e9);
    s.put("numpy_2threads_s", np2);
    s.put("numpy_2threads_gflops", np2 == null ? null : flops / np2 / 1e9);
    Double ratio = np1 == null ? null : np1 / ours;
    s.put("train_vs_numpy", ratio);
    s.put("train_vs_numpy_target", ">= " + TARGET);
    s.put("train_vs_numpy_status", ratio == null ? "SKIPPED" : ratio >= TARGET ? "PASS" : "MISS");
    s.put("cores", cores);
    s.put("all_cores_epoch_s", allCores);
    s.put("all_cores_gflops", cores * flops / allCores / 1e9);
    Double ratioAll = np2 == null ? null : (cores * flops / allCores) / (flops / np2);
    s.put("train_all_cores_vs_numpy_all_threads", ratioAll);
    s.put("train_all_cores_vs_numpy_all_threads_status", ratioAll == null ? "SKIPPED" : ratioAll >= TARGET ? "PASS" : "MISS");
    Map<String, String> defs = new LinkedHashMap<>();
    defs.put("counted_flops", "n (4 d m + 4 m C): forward X W^T, H a; backward dF a^T, dZ^T X");
    defs.put("epoch_s", "one epoch of Adam minibatch updates inside one Spark task (one BLAS thread), median");
    defs.put("numpy_1thread_s", "NumPy running the same four GEMM shapes for every minibatch, OPENBLAS_NUM_THREADS=1");
    defs.put("train_vs_numpy", "ours GFLOP/s over NumPy one-thread GFLOP/s (a cell trains on one core by design)");
    defs.put("all_cores_epoch_s", "one network per core trained at once (as the train grid runs), the slowest task's"
        + " epoch; all_cores_gflops = cores x counted flops / that");
    defs.put("train_all_cores_vs_numpy_all_threads", "all_cores_gflops over NumPy with one thread per core");
    s.put("definitions", defs);
    String report = String.format(Locale.ROOT,
        "%none epoch of the paper recipe, n = %d, d = %d, m = %d, C = %d, batch %d (%.1f GFLOP counted)%n"
            + "  ours (one task, 1 thread)  %7.3f s  %6.1f GFLOP/s%n"
            + "  NumPy same GEMMs, 1 thread %7s s  %6s GFLOP/s%n"
            + "  NumPy same GEMMs, %d threads %6s s  %6s GFLOP/s%n"
            + "  ours, %d networks at once  %7.3f s  %6.1f GFLOP/s in all%n"
            + "  train_vs_numpy (1 core vs 1 thread) %s (target >= %.2f): %s%n"
            + "  all cores vs NumPy all threads      %s: %s%n",
        n, d, m, c, batch, flops / 1e9, ours, flops / ours / 1e9,
        np1 == null ? "-" : String.format(Locale.ROOT, "%.3f", np1), np1 == null ? "-" : String.format(Locale.ROOT, "%.1f", flops / np1 / 1e9),
        cores, np2 == null ? "-" : String.format(Locale.ROOT, "%.3f", np2),
        np2 == null ? "-" : String.format(Locale.ROOT, "%.1f", flops / np2 / 1e9),
        cores, allCores, cores * flops / allCores / 1e9,
        ratio == null ? "-" : String.format(Locale.ROOT, "%.2f", ratio), TARGET, s.get("train_vs_numpy_status"),
        ratioAll == null ? "-" : String.format(Locale.ROOT, "%.2f", ratioAll),
        s.get("train_all_cores_vs_numpy_all_threads_status"));
    if (output != null) {
      s.put("provenance", Provenance.of(spark, Map.of("suite", "train", "n", n, "width", m, "batch", batch), 0));
      output.writeJson("summary.json", s);
      output.commit();
    }
    return new Result(s, report);
  }

  /** Epoch seconds of {@code tasks} networks trained at once, one per task: an untimed first epoch, then the timed ones. */
  private static List<List<Double>> epochs(JavaSparkContext jsc, Broadcast<Matrix> xb, Broadcast<Matrix> yb, int tasks,
      int m, int d, int c, Trainer.Loss loss, int batch, int repeats) {
    List<Integer> ids = new ArrayList<>();
    for (int t = 0; t < tasks; t++) {
      ids.add(t);
    }
    return Stages.run(jsc, "bench/train-epoch", tasks + " network(s) at once, " + (repeats + 1)
        + " epochs of the paper recipe each", () -> jsc.parallelize(ids, tasks).map(task -> {
          Matrix w = TwoLayerNetwork.initial(m, d, 0.01, task, false).weights();
          Matrix a = TrainingRun.signs(m, c, 0.01, d, task, false);
          TrainingRun.Recipe recipe = new TrainingRun.Recipe(Trainer.Optimizer.ADAM, repeats + 1, 1e-3, batch, 1e-3);
          Trainer.Adam adam = new Trainer.Adam(w.data().length);
          List<Double> times = new ArrayList<>();
          for (int e = 1; e <= repeats + 1; e++) {
            long t0 = System.nanoTime();
            TrainingRun.epochUpdates(xb.value(), yb.value(), w, a, loss, recipe, task, e, adam);
            if (e > 1) {
              times.add((System.nanoTime() - t0) / 1e9);
            }
          }
          return times;
        }).collect());
  }

  /** NumPy's median seconds for an epoch's GEMMs with {@code threads} BLAS threads, or null if unavailable. */
  private Double numpy(int n, int d, int m, int c, int batch, int threads) {
    try {
      java.nio.file.Path script = Files.createTempFile("ntk-train-bench", ".py");
      Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
      ProcessBuilder pb = new ProcessBuilder(config.python(), script.toString(), "" + n, "" + d, "" + m, "" + c,
          "" + batch, "" + Math.max(1, config.repeats()));
      // NumPy's own OpenBLAS is current: the machine's OPENBLAS_CORETYPE/L2_SIZE pins only slow it.
      pb.environment().remove("OPENBLAS_CORETYPE");
      pb.environment().remove("OPENBLAS_L2_SIZE");
      pb.environment().put("OPENBLAS_NUM_THREADS", "" + threads);
      pb.environment().put("OMP_NUM_THREADS", "" + threads);
      pb.redirectErrorStream(true);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor();
      Files.deleteIfExists(script);
      String last = out.substring(out.lastIndexOf('\n') + 1);
      return ((Number) Json.read(last).get("seconds")).doubleValue();
    } catch (IOException | RuntimeException e) {
      LOG.warn("NumPy not measured ({}): no NumPy figures", e.getMessage());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
