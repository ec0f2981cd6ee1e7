package org.ntkstudy.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.netlib.util.intW;
import org.ntkstudy.bench.support.Medians;
import org.ntkstudy.data.DatasetLoader;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.data.StudyData;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.Influence;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.Model;
import org.ntkstudy.math.TransductiveLoo;
import org.ntkstudy.report.Provenance;
import org.apache.spark.api.java.JavaRDD;
import org.ntkstudy.spark.AnalyticReference;
import org.ntkstudy.spark.BlockGrid;
import org.ntkstudy.spark.BlockedRows;
import org.ntkstudy.spark.NtkBlockKernels;
import org.ntkstudy.spark.TiledCholesky;
import org.ntkstudy.spark.TiledInfluence;
import org.ntkstudy.spark.DriverBlas;
import org.ntkstudy.spark.InfluenceColumns;
import org.ntkstudy.spark.ModelInputs;
import org.ntkstudy.spark.SparkSessions;
import org.ntkstudy.spark.Stages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bench --suite influence}: the closed-form LOO influence of SCIENCE §5 as the influence job
 * computes it (Cholesky and inverse of K + λI on the driver, the n columns K* B on the executors,
 * the totals collected) against its own building blocks measured alone on the same matrices — one
 * Cholesky (dpotrf), one inverse (dpotri), one test×train GEMM K* B — with the driver's LAPACK on
 * every core for both; and n naive kernel-ridge refits at a smaller n, for the record.
 *
 * <p>{@code bench --suite tiled}: the same past the driver budget, the tiled factorisation across
 * the executors against the driver's path ({@link #tiled}).
 *
 * <p>{@code bench --suite transductive}: the exact transductive LOO of attn (every refit with
 * example i removed from the context) in local[1] and local[2], one BLAS thread per task in both,
 * and the speed-up.
 */
public final class InfluenceBench {
  private static final Logger LOG = LoggerFactory.getLogger(InfluenceBench.class);
  /** Target: ours within 2× of the building blocks' time. */
  public static final double TARGET_VS_BLOCKS = 2.0;
  /** Target: local[2] at least 1.7× faster than local[1]. */
  public static final double TARGET_SPEEDUP = 1.7;

  public record Config(DatasetSpec data, int naiveN, int repeats, double lambda, String out, boolean overwrite) {}

  public record Result(Map<String, Object> summary, String report) {}

  private final Config config;

  public InfluenceBench(Config config) {
    this.config = config;
  }

  /** What both closed-form suites measure on: H∞ of Fashion-MNIST (relu inputs), targets and spec. */
  private record Problem(JavaSparkContext jsc, RunOutput output, ModelInputs in, Matrix k, Matrix kc, Matrix y,
      Influence.TargetSpec spec) {}

  private Problem problem(SparkSession spark, int block) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    RunOutput output = config.out() == null ? null
        : RunOutput.open(config.out(), config.overwrite(), jsc.hadoopConfiguration());
    StudyData data = Stages.run(jsc, "bench/data", "load " + config.data().dataset(),
        () -> DatasetLoader.load(config.data(), jsc.hadoopConfiguration(), spark));
    ModelInputs in = ModelInputs.of(jsc, Model.RELU, data.train().inputs(), data.test().inputs(), 1024);
    AnalyticReference h = AnalyticReference.of(jsc, in, block, "bench");
    Matrix y = data.train().targets();
    Influence.TargetSpec spec = Influence.TargetSpec.of(Influence.Target.MARGIN, data.test().targets(),
        Blas.multiply(h.test(), new Matrix(y.rows(), y.cols())));
    return new Problem(jsc, output, in, h.train(), h.test(), y, spec);
  }

  /** The closed-form suite. */
  public Result run(SparkSession spark) {
    Problem pr = problem(spark, 1024);
    JavaSparkContext jsc = pr.jsc();
    RunOutput output = pr.output();
    Matrix k = pr.k();
    Matrix kc = pr.kc();
    Matrix y = pr.y();
    Influence.TargetSpec spec = pr.spec();
    int n = k.rows();
    int nt = kc.rows();
    double lambda = config.lambda();

    List<Double> ours = new ArrayList<>();
    List<Double> chol = new ArrayList<>();
    List<Double> inv = new ArrayList<>();
    List<Double> gemm = new ArrayList<>();
    List<Double> factorParts = new ArrayList<>();
    double[] check = null;
    for (int r = 0; r < config.repeats(); r++) {
      // Ours: exactly the influence job's path.
      double[] factorAndAll = new double[2];
      check = driverPath(jsc, k, kc, y, spec, lambda, 1024, factorAndAll);
      factorParts.add(factorAndAll[0]);
      ours.add(factorAndAll[1]);
      // The building blocks alone, on the driver with every core.
      double[] times = buildingBlocks(jsc, k, kc, lambda);
      chol.add(times[0]);
      inv.add(times[1]);
      gemm.add(times[2]);
      LOG.info(String.format(Locale.ROOT, "round %d: ours %.3f s (Influence.of %.3f s); dpotrf %.3f + dpotri %.3f +"
          + " GEMM %.3f s", r + 1, ours.get(r), factorParts.get(r), times[0], times[1], times[2]));
    }
    double tOurs = Medians.median(ours);
    double tBlocks = Medians.median(chol) + Medians.median(inv) + Medians.median(gemm);

    // Naive refits at a smaller n, for the record.
    int nn = Math.min(config.naiveN(), n);
    Matrix ks = k.rowRange(0, nn);
    Matrix kSmall = new Matrix(nn, nn);
    for (int i = 0; i < nn; i++) {
      System.arraycopy(ks.data(), i * n, kSmall.data(), i * nn, nn);
    }
    Matrix kcSmall = new Matrix(nt, nn);
    for (int t = 0; t < nt; t++) {
      System.arraycopy(kc.data(), t * n, kcSmall.data(), t * nn, nn);
    }
    Matrix ySmall = y.rowRange(0, nn);
    long n0 = System.nanoTime();
    Matrix naive = DriverBlas.allCores(jsc, () -> Influence.naiveRefits(kSmall, kcSmall, ySmall, lambda, spec));
    double tNaive = (System.nanoTime() - n0) / 1e9;
    long c0 = System.nanoTime();
    Influence small = DriverBlas.allCores(jsc, () -> Influence.of(kSmall, ySmall, lambda));
    Matrix closedSmall = small.matrix(kcSmall, spec);
    double tClosedSmall = (System.nanoTime() - c0) / 1e9;
    double maxI = 0;
    for (double v : naive.data()) {
      maxI = Math.max(maxI, Math.abs(v));
    }
    double err = closedSmall.maxAbsDiff(naive) / maxI;

    Map<String, Object> s = new LinkedHashMap<>();
    s.put("suite", "influence");
    s.put("n", n);
    s.put("n_test", nt);
    s.put("outputs", y.cols());
    s.put("lambda", lambda);
    s.put("repeats", config.repeats());
    s.put("influence_ours_s", tOurs);
    s.put("influence_ours_runs_s", ours);
    s.put("influence_ours_factor_s", Medians.median(factorParts));
    s.put("dpotrf_s", Medians.median(chol));
    s.put("dpotri_s", Medians.median(inv));
    s.put("gemm_s", Medians.median(gemm));
    s.put("blocks_s", tBlocks);
    s.put("influence_vs_blocks", tOurs / tBlocks);
    s.put("influence_vs_blocks_target", "<= " + TARGET_VS_BLOCKS);
    s.put("influence_vs_blocks_status", tOurs / tBlocks <= TARGET_VS_BLOCKS ? "PASS" : "MISS");
    s.put("naive_n", nn);
    s.put("naive_refits_s", tNaive);
    s.put("closed_form_same_n_s", tClosedSmall);
    s.put("naive_vs_closed_max_rel_error", err);
    s.put("totals_checksum", sum(check));
    Map<String, Object> defs = new LinkedHashMap<>();
    defs.put("influence_ours_s", "Influence.of (dpotrf + dpotri + mirror + alpha, driver, all cores) + broadcast of B,"
        + " K*, residuals + the column blocks K* B[:, J] on the executors + totals collected; median");
    defs.put("blocks_s", "median dpotrf + median dpotri + median K* B GEMM, each alone on the driver, all cores");
    defs.put("naive_refits_s", "n kernel-ridge refits (Cholesky of the (n-1)x(n-1) kernel each), at naive_n");
    s.put("definitions", defs);
    s.put("provenance", Provenance.of(spark, Map.of("suite", "influence", "n", n, "n_test", nt), 0));
    if (output != null) {
      output.writeJson("summary.json", s);
      output.commit();
    }
    String report = String.format(Locale.ROOT, """
        closed-form LOO influence, n = %d, n* = %d, %d outputs (H_inf on Fashion-MNIST), median of %d
          ours (job's path)                 %8.3f s
          dpotrf + dpotri + K* B GEMM alone %8.3f s  (%.3f + %.3f + %.3f)
          ratio ours / blocks   %.2f (target <= %.1f): %s
          naive refits at n = %d          %8.3f s  (closed form at that n: %.3f s; max |dI|/max|I| = %.1e)
        """, n, nt, y.cols(), config.repeats(), tOurs, tBlocks, Medians.median(chol), Medians.median(inv),
        Medians.median(gemm), tOurs / tBlocks, TARGET_VS_BLOCKS, s.get("influence_vs_blocks_status"), nn, tNaive,
        tClosedSmall, err);
    return new Result(s, report);
  }

  /**
   * {@code bench --suite tiled}: the influence past the driver budget — the tiled Cholesky, inverse
   * and columns across the executors ({@link TiledInfluence}, tiles of {@code tile}) — against the
   * driver's path on the same H∞ (LAPACK on every core, then the columns on the executors), both
   * to the n totals; and the driver path's building blocks alone. K's blocks are computed and
   * cached before either clock starts.
   */
  public Result tiled(SparkSession spark, int tile) {
    Problem pr = problem(spark, tile);
    JavaSparkContext jsc = pr.jsc();
    RunOutput output = pr.output();
    ModelInputs in = pr.in();
    Matrix k = pr.k();
    Matrix kc = pr.kc();
    Matrix y = pr.y();
    Influence.TargetSpec spec = pr.spec();
    int n = k.rows();
    int nt = kc.rows();
    double lambda = config.lambda();
    BlockedRows rows = BlockedRows.broadcast(jsc, in.train(), tile);
    BlockGrid grid = rows.grid();
    JavaRDD<TiledCholesky.Strip> strips = TiledCholesky.lowerStrips(rows.symmetricBlocks(
        NtkBlockKernels.analytic(), 0), grid).persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    strips.count();

    List<Double> tiled = new ArrayList<>();
    List<Double> tiledFactor = new ArrayList<>();
    List<Double> driver = new ArrayList<>();
    List<Double> blocks = new ArrayList<>();
    double maxRel = 0;
    for (int r = 0; r < config.repeats(); r++) {
      long t0 = System.nanoTime();
      TiledInfluence ti = TiledInfluence.of(jsc, strips, grid, y, kc, lambda, null);
      tiledFactor.add((System.nanoTime() - t0) / 1e9);
      InfluenceColumns tc = InfluenceColumns.tiled(ti, spec);
      double[] a;
      try {
        a = tc.totals();
      } finally {
        tc.release();
      }
      tiled.add((System.nanoTime() - t0) / 1e9);

      double[] factorAndAll = new double[2];
      double[] b = driverPath(jsc, k, kc, y, spec, lambda, tile, factorAndAll);
      driver.add(factorAndAll[1]);
      double maxB = 0;
      double diff = 0;
      for (int i = 0; i < n; i++) {
        maxB = Math.max(maxB, Math.abs(b[i]));
        diff = Math.max(diff, Math.abs(a[i] - b[i]));
      }
      maxRel = Math.max(maxRel, diff / maxB);

      blocks.add(sum(buildingBlocks(jsc, k, kc, lambda)));
      LOG.info(String.format(Locale.ROOT, "round %d: tiled %.3f s (factor + inverse + P %.3f s); driver path %.3f s;"
          + " building blocks %.3f s; max |dI_i|/max|I_i| %.1e", r + 1, tiled.get(r), tiledFactor.get(r),
          driver.get(r), blocks.get(r), diff / maxB));
    }
    strips.unpersist(false);
    rows.release();
    double tTiled = Medians.median(tiled);
    double tDriver = Medians.median(driver);
    double tBlocks = Medians.median(blocks);
    double flops = 2.0 / 3.0 * n * (double) n * n + 2.0 * nt * (double) n * n;
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("suite", "tiled");
    s.put("n", n);
    s.put("n_test", nt);
    s.put("tile", tile);
    s.put("strips", grid.numBlocks());
    s.put("lambda", lambda);
    s.put("repeats", config.repeats());
    s.put("tiled_s", tTiled);
    s.put("tiled_runs_s", tiled);
    s.put("tiled_factor_s", Medians.median(tiledFactor));
    s.put("driver_s", tDriver);
    s.put("driver_runs_s", driver);
    s.put("blocks_s", tBlocks);
    s.put("tiled_vs_driver", tTiled / tDriver);
    s.put("tiled_vs_blocks", tTiled / tBlocks);
    s.put("tiled_gflops", flops / tTiled / 1e9);
    s.put("tiled_vs_driver_max_rel_error", maxRel);
    Map<String, Object> defs = new LinkedHashMap<>();
    defs.put("tiled_s", "TiledInfluence.of (tiled Cholesky, inverse, M Y, P = K* M^T, transpose, alpha, diag B)"
        + " + the influence columns + totals, from K's cached row strips; median");
    defs.put("driver_s", "the influence job's driver path: Influence.of (dpotrf + dpotri, all cores) + the columns on"
        + " the executors + totals; median");
    defs.put("blocks_s", "dpotrf + dpotri + K* B GEMM alone on the driver, all cores; median");
    defs.put("tiled_gflops", "(2/3 n^3 + 2 n* n^2) / tiled_s");
    s.put("definitions", defs);
    s.put("provenance", Provenance.of(spark, Map.of("suite", "tiled", "n", n, "n_test", nt, "tile", tile), 0));
    if (output != null) {
      output.writeJson("summary.json", s);
      output.commit();
    }
    String report = String.format(Locale.ROOT, """
        tiled influence past the driver budget, n = %d, n* = %d, %d x %d tiles (%d strips), H_inf on Fashion-MNIST,
        median of %d
          tiled (executors)                         %8.3f s  (%.1f GFLOP/s)
          driver path (LAPACK all cores + columns)  %8.3f s
          building blocks alone (dpotrf+dpotri+GEMM) %7.3f s
          ratio tiled / driver %.2f, tiled / blocks %.2f; max |dI_i|/max|I_i| = %.1e
        """, n, nt, tile, tile, grid.numBlocks(), config.repeats(), tTiled, flops / tTiled / 1e9, tDriver, tBlocks,
        tTiled / tDriver, tTiled / tBlocks, maxRel);
    return new Result(s, report);
  }

  /**
   * The influence job's driver path on a copy of K: Influence.ofInPlace (dpotrf + dpotri, all
   * cores), then the columns on the executors, to the totals. {@code times} gets the factorisation's
   * and the whole path's seconds.
   */
  private static double[] driverPath(JavaSparkContext jsc, Matrix k, Matrix kc, Matrix y, Influence.TargetSpec spec,
      double lambda, int block, double[] times) {
    Matrix kOwn = k.copy(); // the job factorises its own K in place
    long t0 = System.nanoTime();
    Influence inf = DriverBlas.allCores(jsc, () -> Influence.ofInPlace(kOwn, y, lambda));
    times[0] = (System.nanoTime() - t0) / 1e9;
    InfluenceColumns cols = InfluenceColumns.of(jsc, inf, kc, spec, block);
    try {
      return cols.totals();
    } finally {
      cols.release();
      times[1] = (System.nanoTime() - t0) / 1e9;
    }
  }

  /** dpotrf, dpotri and the K* B GEMM, each alone on the driver with every core: their seconds. */
  private static double[] buildingBlocks(JavaSparkContext jsc, Matrix k, Matrix kc, double lambda) {
    int n = k.rows();
    double[] a = k.data().clone();
    for (int i = 0; i < n; i++) {
      a[i * n + i] += lambda;
    }
    intW info = new intW(0);
    return DriverBlas.allCores(jsc, () -> {
      long s0 = System.nanoTime();
      Blas.lapack().dpotrf("L", n, a, n, info);
      long s1 = System.nanoTime();
      Blas.lapack().dpotri("L", n, a, n, info);
      long s2 = System.nanoTime();
      Blas.multiplyTransposed(kc, new Matrix(n, n, a));
      long s3 = System.nanoTime();
      return new double[] {(s1 - s0) / 1e9, (s2 - s1) / 1e9, (s3 - s2) / 1e9};
    });
  }

  private static double sum(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s;
  }

  /**
   * The transductive suite: stops the given session and times the transductive LOO (prepare + the
   * n refits as Spark tasks) in a fresh local[1] and then a fresh local[2] session (local mode only).
   */
  public static Result transductive(SparkSession given, DatasetSpec spec, double lambda, String out, boolean overwrite) {
    if (!given.sparkContext().isLocal()) {
      throw new org.ntkstudy.UserInputException("--suite transductive compares local[1] with local[2]: run it in"
          + " local mode (submit/local.sh)");
    }
    StudyData data = DatasetLoader.load(spec, given.sparkContext().hadoopConfiguration(), given);
    given.stop();
    Map<String, Object> s = new LinkedHashMap<>();
    double[] seconds = new double[3];
    double[][] results = new double[3][];
    for (int cores : new int[] {1, 2}) {
      SparkConf conf = SparkSessions.defaults(new SparkConf().setAppName("bench-transductive")
          .setMaster("local[" + cores + "]"));
      SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      try {
        // Warm-up: one small round so class loading and JIT are not on local[1]'s bill.
        timeTransductive(jsc, data, lambda, 64);
        long t0 = System.nanoTime();
        results[cores] = timeTransductive(jsc, data, lambda, data.train().n());
        seconds[cores] = (System.nanoTime() - t0) / 1e9;
        LOG.info(String.format(Locale.ROOT, "transductive LOO, local[%d]: %.2f s", cores, seconds[cores]));
      } finally {
        spark.stop();
      }
    }
    double speedup = seconds[1] / seconds[2];
    double maxDiff = 0;
    for (int i = 0; i < results[1].length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(results[1][i] - results[2][i]));
    }
    int n = data.train().n();
    s.put("suite", "transductive");
    s.put("n", n);
    s.put("n_test", data.test().n());
    s.put("lambda", lambda);
    s.put("local1_s", seconds[1]);
    s.put("local2_s", seconds[2]);
    s.put("speedup", speedup);
    s.put("speedup_target", ">= " + TARGET_SPEEDUP);
    s.put("speedup_status", speedup >= TARGET_SPEEDUP ? "PASS" : "MISS");
    s.put("max_abs_difference_local1_local2", maxDiff);
    s.put("openblas_num_threads", System.getenv("OPENBLAS_NUM_THREADS"));
    s.put("definition", "TransductiveLoo.prepare on the driver + n refits (example i removed from the context C and"
        + " the regression, analytic H_inf on x~) as Spark tasks, 4 per core; the totals collected");
    if (out != null) {
      SparkSession spark = SparkSession.builder().config(SparkSessions.defaults(new SparkConf()
          .setAppName("bench-transductive").setMaster("local[1]"))).getOrCreate();
      RunOutput o = RunOutput.open(out, overwrite, spark.sparkContext().hadoopConfiguration());
      o.writeJson("summary.json", s);
      o.commit();
      spark.stop();
    }
    String report = String.format(Locale.ROOT, """
        transductive LOO (attn, H_inf), n = %d, n* = %d, OPENBLAS_NUM_THREADS=%s
          local[1]   %8.2f s
          local[2]   %8.2f s
          speed-up   %.2f (target >= %.1f): %s   (results equal to %.1e)
        """, n, data.test().n(), System.getenv("OPENBLAS_NUM_THREADS"), seconds[1], seconds[2], speedup,
        TARGET_SPEEDUP, s.get("speedup_status"), maxDiff);
    return new Result(s, report);
  }

  /** prepare + n refits over the executors; the total transductive influence per example (output target). */
  static double[] timeTransductive(JavaSparkContext jsc, StudyData data, double lambda, int n) {
    Matrix x = data.train().inputs().rowRange(0, n);
    Matrix y = data.train().targets().rowRange(0, n);
    TransductiveLoo loo = TransductiveLoo.prepare(x, data.test().inputs(), y, lambda, null);
    Broadcast<TransductiveLoo> b = jsc.broadcast(loo);
    try {
      List<Integer> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ids.add(i);
      }
      double[] out = new double[n];
      for (double[] r : jsc.parallelize(ids, Math.min(n, 4 * jsc.defaultParallelism())).map(i -> {
        Matrix d = b.value().outputChange(i);
        double sum = 0;
        for (double v : d.data()) {
          sum += v;
        }
        return new double[] {i, sum};
      }).collect()) {
        out[(int) r[0]] = r[1];
      }
      return out;
    } finally {
      b.unpersist(false);
    }
  }
}
