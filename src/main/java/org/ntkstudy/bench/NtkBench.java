package org.ntkstudy.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.ntkstudy.bench.support.Medians;
import org.ntkstudy.bench.support.NumpyRunner;
import org.ntkstudy.data.DatasetLoader;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.NtkKernels;
import org.ntkstudy.math.TwoLayerNetwork;
import org.ntkstudy.report.Provenance;
import org.ntkstudy.spark.BlockGrid;
import org.ntkstudy.spark.BlockedRows;
import org.ntkstudy.spark.MatrixBlock;
import org.ntkstudy.spark.NtkBlockKernels;
import org.ntkstudy.spark.Stages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bench --suite ntk}: the structured empirical NTK Θ_m in blocks on Spark (activation
 * patterns once per row block, two GEMMs and a Hadamard product per block pair) against the
 * same-run NumPy DGEMM rate, the practical peak of the machine. Flops counted as 2b²(d + m) per
 * block pair plus 2bdm per row block for the patterns (the convention).
 */
public final class NtkBench {
  private static final Logger LOG = LoggerFactory.getLogger(NtkBench.class);
  /** Target: our rate at least half NumPy's DGEMM rate. */
  public static final double TARGET = 0.5;

  /**
   * @param data the dataset (ignored when {@code inputs} is given)
   * @param inputs unit-norm rows to use instead of loading data (tests), or null
   */
  public record Config(DatasetSpec data, Matrix inputs, int width, int block, int repeats, boolean skipNumpy,
      String python, String out, boolean overwrite) {}

  /** The figures, the printed report and the output folder (or null). */
  public record Result(Map<String, Object> summary, String report, Path out, double maxAbsError) {}

  private final Config config;

  public NtkBench(Config config) {
    this.config = config;
  }

  public Result run(SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    RunOutput output = config.out() == null ? null
        : RunOutput.open(config.out(), config.overwrite(), jsc.hadoopConfiguration());
    Matrix x = config.inputs() != null ? config.inputs()
        : Stages.run(jsc, "bench/data", "load " + config.data().dataset() + " (n=" + config.data().n() + ")",
            () -> DatasetLoader.load(config.data(), jsc.hadoopConfiguration(), spark).train().inputs());
    int n = x.rows();
    int d = x.cols();
    int m = config.width();
    int block = Math.min(config.block(), n);
    BlockGrid grid = new BlockGrid(n, block);
    Matrix w = TwoLayerNetwork.initial(m, d, 1.0, 0, false).weights();
    double flops = countedFlops(grid, d, m);

    // NumPy's DGEMM on [X | D] (n × (d+m)): the same two Gram products, dense, as one DGEMM.
    Matrix dPattern = NtkKernels.activationPattern(x, w);
    Matrix a = concat(x, dPattern);
    double numpyFlops = 2.0 * n * (double) n * (d + m);
    NumpyRunner numpy = config.skipNumpy() ? null
        : NumpyRunner.prepare(config.python(), a, new Matrix(2, 2, new double[] {2, 1, 1, 2}));
    List<Double> ours = new ArrayList<>();
    List<Double> np = new ArrayList<>();
    try {
      Stages.run(jsc, "bench/ntk-warm-up", "one untimed run", () -> timeOurs(jsc, x, w, block));
      for (int r = 0; r < config.repeats(); r++) {
        double t = timeOurs(jsc, x, w, block);
        ours.add(t);
        NumpyRunner.Round round = numpy == null ? null : numpy.round();
        if (round != null) {
          np.add(Math.min(round.gramSeconds(), round.gramOutSeconds()));
        }
        LOG.info(String.format(Locale.ROOT, "round %d: ours %.3f s%s", r + 1, t,
            round == null ? "" : String.format(Locale.ROOT, ", NumPy DGEMM %.3f s", np.get(np.size() - 1))));
      }
    } finally {
      if (numpy != null) {
        numpy.close();
      }
    }
    double err = check(jsc, x, w, block);

    double oursS = Medians.median(ours);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("job", "bench");
    s.put("suite", "ntk");
    s.put("n", n);
    s.put("d", d);
    s.put("width", m);
    s.put("block", block);
    s.put("block_pairs", grid.numPairs());
    s.put("repeats", config.repeats());
    s.put("ntk_counted_flops", flops);
    s.put("ntk_ours_s", oursS);
    s.put("ntk_ours_gflops", flops / oursS / 1e9);
    s.put("ntk_ours_runs_s", ours);
    Double ratio = null;
    if (!np.isEmpty()) {
      double npS = Medians.median(np);
      s.put("numpy_dgemm_s", npS);
      s.put("numpy_dgemm_gflops", numpyFlops / npS / 1e9);
      s.put("numpy_dgemm_runs_s", np);
      ratio = (flops / oursS) / (numpyFlops / npS);
    }
    s.put("ntk_vs_numpy_dgemm", ratio);
    s.put("ntk_vs_numpy_dgemm_target", ">= " + TARGET);
    s.put("ntk_vs_numpy_dgemm_status", ratio == null ? "SKIPPED" : ratio >= TARGET ? "PASS" : "MISS");
    s.put("ntk_max_abs_error", err);
    s.put("blas", Blas.blasName());
    s.put("openblas_num_threads", System.getenv("OPENBLAS_NUM_THREADS"));
    s.put("spark_master", spark.sparkContext().master());
    s.put("cores", spark.sparkContext().defaultParallelism());
    Map<String, String> defs = new LinkedHashMap<>();
    defs.put("ntk_counted_flops", "sum over i<=j block pairs of 2 b_i b_j (d + m), plus 2 b d m per row block");
    defs.put("ntk_ours_s", "X and W on the driver -> broadcast -> every i<=j block of Theta_m materialised on the"
        + " executors, patterns computed once per row block inside the pair tasks (counted, not collected); median");
    defs.put("numpy_dgemm_s", "NumPy (2 threads) [X|D] @ [X|D].T, the faster of a fresh result and out=; median");
    defs.put("ntk_vs_numpy_dgemm", "(counted flops / ours s) / (2 n^2 (d+m) / NumPy s)");
    s.put("definitions", defs);

    String report = String.format(Locale.ROOT,
        "%nempirical NTK blocks, n = %d, d = %d, m = %d, block %d (%d pairs)%n"
            + "  ours    %8.3f s  %7.1f GFLOP/s (counted)%n"
            + "  NumPy   %8s s  %7s GFLOP/s (DGEMM, 2 threads)%n"
            + "  ratio   %s (target >= %.2f): %s%n  max |Theta_blocked - Theta_local| = %.1e%n",
        n, d, m, block, grid.numPairs(), oursS, flops / oursS / 1e9,
        np.isEmpty() ? "-" : String.format(Locale.ROOT, "%.3f", Medians.median(np)),
        np.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", numpyFlops / Medians.median(np) / 1e9),
        ratio == null ? "-" : String.format(Locale.ROOT, "%.2f", ratio), TARGET, s.get("ntk_vs_numpy_dgemm_status"), err);
    Path done = null;
    if (output != null) {
      s.put("provenance", Provenance.of(spark, Map.of("suite", "ntk", "n", n, "width", m, "block", block,
          "repeats", config.repeats()), 0));
      output.writeJson("summary.json", s);
      done = output.commit();
    }
    return new Result(s, report, done, err);
  }

  /** Σ_{i≤j} 2 b_i b_j (d + m) + Σ_i 2 b_i d m. */
  static double countedFlops(BlockGrid grid, int d, int m) {
    double f = 0;
    for (BlockGrid.BlockPair p : grid.pairs()) {
      f += 2.0 * grid.blockRows(p.i()) * grid.blockRows(p.j()) * (d + m);
    }
    for (int i = 0; i < grid.numBlocks(); i++) {
      f += 2.0 * grid.blockRows(i) * d * m;
    }
    return f;
  }

  /** One timed run: broadcast, patterns, every block materialised (counted). */
  static double timeOurs(JavaSparkContext jsc, Matrix x, Matrix w, int block) {
    long t0 = System.nanoTime();
    BlockedRows rows = BlockedRows.broadcast(jsc, x, block);
    // A fresh copy of W per run, so no run finds the previous run's patterns in the cache.
    Broadcast<Matrix> wb = jsc.broadcast(w.copy());
    long elements = rows.symmetricBlocks(NtkBlockKernels.empirical(wb), 0)
        .map(b -> (long) b.values().data().length).reduce(Long::sum);
    double s = (System.nanoTime() - t0) / 1e9;
    rows.release();
    wb.unpersist(false);
    if (elements != rows.grid().upperTriangleBytes() / 8) {
      throw new IllegalStateException("ours materialised " + elements + " entries");
    }
    return s;
  }

  /** max |Θ_blocked − Θ_local| over every block (computed once, outside the timings). */
  static double check(JavaSparkContext jsc, Matrix x, Matrix w, int block) {
    BlockedRows rows = BlockedRows.broadcast(jsc, x, block);
    Broadcast<Matrix> wb = jsc.broadcast(w.copy());
    List<MatrixBlock> blocks = rows.symmetricBlocks(NtkBlockKernels.empirical(wb), 0).collect();
    BlockGrid g = rows.grid();
    double err = 0;
    for (MatrixBlock b : blocks) {
      Matrix xi = x.rowRange(g.blockStart(b.blockRow()), g.blockStart(b.blockRow()) + g.blockRows(b.blockRow()));
      Matrix xj = x.rowRange(g.blockStart(b.blockCol()), g.blockStart(b.blockCol()) + g.blockRows(b.blockCol()));
      Matrix want = NtkKernels.empiricalNtk(xi, NtkKernels.activationPattern(xi, w), xj,
          NtkKernels.activationPattern(xj, w), b.blockRow() == b.blockCol());
      err = Math.max(err, want.maxAbsDiff(b.values()));
    }
    rows.release();
    return err;
  }

  static Matrix concat(Matrix a, Matrix b) {
    Matrix out = new Matrix(a.rows(), a.cols() + b.cols());
    for (int i = 0; i < a.rows(); i++) {
      System.arraycopy(a.data(), i * a.cols(), out.data(), i * out.cols(), a.cols());
      System.arraycopy(b.data(), i * b.cols(), out.data(), i * out.cols() + a.cols(), b.cols());
    }
    return out;
  }
}
