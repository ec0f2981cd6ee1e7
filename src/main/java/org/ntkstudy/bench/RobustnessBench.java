package org.ntkstudy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.jobs.influence.InfluenceJob;
import org.ntkstudy.jobs.robustness.RobustnessJob;
import org.ntkstudy.math.Attacks;
import org.ntkstudy.math.Influence;
import org.ntkstudy.math.Model;
import org.ntkstudy.math.Trainer;
import org.ntkstudy.math.TrainingProfile;
import org.ntkstudy.spark.SparkSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bench --suite robustness}: the robustness job on one dataset, {unit, center} × ε {0.3, 0.1}
 * × {Θ_T, H∞} = 8 map cells with 2 seeds (4 Spark tasks of (input norm, seed)), each task with
 * claims-quick's recipe (relu and attn of width 256, 20 Adam epochs, FGSM/PGD/MIM × transformed/
 * curated/adversarial), timed in a fresh local[1] and then a fresh local[2] session: map cells per
 * minute and the speed-up of local[2] over local[1] (local mode only), the two runs' tables equal.
 */
public final class RobustnessBench {
  private static final Logger LOG = LoggerFactory.getLogger(RobustnessBench.class);

  /** Target: local[2] at least 1.7× faster than local[1] (4 independent tasks on 2 cores). */
  static final double TARGET_SPEEDUP = 1.7;

  private RobustnessBench() {}

  /** The job the suite times, writing to {@code out}. */
  static RobustnessJob.Config config(DatasetSpec spec, String out) {
    InfluenceJob.Config influence = new InfluenceJob.Config(spec, out, false, false, 1L << 32,
        List.of(Model.RELU, Model.ATTN), List.of(Attacks.Kind.FGSM, Attacks.Kind.PGD, Attacks.Kind.MIM),
        List.of("transformed", "curated", "adversarial"), 1e-3, InfluenceJob.KernelKind.EMPIRICAL,
        Influence.Target.MARGIN, null, 256, 0.01, Trainer.Optimizer.ADAM, 2, TrainingProfile.PAPER, 20, 1e-3, 0, 128,
        1e-3, false, List.of(0.3, 0.1), 0.1, false, false, InfluenceJob.Switch.OFF, InfluenceJob.Switch.OFF, 2000, 0);
    return new RobustnessJob.Config(List.of(spec), List.of("unit", "center"),
        List.of(InfluenceJob.KernelKind.EMPIRICAL, InfluenceJob.KernelKind.ANALYTIC), influence, out, true, 0);
  }

  /**
   * Stops the given session, then times the robustness job of {@code spec} in local[1] and local[2]
   * sessions; writes {@code summary.json} to {@code out} when given.
   */
  public static InfluenceBench.Result run(SparkSession given, DatasetSpec spec, String out, boolean overwrite) {
    if (!given.sparkContext().isLocal()) {
      throw new org.ntkstudy.UserInputException("--suite robustness compares local[1] with local[2]: run it in local"
          + " mode (submit/local.sh)");
    }
    given.stop();
    Path scratch;
    try {
      scratch = Files.createTempDirectory("bench-robustness");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    double[] seconds = new double[3];
    String[] tables = new String[3];
    int cells = 0;
    int tasks = 0;
    try {
      for (int cores : new int[] {1, 2}) {
        SparkSession spark = SparkSession.builder().config(SparkSessions.defaults(new SparkConf()
            .setAppName("bench-robustness").setMaster("local[" + cores + "]"))).getOrCreate();
        try {
          // Warm-up: a small run so class loading and JIT are not on local[1]'s bill.
          new RobustnessJob(config(spec.withN(40).withNTest(20), scratch.resolve("warm" + cores).toString()))
              .run(spark);
          String o = scratch.resolve("run" + cores).toString();
          long t0 = System.nanoTime();
          RobustnessJob.Result r = new RobustnessJob(config(spec, o)).run(spark);
          seconds[cores] = (System.nanoTime() - t0) / 1e9;
          cells = r.result().cells().size();
          tasks = r.result().inputNorms().size() * r.result().datasets().size() * r.result().seeds();
          tables[cores] = Files.readString(Path.of(o, "robustness.csv"));
          LOG.info(String.format(Locale.ROOT, "robustness, local[%d]: %.2f s", cores, seconds[cores]));
        } finally {
          spark.stop();
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      delete(scratch);
    }
    double speedup = seconds[1] / seconds[2];
    double perMinute1 = cells / (seconds[1] / 60);
    double perMinute2 = cells / (seconds[2] / 60);
    boolean equal = tables[1].equals(tables[2]);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("suite", "robustness");
    s.put("dataset", spec.dataset());
    s.put("n", spec.n());
    s.put("n_test", spec.nTest());
    s.put("cells", cells);
    s.put("tasks", tasks);
    s.put("local1_s", seconds[1]);
    s.put("local2_s", seconds[2]);
    s.put("cells_per_minute_local1", perMinute1);
    s.put("cells_per_minute_local2", perMinute2);
    s.put("speedup", speedup);
    s.put("speedup_target", ">= " + TARGET_SPEEDUP);
    s.put("speedup_status", speedup >= TARGET_SPEEDUP ? "PASS" : "MISS");
    s.put("tables_equal", equal);
    s.put("definition", "the robustness job end to end (data, tasks, bootstrap, verdicts, tables, map): {unit,"
        + " center} x eps {0.3, 0.1} x {empirical, analytic}, 2 seeds, width 256, 20 epochs, FGSM/PGD/MIM x"
        + " transformed/curated/adversarial; one Spark task per (input norm, seed)");
    if (out != null) {
      SparkSession spark = SparkSession.builder().config(SparkSessions.defaults(new SparkConf()
          .setAppName("bench-robustness").setMaster("local[1]"))).getOrCreate();
      RunOutput o = RunOutput.open(out, overwrite, spark.sparkContext().hadoopConfiguration());
      o.writeJson("summary.json", s);
      o.commit();
      spark.stop();
    }
    String report = String.format(Locale.ROOT, """
        robustness job (%s, n = %d, n* = %d): %d map cells, %d tasks, OPENBLAS_NUM_THREADS=%s
          local[1]   %8.2f s   %6.2f cells/min
          local[2]   %8.2f s   %6.2f cells/min
          speed-up   %.2f (target >= %.1f): %s   (tables equal: %s)
        """, spec.dataset(), spec.n(), spec.nTest(), cells, tasks, System.getenv("OPENBLAS_NUM_THREADS"), seconds[1],
        perMinute1, seconds[2], perMinute2, speedup, TARGET_SPEEDUP, s.get("speedup_status"), equal);
    return new InfluenceBench.Result(s, report);
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", dir, e.toString());
    }
  }
}
