package org.ntkstudy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.distributed.BlockMatrix;
import org.apache.spark.sql.SparkSession;
import org.ntkstudy.UserInputException;
import org.ntkstudy.bench.support.Medians;
import org.ntkstudy.bench.support.NumpyRunner;
import org.ntkstudy.bench.support.RandomMatrices;
import org.ntkstudy.data.DatasetLoader;
import org.ntkstudy.data.DatasetSpec;
import org.ntkstudy.io.RunOutput;
import org.ntkstudy.math.Blas;
import org.ntkstudy.math.Matrix;
import org.ntkstudy.math.SymmetricEigen;
import org.ntkstudy.report.Provenance;
import org.ntkstudy.spark.BlockGrid;
import org.ntkstudy.spark.BlockKernel;
import org.ntkstudy.spark.BlockedRows;
import org.ntkstudy.spark.DriverBlas;
import org.ntkstudy.spark.MatrixBlock;
import org.ntkstudy.spark.Stages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code bench} job: times, in one run, our blocked Gram G = XXᵀ on Spark, MLlib's
 * BlockMatrix product, NumPy's two-thread {@code X @ X.T}, and LAPACK eigenvalues against NumPy's
 * {@code eigvalsh}, and compares them with the targets of the performance issue.
 *
 * <p>Contenders run in interleaved rounds (ours, BlockMatrix, NumPy, ours-eigen; repeated), not
 * one after the other, because this host drifts by ±30% within minutes (NOTES-spark-blas): a slow
 * minute then costs every contender alike instead of one. Each figure is the median of its rounds.
 * MLlib's contender is {@link BlockMatrixGram}, the checks {@link GramCheck}, the printed table
 * {@link GramReport}; the NumPy worker is the benches' shared {@code support.NumpyRunner}.
 */
public final class GramBench {
  private static final Logger LOG = LoggerFactory.getLogger(GramBench.class);

  /** ours GFLOP/s ÷ NumPy GFLOP/s must reach this. */
  public static final double TARGET_GRAM_VS_NUMPY = 0.60;
  /** ours GFLOP/s ÷ BlockMatrix GFLOP/s must reach this. */
  public static final double TARGET_GRAM_VS_BLOCKMATRIX = 3.0;
  /** our eigenvalue seconds ÷ NumPy's must stay at or below this. */
  public static final double TARGET_EIGEN_TIME_VS_NUMPY = 1.5;
  /** Seed of the symmetric eigen-n×eigen-n test matrix, fixed so every run solves the same one. */
  public static final long EIGEN_SEED = 20260313L;

  /** Names of the figures, as they appear in the summary. */
  public static final String GRAM_OURS = "gram_ours";
  public static final String GRAM_BLOCKMATRIX = "gram_blockmatrix";
  public static final String GRAM_NUMPY = "gram_numpy";
  public static final String GRAM_NUMPY_OUT = "gram_numpy_out";
  public static final String EIGEN_OURS = "eigen_ours";
  public static final String EIGEN_NUMPY = "eigen_numpy";

  /**
   * The bench's configuration: the rows X come either from a dataset ({@code data}) or from memory
   * ({@code inputs}, for tests and notebooks), exactly one of the two.
   *
   * @param data the dataset to load n training rows from, or null
   * @param inputs the rows X (n×d) already in memory, or null
   * @param block block size in rows, for ours and BlockMatrix alike
   * @param repeats timed rounds per figure (the median is reported)
   * @param eigenN side of the symmetric matrix whose eigenvalues are timed
   * @param skipNumpy do not run NumPy (its figures and ratios are then absent)
   * @param python the Python interpreter that runs NumPy
   * @param out output folder for summary.json, or null for none
   * @param overwrite replace an existing output folder
   */
  public record Config(
      DatasetSpec data,
      Matrix inputs,
      int block,
      int repeats,
      int eigenN,
      boolean skipNumpy,
      String python,
      String out,
      boolean overwrite) {

    public Config {
      if ((data == null) == (inputs == null)) {
        throw new IllegalArgumentException("give exactly one of a dataset spec and in-memory inputs");
      }
      if (block <= 0) {
        throw new UserInputException("--block must be positive, got " + block);
      }
      if (repeats <= 0) {
        throw new UserInputException("--repeats must be positive, got " + repeats);
      }
      if (eigenN <= 0) {
        throw new UserInputException("--eigen-n must be positive, got " + eigenN);
      }
      if (python == null || python.isBlank()) {
        throw new UserInputException("--python is empty");
      }
      if (data != null) {
        data.validate();
      }
    }

    /** A bench of rows already in memory, with no output folder. */
    public static Config ofInputs(Matrix inputs, int block, int repeats, int eigenN, boolean skipNumpy) {
      return new Config(null, inputs, block, repeats, eigenN, skipNumpy, "python3", null, false);
    }

    /** Option name → value, for the summary's provenance. */
    public Map<String, Object> toMap() {
      Map<String, Object> m =
          data != null ? new LinkedHashMap<>(data.toMap()) : new LinkedHashMap<>();
      if (inputs != null) {
        m.put("dataset", "in-memory");
        m.put("n", inputs.rows());
      }
      m.put("block", block);
      m.put("repeats", repeats);
      m.put("eigen_n", eigenN);
      m.put("eigen_seed", EIGEN_SEED);
      m.put("skip_numpy", skipNumpy);
      m.put("python", python);
      m.put("out", out);
      m.put("overwrite", overwrite);
      return m;
    }
  }

  /**
   * One timed figure: the seconds of each round, and the flops one round does by the convention
   * of the issue (2n²d for a Gram, whatever part of it an implementation skips), or null.
   */
  public record Figure(String key, String label, double[] runs, Double flops) {
    public double medianSeconds() {
      return Medians.median(runs);
    }

    /** Flops ÷ median seconds ÷ 10⁹, or null when the figure has no flop count. */
    public Double gflops() {
      return flops == null ? null : flops / medianSeconds() / 1e9;
    }
  }

  /**
   * A ratio against its target.
   *
   * @param value the ratio, or null when a contender did not run
   * @param atLeast true when the value must reach the target, false when it must stay at or below
   */
  public record Ratio(String key, Double value, double target, boolean atLeast) {
    public String status() {
      if (value == null) {
        return "SKIPPED";
      }
      return (atLeast ? value >= target : value <= target) ? "PASS" : "MISS";
    }

    String targetText() {
      return (atLeast ? ">= " : "<= ") + trim(target);
    }
  }

  /**
   * What the bench measured.
   *
   * @param out the output folder, or null when none was asked for
   * @param summary everything, as written to summary.json
   * @param figures the timed figures, in table order (NumPy's absent when it did not run)
   * @param ratios the three ratios with their targets
   * @param gramMaxAbsError max |G − XXᵀ| over the blocks our Spark path produced (checked once)
   * @param blockMatrixMaxAbsError the same for BlockMatrix's product
   * @param eigenMaxRelDiff max |λ_ours − λ_NumPy| ÷ max |λ|, or null when NumPy did not run
   * @param report the printed table
   */
  public record Result(
      Path out,
      Map<String, Object> summary,
      List<Figure> figures,
      List<Ratio> ratios,
      double gramMaxAbsError,
      double blockMatrixMaxAbsError,
      Double eigenMaxRelDiff,
      String report) {

    /** The figure named {@code key}, or null when it was not measured. */
    public Figure figure(String key) {
      return find(figures, key);
    }

    public Ratio ratio(String key) {
      return ratios.stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
    }
  }

  private final Config config;

  public GramBench(Config config) {
    this.config = config;
  }

  public Result run(SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    RunOutput output =
        config.out() == null ? null : RunOutput.open(config.out(), config.overwrite(), jsc.hadoopConfiguration());

    Matrix x =
        config.inputs() != null
            ? config.inputs()
            : Stages.run(jsc, "bench/data", "load " + config.data().dataset() + " (n=" + config.data().n() + ")",
                () -> DatasetLoader.load(config.data(), jsc.hadoopConfiguration(), spark).train().inputs());
    int n = x.rows();
    int d = x.cols();
    int block = Math.min(config.block(), n);
    BlockGrid grid = new BlockGrid(n, block);
    double gramFlops = 2.0 * n * (double) n * d;
    String threads = envOr("OPENBLAS_NUM_THREADS", "(unset)");
    LOG.info("bench: n = {}, d = {}, block = {} ({} blocks, {} pairs), eigen-n = {}, repeats = {}; BLAS {}, LAPACK {},"
            + " OPENBLAS_NUM_THREADS={}, executor OPENBLAS_NUM_THREADS={}, master {}, {} cores",
        n, d, block, grid.numBlocks(), grid.numPairs(), config.eigenN(), config.repeats(), Blas.blasName(),
        Blas.lapackName(), threads,
        spark.sparkContext().getConf().get("spark.executorEnv.OPENBLAS_NUM_THREADS", "(unset)"),
        spark.sparkContext().master(), spark.sparkContext().defaultParallelism());

    String loadBefore = loadAverage();
    Matrix eigenMatrix = RandomMatrices.symmetric(config.eigenN(), EIGEN_SEED);
    NumpyRunner numpy = config.skipNumpy() ? null : NumpyRunner.prepare(config.python(), x, eigenMatrix);
    BlockMatrix a = null;
    try {
      a = Stages.run(jsc, "bench/blockmatrix-build", "build and cache MLlib BlockMatrix A = X (not timed)",
          () -> BlockMatrixGram.cached(jsc, x, block));
      BlockMatrix aFinal = a;

      // Warm-up, untimed: the first Spark job of a kind pays class loading and JIT.
      Stages.run(jsc, "bench/warm-up", "one untimed run of each Spark path", () -> {
        timeOurs(jsc, x, block);
        BlockMatrixGram.time(aFinal, n);
      });

      double[] ours = new double[config.repeats()];
      double[] bm = new double[config.repeats()];
      double[] eig = new double[config.repeats()];
      List<Double> npGram = new ArrayList<>();
      List<Double> npGramOut = new ArrayList<>();
      List<Double> npEig = new ArrayList<>();
      double[] eigenOurs = null;
      for (int r = 0; r < config.repeats(); r++) {
        String round = " (round " + (r + 1) + "/" + config.repeats() + ")";
        ours[r] = Stages.run(jsc, "bench/gram-ours", "G = XX^T, broadcast X + i<=j block pairs" + round,
            () -> timeOurs(jsc, x, block));
        bm[r] = Stages.run(jsc, "bench/gram-blockmatrix", "G = A.multiply(A.transpose) on MLlib BlockMatrix" + round,
            () -> BlockMatrixGram.time(aFinal, n));
        if (numpy != null && numpy.available()) {
          NumpyRunner.Round np = numpy.round();
          if (np != null) {
            npGram.add(np.gramSeconds());
            npGramOut.add(np.gramOutSeconds());
            npEig.add(np.eigenSeconds());
          }
        }
        long t0 = System.nanoTime();
        // The same call the jobs make on the driver: all cores in local mode (DriverBlas).
        eigenOurs = DriverBlas.allCores(jsc, () -> SymmetricEigen.values(eigenMatrix));
        eig[r] = seconds(t0);
        LOG.info(String.format(Locale.ROOT, "round %d: ours %.3f s, BlockMatrix %.3f s%s, eigen ours %.3f s%s", r + 1,
            ours[r], bm[r], npGram.size() > r
                ? String.format(Locale.ROOT, ", NumPy %.3f s (out= %.3f s)", npGram.get(r), npGramOut.get(r)) : "",
            eig[r], npEig.size() > r ? String.format(Locale.ROOT, ", NumPy %.3f s", npEig.get(r)) : ""));
      }

      // Correctness, computed once and untimed, on the same code paths that were timed.
      double gramError = Stages.run(jsc, "bench/check", "max |G - XX^T| of ours (not timed)",
          () -> checkOurs(jsc, x, block));
      double bmError = Stages.run(jsc, "bench/check-blockmatrix", "max |G - XX^T| of BlockMatrix (not timed)",
          () -> GramCheck.maxAbsError(BlockMatrixGram.upperBlocks(aFinal), grid, x));
      Double eigenDiff = null;
      if (numpy != null && numpy.lastEigenvalues() != null) {
        eigenDiff = GramCheck.maxRelDiff(eigenOurs, numpy.lastEigenvalues());
      }

      List<Figure> figures = new ArrayList<>();
      figures.add(new Figure(GRAM_OURS, "G = XX^T, ours: broadcast X, i<=j block pairs", ours, gramFlops));
      figures.add(new Figure(GRAM_BLOCKMATRIX, "G = XX^T, MLlib BlockMatrix A.multiply(A^T)", bm, gramFlops));
      if (!npGram.isEmpty()) {
        figures.add(new Figure(GRAM_NUMPY, "G = XX^T, NumPy X @ X.T, " + NumpyRunner.THREADS + " threads",
            toArray(npGram), gramFlops));
        figures.add(new Figure(GRAM_NUMPY_OUT,
            "G = XX^T, NumPy matmul(X, X.T, out=G), " + NumpyRunner.THREADS + " threads", toArray(npGramOut),
            gramFlops));
      }
      figures.add(new Figure(EIGEN_OURS, "eigenvalues, ours: LAPACK dsyevd (values)", eig, null));
      if (!npEig.isEmpty()) {
        figures.add(new Figure(EIGEN_NUMPY, "eigenvalues, NumPy eigvalsh, " + NumpyRunner.THREADS + " threads",
            toArray(npEig), null));
      }
      Figure fo = find(figures, GRAM_OURS);
      Figure fb = find(figures, GRAM_BLOCKMATRIX);
      Figure fn = fasterOf(find(figures, GRAM_NUMPY), find(figures, GRAM_NUMPY_OUT));
      Figure eo = find(figures, EIGEN_OURS);
      Figure en = find(figures, EIGEN_NUMPY);
      List<Ratio> ratios = List.of(
          new Ratio("gram_vs_numpy", fn == null ? null : fo.gflops() / fn.gflops(), TARGET_GRAM_VS_NUMPY, true),
          new Ratio("gram_vs_blockmatrix", fo.gflops() / fb.gflops(), TARGET_GRAM_VS_BLOCKMATRIX, true),
          new Ratio("eigen_time_vs_numpy", en == null ? null : eo.medianSeconds() / en.medianSeconds(),
              TARGET_EIGEN_TIME_VS_NUMPY, false));

      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("job", "bench");
      summary.put("dataset", config.inputs() != null ? "in-memory" : config.data().dataset());
      summary.put("n", n);
      summary.put("d", d);
      summary.put("block", block);
      summary.put("blocks", grid.numBlocks());
      summary.put("block_pairs", grid.numPairs());
      summary.put("eigen_n", config.eigenN());
      summary.put("repeats", config.repeats());
      summary.put("gram_flops", gramFlops);
      for (Figure f : figures) {
        summary.put(f.key() + "_s", f.medianSeconds());
        if (f.gflops() != null) {
          summary.put(f.key() + "_gflops", f.gflops());
        }
      }
      for (Ratio r : ratios) {
        summary.put(r.key(), r.value());
        summary.put(r.key() + "_target", r.targetText());
        summary.put(r.key() + "_status", r.status());
      }
      summary.put("gram_vs_numpy_against", fn == null ? null : fn.key());
      Map<String, Object> runs = new LinkedHashMap<>();
      for (Figure f : figures) {
        runs.put(f.key(), f.runs());
      }
      summary.put("runs_s", runs);
      summary.put("gram_max_abs_error", gramError);
      summary.put("blockmatrix_max_abs_error", bmError);
      summary.put("eigen_max_rel_diff_vs_numpy", eigenDiff);
      summary.put("blas", Blas.blasName());
      summary.put("lapack", Blas.lapackName());
      summary.put("openblas_num_threads", threads);
      summary.put("openblas_coretype", System.getenv("OPENBLAS_CORETYPE"));
      summary.put("executor_openblas_num_threads",
          spark.sparkContext().getConf().get("spark.executorEnv.OPENBLAS_NUM_THREADS", null));
      summary.put("spark_master", spark.sparkContext().master());
      summary.put("cores", spark.sparkContext().defaultParallelism());
      summary.put("available_processors", Runtime.getRuntime().availableProcessors());
      summary.put("load_average_before", loadBefore);
      summary.put("load_average_after", loadAverage());
      summary.put("numpy", numpy == null ? Map.of("status", "skipped (--skip-numpy)") : numpy.describe());
      summary.put("definitions", GramReport.definitions());
      // The run's seed is the one that chose X; the eigen matrix's fixed seed is in the config.
      long seed = config.data() != null ? config.data().seed() : EIGEN_SEED;
      summary.put("provenance", Provenance.of(spark, config.toMap(), seed));

      String report = GramReport.report(summary, figures, ratios, gramError, bmError, eigenDiff);
      Path done = null;
      if (output != null) {
        output.writeJson("summary.json", summary);
        done = output.commit();
        LOG.info("bench written to {}", done);
      }
      return new Result(done, summary, figures, ratios, gramError, bmError, eigenDiff, report);
    } finally {
      if (a != null) {
        a.blocks().unpersist(false);
      }
      if (numpy != null) {
        numpy.close();
      }
    }
  }

  /**
   * One timed run of our path, from X on the driver to every upper-triangle block materialised
   * on the executors: the broadcast is part of the work, the result stays there (nothing is
   * collected or written).
   */
  static double timeOurs(JavaSparkContext jsc, Matrix x, int block) {
    long t0 = System.nanoTime();
    BlockedRows rows = BlockedRows.broadcast(jsc, x, block);
    long elements = countElements(rows.symmetricBlocks(BlockKernel.linear(), 0));
    double s = seconds(t0);
    rows.release();
    GramCheck.requireElements(elements, rows.grid().upperTriangleBytes() / 8, "ours");
    return s;
  }

  /**
   * Counts the elements of every block: touches each block (so it is computed) and returns one
   * number per task, so the timing holds no collect.
   */
  private static long countElements(JavaRDD<MatrixBlock> blocks) {
    return blocks.map(b -> (long) b.values().rows() * b.values().cols()).reduce(Long::sum);
  }

  /** Our blocks once more, collected, against XXᵀ. */
  private static double checkOurs(JavaSparkContext jsc, Matrix x, int block) {
    BlockedRows rows = BlockedRows.broadcast(jsc, x, block);
    List<MatrixBlock> blocks = rows.symmetricBlocks(BlockKernel.linear(), 0).collect();
    rows.release();
    return GramCheck.maxAbsError(blocks, rows.grid(), x);
  }

  /**
   * The faster of NumPy's two figures, or null. A fresh 512 MiB result is first-touched on every
   * call (glibc returns it to the system), which after the bench's Spark shuffles sometimes
   * doubled NumPy's time; our JVM reuses a warm heap. Comparing with the faster one never flatters
   * ours.
   */
  private static Figure fasterOf(Figure a, Figure b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return a.medianSeconds() <= b.medianSeconds() ? a : b;
  }

  private static Figure find(List<Figure> figures, String key) {
    return figures.stream().filter(f -> f.key().equals(key)).findFirst().orElse(null);
  }

  private static double[] toArray(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  /**
   * The host's 1/5/15-minute load averages (Linux), or null: on a shared 2-core host a load well
   * above what the bench itself adds means the figures were taken while something else ran.
   */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null ? fallback : v;
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
